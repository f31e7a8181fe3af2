"""Reads of documents: results by code, the verification of a signed PDF, file access.

The public verification page reads only ``get_result_by_code`` and
``verify_result_pdf``; what they expose is public by design (validity, title, issuing
agency, dates, SHA-256) and the page masks the holder's name. The files themselves
(``open_result_file``, ``open_stored_file``) are for the owner only: the caller (the
dossier app) authorises the request before opening them.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
from dataclasses import dataclass
from typing import IO, TYPE_CHECKING

from django.conf import settings
from django.db.models import QuerySet
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from motcua.documents import types
from motcua.documents.ca import get_local_ca
from motcua.documents.errors import (
    StoreItemExpired,
    StoreItemNotFound,
    StoreItemWrongType,
    UnknownResult,
)
from motcua.documents.models import (
    DataStoreItem,
    DataStoreKind,
    IssuedDocument,
    Result,
    StoredFile,
)

if TYPE_CHECKING:
    from motcua.documents.signing import SignatureCheck

__all__ = [
    "Verification",
    "VerificationStatus",
    "check_store_item_usable",
    "get_result_by_code",
    "get_store_item_for",
    "list_issued_documents",
    "list_results",
    "list_store_items",
    "list_stored_files",
    "list_usable_store_items",
    "open_issued_document",
    "open_result_file",
    "open_store_item_file",
    "open_stored_file",
    "verification_url",
    "verify_result_pdf",
]

DEFAULT_PUBLIC_BASE_URL = "http://127.0.0.1:8000"


def verification_url(code: str) -> str:
    """Return the absolute address of the public page of result ``code`` (the QR target)."""
    base = str(getattr(settings, "DOCUMENTS_PUBLIC_BASE_URL", DEFAULT_PUBLIC_BASE_URL)).rstrip("/")
    return base + reverse("documents:verify_code", kwargs={"code": code})


def get_result_by_code(code: str) -> Result:
    """Return the result with ``code`` (surrounding spaces ignored); raise ``UnknownResult``."""
    cleaned = (code or "").strip()
    try:
        return Result.objects.get(code=cleaned)
    except Result.DoesNotExist:
        raise UnknownResult(params={"code": cleaned[:80]}) from None


def list_results(*, subject_type: str, subject_id: int | str) -> QuerySet[Result]:
    """Return the results issued for a subject, newest first."""
    return Result.objects.filter(subject_type=subject_type, subject_id=str(subject_id))


def list_issued_documents(*, subject_type: str, subject_id: int | str) -> QuerySet[IssuedDocument]:
    """Return the forms issued for a subject, newest first."""
    return IssuedDocument.objects.filter(subject_type=subject_type, subject_id=str(subject_id))


def list_stored_files(
    *, subject_type: str, subject_id: int | str, purpose: str | None = None
) -> QuerySet[StoredFile]:
    """Return the files uploaded for a subject (optionally one purpose), oldest first."""
    files = StoredFile.objects.filter(subject_type=subject_type, subject_id=str(subject_id))
    return files.filter(purpose=purpose) if purpose is not None else files


def _open(field: FieldFile) -> IO[bytes]:
    if not field.name:
        raise FileNotFoundError("the row has no file")
    return field.storage.open(field.name, "rb")


def open_result_file(result: Result) -> IO[bytes]:
    """Open the signed PDF of ``result`` for reading. The caller authorises the reader."""
    return _open(result.file)


def open_issued_document(document: IssuedDocument) -> IO[bytes]:
    """Open the PDF of an issued form for reading. The caller authorises the reader."""
    return _open(document.file)


def open_stored_file(stored: StoredFile) -> IO[bytes]:
    """Open an uploaded file for reading. The caller authorises the reader."""
    return _open(stored.file)


# --- verification --------------------------------------------------------------------


class VerificationStatus(enum.StrEnum):
    VALID = "valid"
    REVOKED = "revoked"
    TAMPERED = "tampered"
    UNKNOWN = "unknown"
    INVALID_SIGNATURE = "invalid_signature"


_MESSAGES = {
    "valid": _("Văn bản hợp lệ: chữ ký số đúng, nội dung nguyên vẹn và kết quả còn hiệu lực."),
    "revoked": _("Chữ ký số đúng nhưng kết quả này đã bị hủy hiệu lực; văn bản không còn giá trị."),
    "tampered": _(
        "Văn bản đã bị sửa đổi sau khi ký: nội dung không còn khớp với kết quả đã ban hành."
    ),
    "unknown_pdf": _("Tệp tải lên không phải là tệp PDF đọc được."),
    "unknown_unsigned": _(
        "Văn bản không có chữ ký số và không phải là kết quả do hệ thống ban hành."
    ),
    "unknown_result": _("Chữ ký số hợp lệ nhưng không tìm thấy kết quả tương ứng trong hệ thống."),
    "unsigned_claim": _(
        "Văn bản ghi mã của một kết quả trong hệ thống nhưng không có chữ ký số: đây không phải "
        "là bản do cơ quan ban hành."
    ),
    "broken": _("Chữ ký số trên văn bản không hợp lệ (giá trị chữ ký không đúng)."),
    "untrusted": _(
        "Văn bản được ký bằng chứng thư số không do hệ thống cấp: không xác nhận được cơ quan "
        "ban hành."
    ),
    "wrong_agency": _(
        "Văn bản được ký bằng chứng thư số của một cơ quan khác với cơ quan ban hành kết quả."
    ),
}


@dataclass(frozen=True)
class Verification:
    """The answer of the verification page for one uploaded PDF."""

    status: VerificationStatus
    result: Result | None
    message: str
    sha256: str = ""  # of the checked file
    signer_subject: str = ""

    @property
    def is_valid(self) -> bool:
        return self.status is VerificationStatus.VALID

    @property
    def is_authentic(self) -> bool:
        """The file is, byte for byte, a result we issued (valid or since revoked)."""
        return self.result is not None and self.status in (
            VerificationStatus.VALID,
            VerificationStatus.REVOKED,
        )


def _answer(
    status: VerificationStatus,
    key: str,
    *,
    result: Result | None,
    digest: str,
    check: SignatureCheck | None = None,
) -> Verification:
    return Verification(
        status=status,
        result=result,
        message=str(_MESSAGES[key]),
        sha256=digest,
        signer_subject=check.signer_subject if check else "",
    )


def verify_result_pdf(pdf_bytes: bytes) -> Verification:
    """Say whether ``pdf_bytes`` is a result we issued, intact and still valid.

    Two checks: the PAdES signature validated by pyHanko against the local root CA,
    and the SHA-256 of the file compared with the one stored at issue. Statuses:
    ``valid`` (both pass, not revoked); ``revoked`` (both pass, revoked); ``tampered``
    (bytes changed or content added after signing, or a sound signature over another
    content than the stored one); ``invalid_signature`` (signature value wrong, a
    foreign certificate, another agency's certificate, or no signature on a document
    that names one of our results); ``unknown`` (not a PDF, or nothing links it to a
    result). Never raises for bad input.
    """
    # Imported here: pyHanko is slow to import and only this selector needs it.
    from motcua.documents.signing import SignatureState, check_signature

    digest = hashlib.sha256(pdf_bytes).hexdigest()
    by_hash = Result.objects.filter(sha256=digest).first()
    check = check_signature(pdf_bytes, trust_root=get_local_ca().ensure_root())
    S = VerificationStatus
    if check.state is SignatureState.NOT_PDF:
        return _answer(S.UNKNOWN, "unknown_pdf", result=None, digest=digest)
    claimed = by_hash
    if claimed is None and check.result_code:
        claimed = Result.objects.filter(code=check.result_code).first()
    if check.state is SignatureState.UNSIGNED:
        if claimed is None:
            return _answer(S.UNKNOWN, "unknown_unsigned", result=None, digest=digest)
        return _answer(S.INVALID_SIGNATURE, "unsigned_claim", result=claimed, digest=digest)
    if check.state is SignatureState.MODIFIED:
        return _answer(S.TAMPERED, "tampered", result=claimed, digest=digest, check=check)
    if check.state is SignatureState.BROKEN:
        return _answer(S.INVALID_SIGNATURE, "broken", result=claimed, digest=digest, check=check)
    if check.state is SignatureState.UNTRUSTED:
        return _answer(S.INVALID_SIGNATURE, "untrusted", result=claimed, digest=digest, check=check)
    if claimed is None:
        return _answer(S.UNKNOWN, "unknown_result", result=None, digest=digest, check=check)
    if check.agency_code != claimed.agency_code:
        return _answer(
            S.INVALID_SIGNATURE, "wrong_agency", result=claimed, digest=digest, check=check
        )
    if claimed.sha256 != digest:
        return _answer(S.TAMPERED, "tampered", result=claimed, digest=digest, check=check)
    if claimed.is_revoked:
        return _answer(S.REVOKED, "revoked", result=claimed, digest=digest, check=check)
    return _answer(S.VALID, "valid", result=claimed, digest=digest, check=check)


# --- the citizen data store ----------------------------------------------------------


def list_store_items(owner_id_number: str) -> QuerySet[DataStoreItem]:
    """Return every item of the data store of ``owner_id_number``, newest first.

    An empty owner has no store (an empty queryset, never every ownerless row).
    """
    owner = (owner_id_number or "").strip()
    if not owner:
        return DataStoreItem.objects.none()
    return DataStoreItem.objects.filter(owner_id_number=owner).select_related(
        "result", "stored_file"
    )


def _matches_type(items: QuerySet[DataStoreItem], document_type: str) -> QuerySet[DataStoreItem]:
    procedure = types.result_procedure(document_type)
    if procedure is not None:
        return items.filter(kind=DataStoreKind.RESULT, procedure_code=procedure)
    return items.filter(document_type=document_type)


def list_usable_store_items(
    owner_id_number: str, document_type: str, *, at: dt.datetime
) -> list[DataStoreItem]:
    """Return the owner's items of ``document_type`` still valid at ``at``, newest first."""
    items = _matches_type(list_store_items(owner_id_number), document_type)
    return [item for item in items if item.is_valid_at(at)]


def get_store_item_for(owner_id_number: str, pk: int | str | None) -> DataStoreItem:
    """Return item ``pk`` of the owner's store; ``StoreItemNotFound`` for anyone else's."""
    try:
        key = int(str(pk))
    except (TypeError, ValueError):
        raise StoreItemNotFound() from None
    item = list_store_items(owner_id_number).filter(pk=key).first()
    if item is None:
        raise StoreItemNotFound()
    return item


def check_store_item_usable(item: DataStoreItem, document_type: str, *, at: dt.datetime) -> None:
    """Raise ``StoreItemWrongType`` or ``StoreItemExpired`` unless ``item`` may stand in
    for a required document of ``document_type`` at ``at``."""
    if not _matches_type(DataStoreItem.objects.filter(pk=item.pk), document_type).exists():
        raise StoreItemWrongType(params={"title": item.title})
    if not item.is_valid_at(at):
        raise StoreItemExpired(params={"title": item.title})


def open_store_item_file(item: DataStoreItem) -> tuple[IO[bytes], str, str]:
    """Open the item's file: (stream, content type, file name). The caller authorises."""
    if item.result is not None:
        return open_result_file(item.result), "application/pdf", f"{item.result.code}.pdf"
    assert item.stored_file is not None
    stored = item.stored_file
    return open_stored_file(stored), stored.content_type, stored.original_name
