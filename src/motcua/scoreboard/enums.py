"""The closed vocabularies of the scoreboard (glossary: "Evaluation, Decision 766")."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["Band", "Channel", "PeriodKind", "Timeliness", "UnitKind"]


class UnitKind(models.TextChoices):
    """The evaluated subjects of Decision 766 (§11.2): one league table per kind."""

    MINISTRY = "ministry", _("Bộ, ngành")
    PROVINCE = "province", _("Tỉnh, thành phố")
    DEPARTMENT = "department", _("Sở, ban, ngành")
    COMMUNE = "commune", _("Xã, phường, đặc khu")


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Tháng")
    QUARTER = "quarter", _("Quý")
    YEAR = "year", _("Năm")


class Timeliness(models.TextChoices):
    """A received dossier's class at a period's end (§5.4), as the 766 index counts it."""

    ON_TIME = "on_time", _("Đã xử lý đúng hạn, trước hạn")
    LATE = "late", _("Đã xử lý quá hạn")
    IN_TIME = "in_time", _("Đang xử lý trong hạn")
    OVERDUE = "overdue", _("Đang xử lý quá hạn")


class Channel(models.IntegerChoices):
    """National ``KenhThucHien`` (R9): 1 in person (or unknown), 2 online, 3 by post."""

    DIRECT = 1, _("Trực tiếp")
    ONLINE = 2, _("Trực tuyến")
    POSTAL = 3, _("Qua bưu chính công ích")


class Band(models.TextChoices):
    """The five classification bands (§11.7, R69); thresholds live in the profile."""

    EXCELLENT = "excellent", _("Xuất sắc")
    GOOD = "good", _("Tốt")
    FAIR = "fair", _("Khá")
    AVERAGE = "average", _("Trung bình")
    WEAK = "weak", _("Yếu")
