"""Administrative units and agencies.

``AdminUnit`` holds both schemes: the 34 provinces and 3,321 communes in force since
1 July 2025 (``scheme="2025"``, from the ``vietnam-provinces`` package) and the older
63-province, 3-level units (``scheme="2004"``) that historical dossiers refer to; each
row has validity dates and never changes meaning.

``Agency`` is any organisation that receives or decides dossiers: ministries,
departments, provincial and commune People's Committees, their specialised units,
and the one-stop desks (PASCs, reception points, branches), identified by their
QCVN 102:2016 electronic code (``000.00.12.H38``).
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = [
    "DESK_KINDS",
    "LEGACY_SCHEME_START",
    "REFORM_DATE",
    "AdminUnit",
    "AdminUnitLevel",
    "AdminUnitScheme",
    "AdminUnitSuccession",
    "Agency",
    "AgencyKind",
    "AgencyLevel",
    "OneStopDesk",
]

REFORM_DATE = dt.date(2025, 7, 1)
# Decision 124/2004/QĐ-TTg (8 July 2004) fixed the 3-level code list; the legacy rows are
# the units as they stood on 30 June 2025, so this start date is the scheme's, not each unit's.
LEGACY_SCHEME_START = dt.date(2004, 7, 8)


class AdminUnitLevel(models.TextChoices):
    PROVINCE = "province", _("Tỉnh, thành phố")
    DISTRICT = "district", _("Quận, huyện")
    COMMUNE = "commune", _("Xã, phường, đặc khu")


class AdminUnitScheme(models.TextChoices):
    CURRENT = "2025", _("34 tỉnh, 2 cấp (từ 01/7/2025)")
    LEGACY = "2004", _("63 tỉnh, 3 cấp (trước 01/7/2025)")


class AdminUnit(models.Model):
    scheme = models.CharField(_("hệ mã"), max_length=4, choices=AdminUnitScheme.choices)
    code = models.CharField(_("mã"), max_length=10)
    level = models.CharField(_("cấp"), max_length=10, choices=AdminUnitLevel.choices)
    name = models.CharField(_("tên"), max_length=120)
    name_folded = models.CharField(max_length=120, db_index=True, editable=False)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    valid_from = models.DateField(_("hiệu lực từ"))
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
        verbose_name=_("đơn vị kế thừa"),
    )

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "level", "code"], name="adminunit_code_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gt=models.F("valid_from")),
                name="adminunit_validity_order",
            ),
        ]
        indexes = [models.Index(fields=["parent", "name"], name="adminunit_parent_idx")]

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, day: dt.date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


class AdminUnitSuccession(models.Model):
    """One row of the official old → new conversion table of 1 July 2025.

    A legacy unit may have been split among several new units (``is_partial``);
    ``AdminUnit.successor`` keeps the principal one for quick look-ups.
    """

    predecessor = models.ForeignKey(
        AdminUnit, on_delete=models.CASCADE, related_name="successions", verbose_name=_("đơn vị cũ")
    )
    successor = models.ForeignKey(
        AdminUnit, on_delete=models.CASCADE, related_name="+", verbose_name=_("đơn vị mới")
    )
    is_partial = models.BooleanField(_("sáp nhập một phần"), default=False)

    class Meta:
        verbose_name = _("chuyển đổi đơn vị hành chính")
        verbose_name_plural = _("chuyển đổi đơn vị hành chính")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor"], name="adminunit_succession_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.predecessor_id} → {self.successor_id}"


class AgencyLevel(models.TextChoices):
    CENTRAL = "central", _("Trung ương (Bộ, ngành)")
    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")


class AgencyKind(models.TextChoices):
    MINISTRY = "ministry", _("Bộ, cơ quan ngang bộ")
    MINISTRY_UNIT = "ministry_unit", _("Cục, vụ thuộc bộ")
    PROVINCIAL_PC = "provincial_pc", _("UBND cấp tỉnh")
    DEPARTMENT = "department", _("Sở, ban, ngành cấp tỉnh")
    COMMUNE_PC = "commune_pc", _("UBND cấp xã")
    SPECIALISED_UNIT = "specialised_unit", _("Phòng chuyên môn")
    VERTICAL_SECTOR = "vertical_sector", _("Cơ quan ngành dọc")
    MINISTRY_RECEPTION = "ministry_reception", _("Bộ phận Tiếp nhận và Trả kết quả cấp bộ")
    PROVINCIAL_PASC = "provincial_pasc", _("Trung tâm Phục vụ hành chính công cấp tỉnh")
    COMMUNE_PASC = "commune_pasc", _("Trung tâm Phục vụ hành chính công cấp xã")
    RECEPTION_POINT = "reception_point", _("Điểm tiếp nhận và trả kết quả")
    BRANCH = "branch", _("Chi nhánh Trung tâm Phục vụ hành chính công")


DESK_KINDS = frozenset(
    {
        AgencyKind.MINISTRY_RECEPTION,
        AgencyKind.PROVINCIAL_PASC,
        AgencyKind.COMMUNE_PASC,
        AgencyKind.RECEPTION_POINT,
        AgencyKind.BRANCH,
    }
)


class Agency(models.Model):
    code = models.CharField(_("mã định danh điện tử"), max_length=20, unique=True)
    portal_department_id = models.CharField(
        _("mã đơn vị trên Cổng DVCQG"), max_length=64, blank=True
    )
    name = models.CharField(_("tên cơ quan"), max_length=255)
    name_folded = models.CharField(max_length=255, db_index=True, editable=False, default="")
    short_name = models.CharField(_("tên viết tắt"), max_length=60, blank=True)
    kind = models.CharField(_("loại"), max_length=24, choices=AgencyKind.choices)
    level = models.CharField(_("cấp"), max_length=10, choices=AgencyLevel.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("cơ quan cấp trên"),
    )
    admin_unit = models.ForeignKey(
        AdminUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agencies",
        verbose_name=_("đơn vị hành chính"),
    )
    is_vertical_sector = models.BooleanField(_("ngành dọc"), default=False)
    # Office hours and cut-off live in workdays.AgencySchedule (one row per agency, optional).
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    phone = models.CharField(_("điện thoại"), max_length=30, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    is_active = models.BooleanField(_("đang hoạt động"), default=True)
    valid_from = models.DateField(_("hoạt động từ"), default=REFORM_DATE)
    valid_to = models.DateField(_("hoạt động đến"), null=True, blank=True)

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["code"]
        indexes = [models.Index(fields=["kind", "level"], name="agency_kind_idx")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_one_stop_desk(self) -> bool:
        return self.kind in DESK_KINDS


class OneStopDeskManager(models.Manager["OneStopDesk"]):
    def get_queryset(self) -> models.QuerySet[OneStopDesk]:
        return super().get_queryset().filter(kind__in=DESK_KINDS)


class OneStopDesk(Agency):
    """The one-stop desks among agencies: the places that receive and return dossiers."""

    objects = OneStopDeskManager()  # type: ignore[misc]

    class Meta:
        proxy = True
        verbose_name = _("bộ phận một cửa")
        verbose_name_plural = _("bộ phận một cửa")
