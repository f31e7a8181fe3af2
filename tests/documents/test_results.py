"""Signed results: ``do_issue_result`` and ``verify_result_pdf`` (valid, revoked, tampered, forged).

One result is issued through the action; the verification cases reuse PDFs rendered and
signed once for the module (signing needs no database) with rows from the factory.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from pathlib import Path

import pytest
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader

from motcua.audit.models import AuditEvent
from motcua.documents.actions import do_issue_result, do_revoke_result
from motcua.documents.ca import LocalCA, certificate_sha256, get_local_ca
from motcua.documents.errors import DocumentPermissionDenied, DuplicateResultCode, InvalidResult
from motcua.documents.models import Result
from motcua.documents.rendering import render_result_pdf
from motcua.documents.selectors import (
    VerificationStatus,
    get_result_by_code,
    open_result_file,
    verify_result_pdf,
)
from motcua.documents.signing import sign_pdf
from motcua.integration.models import OutboxMessage
from tests.documents.conftest import DOSSIER_CODE, HEALTH_CODE, JUSTICE_CODE, official, stored_files
from tests.documents.factories import make_result
from tests.documents.pdftext import pdf_text

pytestmark = pytest.mark.django_db

CODE = DOSSIER_CODE + "-KQ1"
BODY = {
    "agency_parent_name": "UBND tỉnh Thanh Hóa",
    "place_name": "Thanh Hóa",
    "document_number": "15/2026/TP-KS",
    "signer_title": "GIÁM ĐỐC",
    "fields": [("Họ, chữ đệm, tên", "Nguyễn Văn An"), ("Ngày sinh", "01/02/2026")],
    "paragraphs": ["Đã đăng ký khai sinh tại Sở Tư pháp tỉnh Thanh Hóa."],
}


def _issue(actor, **changes):
    values = {
        "actor": actor,
        "subject_type": "dossiers.dossier",
        "subject_id": 42,
        "result_code": CODE,
        "title": "Giấy khai sinh",
        "agency_code": JUSTICE_CODE,
        "agency_name": "Sở Tư pháp tỉnh Thanh Hóa",
        "signer_name": "Trần Văn Ký",
        "body_html_context": BODY,
        "holder_name": "Nguyễn Văn An",
    }
    values.update(changes)
    return do_issue_result(**values)


# --- the action ----------------------------------------------------------------------


def test_issue_result_renders_signs_stores_audits_and_enqueues(justice, media_root) -> None:
    # Given a leader (SIGNER) of the Department of Justice
    leader = official(justice, "signer", id="77")

    # When they issue the birth certificate of dossier 42
    result = _issue(leader)

    # Then the row holds the code, the agency and the hash of the stored signed PDF
    assert Result.objects.get() == result
    assert get_result_by_code(f"  {CODE} ") == result
    with open_result_file(result) as handle:
        pdf = handle.read()
    assert stored_files(media_root) == [media_root / result.file.name]
    assert result.sha256 == hashlib.sha256(pdf).hexdigest()
    assert (result.code, result.title, result.agency_code) == (CODE, "Giấy khai sinh", JUSTICE_CODE)
    assert (result.issued_by, result.is_revoked, result.revoked_at) == ("official:77", False, None)
    credentials = get_local_ca().credentials_for(JUSTICE_CODE, "Sở Tư pháp tỉnh Thanh Hóa")
    assert result.certificate_sha256 == certificate_sha256(credentials.certificate)
    # and the PDF shows the heading, the code, the holder and the verification address
    text = pdf_text(pdf)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "GIẤY KHAI SINH" in text
    assert f"Mã kết quả: {CODE}" in text
    assert "Cấp cho: Nguyễn Văn An" in text
    assert "Số: 15/2026/TP-KS" in text
    assert "Thanh Hóa, ngày" in text
    assert f"https://motcua.thanhhoa.gov.vn/xac-minh/{CODE}/" in text.replace(" ", "")
    # and it carries one PAdES signature whose reason is the title
    signature = PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0]
    assert str(signature.sig_object["/Reason"]) == "Giấy khai sinh"
    assert str(signature.sig_object["/SubFilter"]) == "/ETSI.CAdES.detached"
    assert verify_result_pdf(pdf).status is VerificationStatus.VALID
    # and one audit row and one outbox message were written
    event = AuditEvent.objects.get(aggregate_type="documents.result")
    assert (event.aggregate_id, event.action, event.actor_ref) == (
        CODE,
        "documents.result_issued",
        "official:77",
    )
    assert event.data["sha256"] == result.sha256
    message = OutboxMessage.objects.get()
    assert (message.topic, message.aggregate_id) == ("documents.result_issued", CODE)
    assert message.payload["code"] == CODE
    assert message.payload["subject_id"] == "42"
    assert "holder_name" not in message.payload


@pytest.mark.parametrize(
    "roles_agency",
    [("handler", "justice"), ("signer", "health"), ("desk_officer", "justice")],
    ids=["handler-of-the-agency", "signer-of-another-agency", "desk-officer"],
)
def test_issue_result_is_refused_to_others_and_writes_nothing(
    justice, health, media_root, roles_agency
) -> None:
    role, agency_name = roles_agency
    actor = official(justice if agency_name == "justice" else health, role)
    with pytest.raises(DocumentPermissionDenied):
        _issue(actor)
    assert Result.objects.count() == 0
    assert AuditEvent.objects.count() == 0
    assert OutboxMessage.objects.count() == 0
    assert stored_files(media_root) == []


def test_issue_result_validates_its_input(system_actor, media_root) -> None:
    with pytest.raises(InvalidResult) as caught:
        _issue(system_actor, result_code="000.00.12.H56-260305-0001", title=" ", holder_name="")
    assert caught.value.code == "documents.invalid_result"
    assert sorted(caught.value.field_errors) == ["holder_name", "result_code", "title"]
    assert str(caught.value.field_errors["result_code"][0]).startswith("Mã kết quả phải có dạng")
    make_result(code=CODE)
    with pytest.raises(DuplicateResultCode) as duplicate:
        _issue(system_actor)
    assert duplicate.value.message == f"Mã kết quả {CODE} đã được cấp cho một kết quả khác."
    assert Result.objects.count() == 1
    assert AuditEvent.objects.count() == 0


# --- verification --------------------------------------------------------------------


@pytest.fixture(scope="module")
def unsigned_pdf() -> bytes:
    return render_result_pdf(
        code=CODE,
        title="Giấy khai sinh",
        agency_name="Sở Tư pháp tỉnh Thanh Hóa",
        signer_name="Trần Văn Ký",
        holder_name="Nguyễn Văn An",
        issued_at=dt.datetime(2026, 3, 9, 2, 0, tzinfo=dt.UTC),
        verify_url=f"https://motcua.thanhhoa.gov.vn/xac-minh/{CODE}/",
        body=BODY,
    )


@pytest.fixture(scope="module")
def signed_pdf(unsigned_pdf: bytes) -> bytes:
    credentials = get_local_ca().credentials_for(JUSTICE_CODE, "Sở Tư pháp tỉnh Thanh Hóa")
    return sign_pdf(unsigned_pdf, credentials=credentials, reason="Giấy khai sinh")


@pytest.fixture(scope="module")
def foreign_pdf(unsigned_pdf: bytes, tmp_path_factory: pytest.TempPathFactory) -> bytes:
    # Same agency code and content, but a key from a CA that is not ours
    foreign = LocalCA(Path(tmp_path_factory.mktemp("foreign-ca")))
    credentials = foreign.credentials_for(JUSTICE_CODE, "Sở Tư pháp tỉnh Thanh Hóa")
    return sign_pdf(unsigned_pdf, credentials=credentials, reason="Giấy khai sinh")


@pytest.fixture(scope="module")
def other_agency_pdf(unsigned_pdf: bytes) -> bytes:
    credentials = get_local_ca().credentials_for(HEALTH_CODE, "Sở Y tế tỉnh Thanh Hóa")
    return sign_pdf(unsigned_pdf, credentials=credentials, reason="Giấy khai sinh")


def _flip_signed_byte(pdf: bytes) -> bytes:
    # A byte inside the first content stream: covered by the signature, parse-neutral.
    position = pdf.index(b"stream\n") + 40
    changed = bytearray(pdf)
    changed[position] ^= 0x01
    return bytes(changed)


def _append_update(pdf: bytes) -> bytes:
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    writer.root["/Lang"] = generic.TextStringObject("en")
    writer.update_root()
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_the_issued_file_is_valid(signed_pdf: bytes) -> None:
    result = make_result(pdf=signed_pdf)
    verification = verify_result_pdf(signed_pdf)
    assert verification.status is VerificationStatus.VALID
    assert verification.result == result
    assert verification.is_authentic
    assert (
        verification.message
        == "Văn bản hợp lệ: chữ ký số đúng, nội dung nguyên vẹn và kết quả còn hiệu lực."
    )
    assert "OU=000.00.12.H56" in verification.signer_subject


def test_a_revoked_result_is_reported_revoked(signed_pdf: bytes, system_actor) -> None:
    result = make_result(pdf=signed_pdf)
    do_revoke_result(result, actor=system_actor, reason="Cấp nhầm người")
    verification = verify_result_pdf(signed_pdf)
    assert verification.status is VerificationStatus.REVOKED
    assert verification.result is not None
    assert verification.result.revocation_reason == "Cấp nhầm người"


def test_bytes_changed_after_signing_are_tampered(signed_pdf: bytes) -> None:
    result = make_result(pdf=signed_pdf)
    verification = verify_result_pdf(_flip_signed_byte(signed_pdf))
    assert verification.status is VerificationStatus.TAMPERED
    assert verification.result == result
    assert verification.message.startswith("Văn bản đã bị sửa đổi sau khi ký")


def test_content_appended_after_signing_is_tampered(signed_pdf: bytes) -> None:
    make_result(pdf=signed_pdf)
    assert verify_result_pdf(_append_update(signed_pdf)).status is VerificationStatus.TAMPERED


def test_a_sound_signature_over_other_bytes_than_issued_is_tampered(signed_pdf: bytes) -> None:
    # Given the stored result has another hash (the file is not the one issued)
    make_result(pdf=b"%PDF-1.7 the issued one\n%%EOF\n")
    assert verify_result_pdf(signed_pdf).status is VerificationStatus.TAMPERED


def test_a_pdf_signed_by_a_foreign_ca_is_an_invalid_signature(
    foreign_pdf: bytes, signed_pdf: bytes
) -> None:
    make_result(pdf=signed_pdf)
    verification = verify_result_pdf(foreign_pdf)
    assert verification.status is VerificationStatus.INVALID_SIGNATURE
    assert verification.message.startswith(
        "Văn bản được ký bằng chứng thư số không do hệ thống cấp"
    )
    assert not verification.is_authentic


def test_a_pdf_signed_by_another_agency_is_an_invalid_signature(
    other_agency_pdf: bytes, signed_pdf: bytes
) -> None:
    make_result(pdf=signed_pdf)
    verification = verify_result_pdf(other_agency_pdf)
    assert verification.status is VerificationStatus.INVALID_SIGNATURE
    assert "của một cơ quan khác" in verification.message


def test_an_unsigned_copy_naming_a_result_is_an_invalid_signature(
    unsigned_pdf: bytes, signed_pdf: bytes
) -> None:
    make_result(pdf=signed_pdf)
    assert verify_result_pdf(unsigned_pdf).status is VerificationStatus.INVALID_SIGNATURE


def test_unknown_files(signed_pdf: bytes) -> None:
    # a signed result that is not in the database, and something that is not a PDF
    assert verify_result_pdf(signed_pdf).status is VerificationStatus.UNKNOWN
    garbage = verify_result_pdf(b"MZ\x90\x00 not a pdf")
    assert garbage.status is VerificationStatus.UNKNOWN
    assert garbage.message == "Tệp tải lên không phải là tệp PDF đọc được."
    assert garbage.result is None
