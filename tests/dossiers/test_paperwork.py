"""The real documents: Form 01 as a PDF with the code and the national heading, and a
signed result that the public verification recognises (WeasyPrint and pyHanko, slow)."""

from __future__ import annotations

import io

import pypdf
import pytest
from tests.dossiers import flows
from tests.dossiers.factories import World, chain_submission

from motcua.documents.models import IssuedDocument
from motcua.documents.selectors import open_issued_document, open_result_file, verify_result_pdf
from motcua.dossiers import actions

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_receipt_slip_is_a_real_pdf_with_code_and_appointment(world: World, real_pdf: None) -> None:
    dossier = actions.do_receive_at_desk(
        world.desk, actor=world.actors["desk"], submission=chain_submission(world)
    )

    form = IssuedDocument.objects.get(subject_id=str(dossier.pk), kind="01")
    with open_issued_document(form) as handle:
        pdf = handle.read()
    text = _text(pdf)
    assert pdf.startswith(b"%PDF")
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert dossier.code in text
    assert "Nguyễn Thị Lan" in text
    assert "13/10/2025" in text  # the appointment date


def test_signed_result_verifies_as_valid(world: World, real_pdf: None) -> None:
    dossier = flows.result_ready(world)

    assert dossier.result is not None
    with open_result_file(dossier.result) as handle:
        pdf = handle.read()
    verification = verify_result_pdf(pdf)
    assert verification.status == "valid"
    assert verification.result == dossier.result
    assert f"{dossier.code}-KQ1" in _text(pdf)
