"""The enumerations of the working-day calendar, usable without the database.

``CalendarDayKind`` classifies a calendar override, ``TimeUnit`` is the unit of a
procedure's time limit (glossary: *đơn vị tính thời gian*) and ``DueTime`` says at what
clock time a day-based deadline falls. They are ``TextChoices`` so that models of other
apps (catalogue, dossiers) can store them, but importing them needs no app registry.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["DAY_OFF_KINDS", "CalendarDayKind", "CalendarDayOrigin", "DueTime", "TimeUnit"]


class CalendarDayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Ngày nghỉ lễ, tết")
    # A day off replacing a holiday that fell on a weekend, or the weekday given off in
    # exchange for a swapped working Saturday (hoán đổi ngày làm việc).
    COMPENSATORY_OFF = "compensatory_off", _("Ngày nghỉ bù")
    EXTRA_WORKING_DAY = "extra_working_day", _("Ngày làm bù")


DAY_OFF_KINDS = frozenset({CalendarDayKind.HOLIDAY, CalendarDayKind.COMPENSATORY_OFF})


class CalendarDayOrigin(models.TextChoices):
    PACKAGE = "package", _("Nạp từ thư viện holidays")
    ADMINISTRATOR = "administrator", _("Quản trị viên nhập")


class TimeUnit(models.TextChoices):
    HOURS = "hours", _("Giờ làm việc")
    DAYS = "days", _("Ngày")
    WORKING_DAYS = "working_days", _("Ngày làm việc")
    MONTHS = "months", _("Tháng")


class DueTime(models.TextChoices):
    END_OF_OFFICE_HOURS = "end_of_office_hours", _("Cuối giờ làm việc của ngày hẹn trả")
    SAME_CLOCK_TIME = "same_clock_time", _("Cùng giờ với thời điểm tiếp nhận")
