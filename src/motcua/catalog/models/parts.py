"""The parts of a procedure version: cases, documents, fees, steps, legal bases, forms.

Every part belongs to exactly one ``ProcedureVersion`` and is frozen with it once the
version is published. ``position`` keeps the published order.
"""

from __future__ import annotations

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.agencies.models import Agency
from motcua.catalog.enums import DocumentRequirement, FeeKind, TimeUnit
from motcua.catalog.models.procedures import ProcedureVersion
from motcua.identity.roles import Role

__all__ = [
    "ApplicationFormTemplate",
    "FeeItem",
    "LegalBasis",
    "ProcedureCase",
    "ProcedureDocument",
    "ProcessStep",
    "format_duration",
]


def format_duration(amount: Decimal, unit: str) -> str:
    """Return ``"5 ngày làm việc"`` / ``"0,5 ngày làm việc"`` for a time limit."""
    text = f"{amount.normalize():f}".replace(".", ",")
    return f"{text} {TimeUnit(unit).label}"


class ProcedureCase(models.Model):
    """A case (trường hợp) of a procedure, with its own time limit."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="cases")
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    code = models.CharField(_("mã trường hợp"), max_length=40)
    name = models.CharField(_("tên trường hợp"), max_length=1000)
    time_limit = models.DecimalField(_("thời hạn giải quyết"), max_digits=8, decimal_places=2)
    time_unit = models.CharField(
        _("đơn vị tính"), max_length=14, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )
    description = models.TextField(_("mô tả"), blank=True)

    class Meta:
        verbose_name = _("trường hợp")
        verbose_name_plural = _("trường hợp")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="catalog_case_code_unique"),
            models.CheckConstraint(
                condition=models.Q(time_limit__gt=0), name="catalog_case_time_limit_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def time_limit_display(self) -> str:
        return format_duration(self.time_limit, self.time_unit)


class ApplicationFormTemplate(models.Model):
    """A form or declaration (mẫu đơn, tờ khai) the applicant fills in: a file or a URL."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="forms")
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    code = models.CharField(_("ký hiệu mẫu"), max_length=60, blank=True)
    name = models.CharField(_("tên mẫu"), max_length=1000)
    file = models.FileField(_("tệp mẫu"), upload_to="catalog/forms/%Y/", blank=True, max_length=255)
    url = models.URLField(_("đường dẫn tải mẫu"), max_length=1000, blank=True)

    class Meta:
        verbose_name = _("mẫu đơn, tờ khai")
        verbose_name_plural = _("mẫu đơn, tờ khai")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def download_url(self) -> str:
        return self.file.url if self.file else self.url


class ProcedureDocument(models.Model):
    """A required document (thành phần hồ sơ) with the number of each kind of copy."""

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="documents"
    )
    # Empty: the document belongs to every case of the version.
    case = models.ForeignKey(
        ProcedureCase, on_delete=models.CASCADE, null=True, blank=True, related_name="documents"
    )
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    code = models.CharField(_("mã thành phần hồ sơ"), max_length=60, blank=True)
    name = models.CharField(_("tên giấy tờ"), max_length=2000)
    originals = models.PositiveSmallIntegerField(_("số bản chính"), default=0)
    certified_copies = models.PositiveSmallIntegerField(_("số bản sao chứng thực"), default=0)
    photocopies = models.PositiveSmallIntegerField(_("số bản chụp"), default=0)
    requirement = models.CharField(
        _("tính bắt buộc"),
        max_length=12,
        choices=DocumentRequirement.choices,
        default=DocumentRequirement.REQUIRED,
    )
    condition = models.TextField(_("trường hợp phải nộp"), blank=True)
    e_form_code = models.CharField(_("mã biểu mẫu điện tử"), max_length=60, blank=True)
    replaceable_by_data = models.BooleanField(
        _("được thay thế bằng dữ liệu từ cơ sở dữ liệu"), default=False
    )
    data_source_code = models.CharField(_("mã cơ sở dữ liệu"), max_length=60, blank=True)
    is_present_only = models.BooleanField(_("chỉ xuất trình"), default=False)
    template = models.ForeignKey(
        ApplicationFormTemplate,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="documents",
        verbose_name=_("mẫu đơn, tờ khai"),
    )

    class Meta:
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_mandatory(self) -> bool:
        return self.requirement == DocumentRequirement.REQUIRED


class FeeItem(models.Model):
    """A fee or charge in whole Vietnamese đồng."""

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="fees")
    case = models.ForeignKey(
        ProcedureCase, on_delete=models.CASCADE, null=True, blank=True, related_name="fees"
    )
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    kind = models.CharField(_("loại"), max_length=8, choices=FeeKind.choices, default=FeeKind.FEE)
    name = models.CharField(_("tên khoản thu"), max_length=1000)
    amount = models.PositiveBigIntegerField(_("mức thu (đồng)"))
    collection_moment = models.CharField(_("thời điểm thu"), max_length=255, blank=True)
    exemption_basis = models.TextField(_("đối tượng, căn cứ miễn giảm"), blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        verbose_name = _("phí, lệ phí")
        verbose_name_plural = _("phí, lệ phí")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class ProcessStep(models.Model):
    """A step of a case's internal process with its share of the time limit.

    The shares of a case's steps add up to the case's time limit; for an inter-agency
    (liên thông) procedure the steps name the agencies in the order they handle it.
    """

    version = models.ForeignKey(ProcedureVersion, on_delete=models.CASCADE, related_name="steps")
    case = models.ForeignKey(ProcedureCase, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    name = models.CharField(_("tên bước"), max_length=1000)
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="procedure_steps",
        verbose_name=_("cơ quan thực hiện"),
    )
    agency_name = models.CharField(_("tên cơ quan (ngoài hệ thống)"), max_length=500, blank=True)
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, blank=True)
    duration = models.DecimalField(_("thời gian"), max_digits=8, decimal_places=2)
    duration_unit = models.CharField(
        _("đơn vị tính"), max_length=14, choices=TimeUnit.choices, default=TimeUnit.WORKING_DAYS
    )

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("quy trình xử lý")
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration__gt=0), name="catalog_step_duration_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def duration_display(self) -> str:
        return format_duration(self.duration, self.duration_unit)

    @property
    def responsible_display(self) -> str:
        parts = [self.agency.name if self.agency else self.agency_name]
        if self.role:
            parts.append(str(Role(self.role).label))
        return " — ".join(p for p in parts if p)


class LegalBasis(models.Model):
    """A legal document the procedure rests on (căn cứ pháp lý)."""

    version = models.ForeignKey(
        ProcedureVersion, on_delete=models.CASCADE, related_name="legal_bases"
    )
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    number = models.CharField(_("số ký hiệu"), max_length=100)
    title = models.CharField(_("trích yếu"), max_length=2000)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=255, blank=True)
    issued_on = models.DateField(_("ngày ban hành"), null=True, blank=True)
    effective_on = models.DateField(_("ngày có hiệu lực"), null=True, blank=True)

    class Meta:
        verbose_name = _("căn cứ pháp lý")
        verbose_name_plural = _("căn cứ pháp lý")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"
