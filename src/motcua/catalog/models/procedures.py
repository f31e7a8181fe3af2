"""Procedures, their versions, announcement decisions and boundary-free listings.

A ``Procedure`` is the stable identity behind a national code (``1.005129``). Its
content lives in ``ProcedureVersion`` rows: a new version is drafted for every change,
published under an ``AnnouncementDecision`` and is in force over ``[valid_from,
valid_to)``. Dossiers point at the version in force when they were received, so a
published version is never edited: publishing the next one only closes its validity.
"""

from __future__ import annotations

import datetime as dt

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import AdminUnit, Agency
from motcua.catalog.enums import (
    PROCEDURE_CODE_PATTERN,
    ImplementationLevel,
    OnlineLevel,
    PublicationState,
    SubjectType,
    SubmissionMethod,
)
from motcua.kernel import clock

__all__ = [
    "IN_FORCE_STATES",
    "AnnouncementDecision",
    "BoundaryFreeListing",
    "Field",
    "Procedure",
    "ProcedureVersion",
]

procedure_code_validator = RegexValidator(
    PROCEDURE_CODE_PATTERN,
    _("Mã thủ tục phải có dạng 1.xxxxxx hoặc 2.xxxxxx (sáu chữ số)."),
)

# States whose validity window counts: a version that was ever published.
IN_FORCE_STATES = (
    PublicationState.PUBLISHED,
    PublicationState.AMENDED,
    PublicationState.ABOLISHED,
)


class Field(models.Model):
    """A field (lĩnh vực) grouping procedures, with the national field code."""

    code = models.CharField(_("mã lĩnh vực"), max_length=40, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=255)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AnnouncementDecision(models.Model):
    """A decision announcing new, amended or abolished procedures (quyết định công bố)."""

    number = models.CharField(_("số quyết định"), max_length=60)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    decided_on = models.DateField(_("ngày ban hành"))
    effective_on = models.DateField(_("ngày có hiệu lực"))
    created_at = models.DateTimeField(_("thời điểm tạo"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("quyết định công bố")
        verbose_name_plural = _("quyết định công bố")
        ordering = ["-decided_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["number", "decided_on"], name="catalog_announcement_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(effective_on__gte=models.F("decided_on")),
                name="catalog_announcement_effective_after_decision",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.decided_on:%d/%m/%Y})"


class Procedure(models.Model):
    """The stable identity of a procedure: its national code, across all its versions."""

    code = models.CharField(
        _("mã thủ tục"), max_length=20, unique=True, validators=[procedure_code_validator]
    )
    created_at = models.DateTimeField(_("thời điểm tạo"), default=clock.now, editable=False)
    abolished_at = models.DateTimeField(_("bãi bỏ từ"), null=True, blank=True)
    abolition_decision = models.ForeignKey(
        AnnouncementDecision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="abolished_procedures",
        verbose_name=_("quyết định bãi bỏ"),
    )
    # Bumped whenever what the public sees of the procedure changes (a publication,
    # an abolition, a boundary-free listing): part of the procedure-page cache key.
    revision = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.code

    @property
    def is_abolished(self) -> bool:
        return self.abolished_at is not None


class ProcedureVersion(models.Model):
    """One version of a procedure with every part Decree 63/2010 Art 8(2) requires.

    Drafts are edited through ``do_update_procedure_version``; published versions are
    frozen. ``state`` moves only through ``catalog.states.PROCEDURE_VERSION_MACHINE``.
    """

    procedure = models.ForeignKey(
        Procedure, on_delete=models.PROTECT, related_name="versions", verbose_name=_("thủ tục")
    )
    # Copy of procedure.code (immutable) so that lists sort and filter without a join.
    code = models.CharField(_("mã thủ tục"), max_length=20, editable=False)
    number = models.PositiveIntegerField(_("phiên bản số"))
    state = models.CharField(
        _("trạng thái công khai"),
        max_length=12,
        choices=PublicationState.choices,
        default=PublicationState.DRAFT,
    )
    name = models.CharField(_("tên thủ tục"), max_length=1000)
    field = models.ForeignKey(
        Field, on_delete=models.PROTECT, related_name="versions", verbose_name=_("lĩnh vực")
    )
    # Closed lists of enum values (ImplementationLevel, SubjectType, SubmissionMethod).
    levels = models.JSONField(_("cấp thực hiện"), default=list)
    subjects = models.JSONField(_("đối tượng thực hiện"), default=list)
    submission_methods = models.JSONField(_("cách thức thực hiện"), default=list)
    method_note = models.TextField(_("ghi chú cách thức thực hiện"), blank=True)
    sequence = models.TextField(_("trình tự thực hiện"), blank=True)
    requirements = models.TextField(_("yêu cầu, điều kiện thực hiện"), blank=True)
    implementing_agencies = models.ManyToManyField(
        Agency,
        blank=True,
        related_name="implemented_procedure_versions",
        verbose_name=_("cơ quan thực hiện"),
    )
    applying_agencies = models.ManyToManyField(
        Agency,
        blank=True,
        related_name="applied_procedure_versions",
        verbose_name=_("cơ quan áp dụng"),
    )
    # Agencies outside this installation, by name (lists of strings).
    implementing_agency_names = models.JSONField(_("cơ quan thực hiện khác"), default=list)
    applying_agency_names = models.JSONField(_("cơ quan áp dụng khác"), default=list)
    result_is_document = models.BooleanField(_("kết quả là văn bản, giấy tờ"), default=True)
    result_name = models.CharField(_("tên kết quả"), max_length=1000, blank=True)
    online_level = models.CharField(
        _("mức độ dịch vụ công trực tuyến"),
        max_length=8,
        choices=OnlineLevel.choices,
        default=OnlineLevel.NONE,
    )
    is_full_online_eligible = models.BooleanField(
        _("đủ điều kiện dịch vụ công trực tuyến toàn trình"), default=False
    )
    is_online_only = models.BooleanField(_("chỉ tiếp nhận trực tuyến"), default=False)
    is_inter_agency = models.BooleanField(_("thủ tục liên thông"), default=False)
    is_free = models.BooleanField(_("không thu phí, lệ phí"), default=False)
    fee_code = models.CharField(_("mã phí, lệ phí"), max_length=60, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    announcement = models.ForeignKey(
        AnnouncementDecision,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="versions",
        verbose_name=_("quyết định công bố"),
    )
    valid_from = models.DateTimeField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateTimeField(_("hiệu lực đến"), null=True, blank=True)
    published_at = models.DateTimeField(_("thời điểm công khai"), null=True, blank=True)
    # fold() of code, name, field and agency names: searched with icontains (pg_trgm on PostgreSQL).
    search_text = models.TextField(editable=False, default="")
    # The version in the exchange format (``catalog.schemas.ProcedureData`` without the
    # procedure's boundary-free listings), written with the parts by the same action: the
    # API and the export read it in one row instead of ten queries.
    content = models.JSONField(default=dict, editable=False)
    # SHA-256 of ``content``: re-importing the same content changes nothing.
    content_hash = models.CharField(max_length=64, editable=False, default="")
    created_at = models.DateTimeField(_("thời điểm tạo"), default=clock.now, editable=False)
    created_by = models.CharField(_("người tạo"), max_length=80, editable=False, default="")
    updated_at = models.DateTimeField(_("thời điểm sửa"), default=clock.now, editable=False)

    class Meta:
        verbose_name = _("phiên bản thủ tục")
        verbose_name_plural = _("phiên bản thủ tục")
        ordering = ["code", "number"]
        constraints = [
            models.UniqueConstraint(fields=["procedure", "number"], name="catalog_version_number"),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_from__isnull=False, valid_to__gt=models.F("valid_from")),
                name="catalog_version_validity_order",
            ),
            models.CheckConstraint(
                condition=models.Q(state=PublicationState.DRAFT)
                | models.Q(valid_from__isnull=False, announcement__isnull=False),
                name="catalog_version_published_has_validity",
            ),
        ]
        indexes = [
            models.Index(fields=["code", "valid_from"], name="catalog_version_code_idx"),
            models.Index(fields=["state", "valid_from"], name="catalog_version_state_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code} v{self.number} — {self.name}"

    @property
    def is_draft(self) -> bool:
        return self.state == PublicationState.DRAFT

    def is_in_force_at(self, moment: dt.datetime) -> bool:
        return (
            self.state in IN_FORCE_STATES
            and self.valid_from is not None
            and self.valid_from <= moment
            and (self.valid_to is None or moment < self.valid_to)
        )

    @property
    def level_labels(self) -> list[str]:
        return [str(ImplementationLevel(v).label) for v in self.levels]

    @property
    def subject_labels(self) -> list[str]:
        return [str(SubjectType(v).label) for v in self.subjects]

    @property
    def submission_method_labels(self) -> list[str]:
        return [str(SubmissionMethod(v).label) for v in self.submission_methods]


class BoundaryFreeListing(models.Model):
    """A procedure on a province's published boundary-free list (phi địa giới, Art 20)."""

    province = models.ForeignKey(
        AdminUnit,
        on_delete=models.PROTECT,
        related_name="boundary_free_listings",
        verbose_name=_("tỉnh, thành phố"),
    )
    procedure = models.ForeignKey(
        Procedure,
        on_delete=models.PROTECT,
        related_name="boundary_free_listings",
        verbose_name=_("thủ tục"),
    )
    valid_from = models.DateField(_("áp dụng từ"))
    valid_to = models.DateField(_("áp dụng đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("thủ tục tiếp nhận không phụ thuộc địa giới")
        verbose_name_plural = _("danh sách thủ tục không phụ thuộc địa giới")
        ordering = ["province", "procedure", "valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["province", "procedure", "valid_from"], name="catalog_boundary_free_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gt=models.F("valid_from")),
                name="catalog_boundary_free_validity_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.procedure_id} @ {self.province_id}"

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)
