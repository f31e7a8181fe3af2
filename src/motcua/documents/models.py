"""Stored documents: issued one-stop forms, signed results, uploaded files.

Each row points to a file in Django storage (``DOCUMENTS_STORAGE`` alias, default
``"default"``) under an unguessable name, and keeps the file's SHA-256 so that any
copy can be compared with what was issued. ``subject_type``/``subject_id`` name the
owner in another app ("dossiers.dossier", 42) without a foreign key: documents sits
at the same layer as dossiers and must not depend on it.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.files.storage import Storage, storages
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.documents.forms import FormKind, FormRuleSet
from motcua.kernel import clock

__all__ = [
    "DataStoreItem",
    "DataStoreKind",
    "IssuedDocument",
    "Result",
    "StoredFile",
    "document_storage",
]


def document_storage() -> Storage:
    """Return the storage for every document file (a private bucket in production)."""
    return storages[getattr(settings, "DOCUMENTS_STORAGE", "default")]


def _path(area: str, filename: str) -> str:
    # The stored name never contains user input: only the area, the month and a UUID.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    today = clock.local(clock.now())
    return f"documents/{area}/{today:%Y/%m}/{uuid.uuid4().hex}.{ext}"


def _form_path(_instance: Any, filename: str) -> str:
    return _path("forms", filename)


def _result_path(_instance: Any, filename: str) -> str:
    return _path("results", filename)


def _upload_path(_instance: Any, filename: str) -> str:
    return _path("uploads", filename)


class IssuedDocument(models.Model):
    """A one-stop form (01–07) issued for a subject, with the template version used."""

    kind = models.CharField(_("loại biểu mẫu"), max_length=2, choices=FormKind.choices)
    rule_set = models.CharField(_("căn cứ"), max_length=16, choices=FormRuleSet.choices)
    form_number = models.CharField(_("mẫu số"), max_length=2)
    form_version = models.CharField(_("phiên bản mẫu"), max_length=32)
    dossier_code = models.CharField(_("mã hồ sơ"), max_length=64, blank=True, db_index=True)
    subject_type = models.CharField(_("loại đối tượng"), max_length=64)
    subject_id = models.CharField(_("mã đối tượng"), max_length=64)
    file = models.FileField(
        _("tệp"), upload_to=_form_path, storage=document_storage, max_length=255
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    issued_at = models.DateTimeField(_("thời điểm phát hành"))
    issued_by = models.CharField(_("người phát hành"), max_length=100)

    class Meta:
        verbose_name = _("biểu mẫu đã phát hành")
        verbose_name_plural = _("biểu mẫu đã phát hành")
        ordering = ["-issued_at", "-id"]
        indexes = [
            models.Index(
                fields=["subject_type", "subject_id", "kind"], name="issueddoc_subject_idx"
            )
        ]

    def __str__(self) -> str:
        return f"{self.form_version} {self.dossier_code}".strip()


class Result(models.Model):
    """A digitally signed electronic result (kết quả điện tử), code ``<dossier code>-KQ<n>``.

    Revocation is a one-way flag set only by ``actions.do_revoke_result``.
    """

    code = models.CharField(_("mã kết quả"), max_length=80, unique=True)
    title = models.CharField(_("tên kết quả"), max_length=255)
    subject_type = models.CharField(_("loại đối tượng"), max_length=64)
    subject_id = models.CharField(_("mã đối tượng"), max_length=64)
    agency_code = models.CharField(_("mã cơ quan ban hành"), max_length=20, db_index=True)
    agency_name = models.CharField(_("cơ quan ban hành"), max_length=255)
    signer_name = models.CharField(_("người ký"), max_length=150)
    holder_name = models.CharField(_("tổ chức, cá nhân được cấp"), max_length=255)
    file = models.FileField(
        _("tệp"), upload_to=_result_path, storage=document_storage, max_length=255
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    certificate_sha256 = models.CharField(_("dấu vân tay chứng thư số"), max_length=64)
    issued_at = models.DateTimeField(_("thời điểm ký, ban hành"))
    issued_by = models.CharField(_("người ban hành"), max_length=100)
    is_revoked = models.BooleanField(_("đã hủy hiệu lực"), default=False)
    revoked_at = models.DateTimeField(_("thời điểm hủy hiệu lực"), null=True, blank=True)
    revocation_reason = models.TextField(_("lý do hủy hiệu lực"), blank=True)
    revoked_by = models.CharField(_("người hủy hiệu lực"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("kết quả điện tử")
        verbose_name_plural = _("kết quả điện tử")
        ordering = ["-issued_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="result_subject_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(is_revoked=False, revoked_at__isnull=True))
                | (models.Q(is_revoked=True, revoked_at__isnull=False)),
                name="result_revocation_consistent",
            )
        ]

    def __str__(self) -> str:
        return self.code


class StoredFile(models.Model):
    """A file uploaded by a citizen or an official, checked by content and hashed."""

    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(_("định dạng"), max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    file = models.FileField(
        _("tệp"), upload_to=_upload_path, storage=document_storage, max_length=255
    )
    subject_type = models.CharField(_("loại đối tượng"), max_length=64)
    subject_id = models.CharField(_("mã đối tượng"), max_length=64)
    purpose = models.CharField(_("mục đích"), max_length=100)
    uploaded_at = models.DateTimeField(_("thời điểm tải lên"))
    uploaded_by = models.CharField(_("người tải lên"), max_length=100)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["uploaded_at", "id"]
        indexes = [
            models.Index(
                fields=["subject_type", "subject_id", "purpose"], name="storedfile_subject_idx"
            )
        ]

    def __str__(self) -> str:
        return self.original_name


class DataStoreKind(models.TextChoices):
    RESULT = "result", _("Kết quả giải quyết thủ tục hành chính")
    DOCUMENT = "document", _("Giấy tờ đã nộp, được cơ quan xác nhận số hóa")


class DataStoreItem(models.Model):
    """One document in the data store of a person or an organisation (kho dữ liệu, §8.3).

    ``owner_id_number`` is the holder's 12-digit personal identification number (or
    9-digit old ID card number, or enterprise code): the same key whether the dossier was
    filed online or at a counter, so that "once only" holds across channels.
    ``document_type`` is the type key that required documents are matched on
    (``documents.types``). An item points either to a signed ``Result`` (its validity
    follows the result's revocation) or to an uploaded ``StoredFile`` the desk accepted.
    """

    owner_id_number = models.CharField(_("số định danh chủ sở hữu"), max_length=20)
    kind = models.CharField(_("loại"), max_length=10, choices=DataStoreKind.choices)
    document_type = models.CharField(_("loại giấy tờ"), max_length=255)
    title = models.CharField(_("tên giấy tờ"), max_length=1000)
    issuer_name = models.CharField(_("cơ quan cấp, xác nhận"), max_length=255)
    issuer_code = models.CharField(_("mã cơ quan"), max_length=20, blank=True)
    procedure_code = models.CharField(_("thủ tục"), max_length=20, blank=True)
    source_code = models.CharField(_("mã hồ sơ, mã kết quả"), max_length=80, blank=True)
    issued_at = models.DateTimeField(_("ngày cấp, ngày xác nhận"))
    valid_until = models.DateTimeField(_("hiệu lực đến"), null=True, blank=True)
    result = models.ForeignKey(
        Result, on_delete=models.PROTECT, null=True, blank=True, related_name="store_items"
    )
    stored_file = models.ForeignKey(
        StoredFile, on_delete=models.PROTECT, null=True, blank=True, related_name="store_items"
    )
    added_at = models.DateTimeField(_("thời điểm đưa vào kho"))
    added_by = models.CharField(_("người đưa vào kho"), max_length=100)

    class Meta:
        verbose_name = _("giấy tờ trong kho dữ liệu")
        verbose_name_plural = _("kho dữ liệu của tổ chức, cá nhân")
        ordering = ["-issued_at", "-id"]
        indexes = [
            models.Index(
                fields=["owner_id_number", "document_type"], name="storeitem_owner_type_idx"
            ),
            models.Index(fields=["owner_id_number", "-issued_at"], name="storeitem_owner_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(result__isnull=False, stored_file__isnull=True)
                | models.Q(result__isnull=True, stored_file__isnull=False),
                name="storeitem_one_source",
            ),
            models.UniqueConstraint(
                fields=["owner_id_number", "result"],
                condition=models.Q(result__isnull=False),
                name="storeitem_result_once",
            ),
            models.UniqueConstraint(
                fields=["owner_id_number", "stored_file"],
                condition=models.Q(stored_file__isnull=False),
                name="storeitem_file_once",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_valid_at(self, moment: Any) -> bool:
        """Return whether the item may stand in for a document at ``moment``."""
        if self.result_id is not None and self.result is not None and self.result.is_revoked:
            return False
        return self.valid_until is None or moment < self.valid_until
