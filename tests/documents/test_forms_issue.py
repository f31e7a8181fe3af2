"""``do_issue_form``: render, store, hash, audit; refusals write nothing (one render per test)."""

from __future__ import annotations

import hashlib

import pytest

from motcua.audit.models import AuditEvent
from motcua.documents.actions import do_issue_form
from motcua.documents.errors import DocumentPermissionDenied, FormNotInRuleSet
from motcua.documents.forms import FormKind, FormRuleSet, render_form
from motcua.documents.models import IssuedDocument
from motcua.documents.rendering import qr_data_uri
from motcua.documents.selectors import list_issued_documents, open_issued_document
from motcua.kernel.actors import Actor, ActorKind
from tests.documents.conftest import DOSSIER_CODE, make_context, stored_files
from tests.documents.pdftext import pdf_text

pytestmark = pytest.mark.django_db

DESK = Actor(
    kind=ActorKind.OFFICIAL,
    id="31",
    display_name="Cán bộ một cửa",
    agency_id=5,
    roles=frozenset({"desk_officer"}),
)


def test_issue_receipt_slip_stores_the_pdf_with_its_version_hash_and_audit(media_root) -> None:
    # Given a dossier received on 5/3/2026 (Circular 03/2025 applies)
    context = make_context(FormKind.RECEIPT_SLIP, FormRuleSet.TT03_2025)

    # When the desk officer issues the receipt slip
    document = do_issue_form(context, actor=DESK, subject_type="dossiers.dossier", subject_id=42)

    # Then the PDF is stored under an unguessable name with its hash and version
    stored = document.file.name
    assert stored.startswith("documents/forms/")
    assert stored.endswith(".pdf")
    assert stored_files(media_root) == [media_root / stored]
    with open_issued_document(document) as handle:
        pdf = handle.read()
    assert pdf.startswith(b"%PDF-")
    assert document.sha256 == hashlib.sha256(pdf).hexdigest()
    assert document.size == len(pdf)
    assert (document.kind, document.rule_set) == (FormKind.RECEIPT_SLIP, FormRuleSet.TT03_2025)
    assert (document.form_number, document.form_version) == ("01", "tt03_2025/01")
    assert (document.subject_type, document.subject_id) == ("dossiers.dossier", "42")
    assert document.dossier_code == DOSSIER_CODE
    assert document.issued_by == "official:31"
    assert list(list_issued_documents(subject_type="dossiers.dossier", subject_id=42)) == [document]
    # and it reads back in Vietnamese with the code, the full ID (form 01) and the tracking URL
    text = pdf_text(pdf)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert f"Mã hồ sơ: {DOSSIER_CODE}" in text
    assert "038095001234" in text
    assert "https://motcua.thanhhoa.gov.vn/tra-cuu/" + DOSSIER_CODE in text.replace(" ", "")
    # and one audit row names the form, the dossier and the hash
    event = AuditEvent.objects.get(aggregate_type="documents.issued_document")
    assert event.aggregate_id == str(document.pk)
    assert event.action == "documents.form_issued"
    assert event.actor_ref == "official:31"
    assert event.data == {
        "form_version": "tt03_2025/01",
        "dossier_code": DOSSIER_CODE,
        "subject": "dossiers.dossier:42",
        "sha256": document.sha256,
    }


@pytest.mark.parametrize(
    "actor",
    [
        Actor(kind=ActorKind.CITIZEN, id="c-9", display_name="Công dân"),
        Actor.anonymous(),
    ],
    ids=["citizen", "anonymous"],
)
def test_only_staff_issue_forms_and_a_refusal_writes_nothing(media_root, actor: Actor) -> None:
    context = make_context(FormKind.RECEIPT_SLIP, FormRuleSet.TT03_2025)
    with pytest.raises(DocumentPermissionDenied) as caught:
        do_issue_form(context, actor=actor, subject_type="dossiers.dossier", subject_id=42)
    assert caught.value.code == "documents.permission_denied"
    assert caught.value.status == 403
    assert IssuedDocument.objects.count() == 0
    assert AuditEvent.objects.count() == 0
    assert stored_files(media_root) == []


def test_circular_01_2018_has_no_stop_notice(media_root, system_actor) -> None:
    context = make_context(FormKind.STOP_NOTICE, FormRuleSet.TT01_2018)
    with pytest.raises(FormNotInRuleSet) as caught:
        do_issue_form(context, actor=system_actor, subject_type="dossiers.dossier", subject_id=7)
    assert caught.value.code == "documents.form_not_in_rule_set"
    assert caught.value.message == (
        "Biểu mẫu Thông báo dừng giải quyết hồ sơ không có trong Thông tư số 01/2018/TT-VPCP."
    )
    assert IssuedDocument.objects.count() == 0
    assert AuditEvent.objects.count() == 0
    assert stored_files(media_root) == []


def test_other_forms_mask_the_identification_number() -> None:
    # Given a refusal under Circular 01/2018 (form 03): a desk refusal has no dossier code
    context = make_context(
        FormKind.REFUSAL, FormRuleSet.TT01_2018, dossier_code="", tracking_url=""
    )
    # When rendered
    form = render_form(context)
    # Then the number is masked and no dossier code line is printed (a refusal has none)
    text = pdf_text(form.pdf)
    assert (form.form_number, form.form_version) == ("03", "tt01_2018/03")
    assert "038******234" in text
    assert "038095001234" not in text
    assert "Mã hồ sơ" not in text


def test_qr_codes_are_inline_svg() -> None:
    uri = qr_data_uri("https://motcua.thanhhoa.gov.vn/xac-minh/X-KQ1/")
    assert uri.startswith("data:image/svg+xml")
