"""The administrator-edited national calendar and the per-agency office hours.

``CalendarDay`` rows override the Monday–Friday rhythm: holidays and compensatory days
off on weekdays, and weekend days worked in a swap. Each row records the document that
decided it. ``CalendarYear`` marks the years seeded from the ``holidays`` package: for
those years the rows are the whole truth; other years fall back to the package (see
``selectors``). ``CalendarRevision`` is a single row whose token changes with every
edit, so that each process knows when to rebuild its in-memory calendar.
``AgencySchedule`` holds an agency's office hours, cut-off and due-time policy.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from motcua.workdays.choices import CalendarDayKind, CalendarDayOrigin, DueTime
from motcua.workdays.schedule import Schedule, default_schedule

__all__ = ["AgencySchedule", "CalendarDay", "CalendarRevision", "CalendarYear"]


class CalendarDay(models.Model):
    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=20, choices=CalendarDayKind.choices)
    name = models.CharField(_("tên"), max_length=200)
    source_document = models.CharField(_("văn bản làm căn cứ"), max_length=500)
    origin = models.CharField(
        _("nguồn"),
        max_length=20,
        choices=CalendarDayOrigin.choices,
        default=CalendarDayOrigin.ADMINISTRATOR,
    )
    created_at = models.DateTimeField(_("thời điểm nhập"), auto_now_add=True)
    created_by = models.CharField(_("người nhập"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("ngày trong lịch làm việc")
        verbose_name_plural = _("lịch làm việc (ngày nghỉ, ngày làm bù)")
        ordering = ["date"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(source_document=""), name="calendarday_source_required"
            ),
            models.CheckConstraint(condition=~models.Q(name=""), name="calendarday_name_required"),
            models.CheckConstraint(
                condition=models.Q(kind__in=CalendarDayKind.values), name="calendarday_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} — {self.name}"

    @property
    def year(self) -> int:
        return self.date.year


class CalendarYear(models.Model):
    """A year whose calendar was seeded from the ``holidays`` package and is now edited here."""

    year = models.PositiveSmallIntegerField(_("năm"), primary_key=True)
    seeded_at = models.DateTimeField(_("thời điểm nạp"), auto_now_add=True)
    package_version = models.CharField(_("phiên bản thư viện holidays"), max_length=20)

    class Meta:
        verbose_name = _("năm đã nạp lịch")
        verbose_name_plural = _("các năm đã nạp lịch")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)


class CalendarRevision(models.Model):
    """The single row (pk=1) whose ``token`` changes whenever the calendar changes."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    token = models.UUIDField(default=uuid.uuid4)
    changed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("phiên bản lịch làm việc")
        verbose_name_plural = _("phiên bản lịch làm việc")

    def __str__(self) -> str:
        return str(self.token)


# Defaults of a new agency schedule: the national default of the moment (settings).
def default_morning_start() -> dt.time:
    return default_schedule().morning_start


def default_morning_end() -> dt.time:
    return default_schedule().morning_end


def default_afternoon_start() -> dt.time:
    return default_schedule().afternoon_start


def default_afternoon_end() -> dt.time:
    return default_schedule().afternoon_end


def default_cutoff_time() -> dt.time:
    return default_schedule().cutoff_time


def default_due_time() -> str:
    return str(default_schedule().due_time)


class AgencySchedule(models.Model):
    agency = models.OneToOneField(
        "agencies.Agency",
        on_delete=models.CASCADE,
        related_name="schedule",
        verbose_name=_("cơ quan"),
    )
    morning_start = models.TimeField(_("bắt đầu buổi sáng"), default=default_morning_start)
    morning_end = models.TimeField(_("kết thúc buổi sáng"), default=default_morning_end)
    afternoon_start = models.TimeField(_("bắt đầu buổi chiều"), default=default_afternoon_start)
    afternoon_end = models.TimeField(_("kết thúc buổi chiều"), default=default_afternoon_end)
    cutoff_time = models.TimeField(_("giờ chốt tiếp nhận"), default=default_cutoff_time)
    due_time = models.CharField(
        _("giờ hẹn trả"),
        max_length=24,
        choices=DueTime.choices,
        default=default_due_time,
    )
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        verbose_name = _("giờ làm việc của cơ quan")
        verbose_name_plural = _("giờ làm việc của các cơ quan")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(morning_start__lt=models.F("morning_end"))
                & models.Q(morning_end__lte=models.F("afternoon_start"))
                & models.Q(afternoon_start__lt=models.F("afternoon_end"))
                & models.Q(cutoff_time__gt=models.F("morning_start"))
                & models.Q(cutoff_time__lte=models.F("afternoon_end")),
                name="agencyschedule_hours_ordered",
            ),
        ]

    def __str__(self) -> str:
        return str(self.agency)

    def as_schedule(self) -> Schedule:
        """Return this row as the engine's ``Schedule`` value."""
        return Schedule(
            morning_start=self.morning_start,
            morning_end=self.morning_end,
            afternoon_start=self.afternoon_start,
            afternoon_end=self.afternoon_end,
            cutoff_time=self.cutoff_time,
            due_time=DueTime(self.due_time),
            cutoff_shifts_clock=default_schedule().cutoff_shifts_clock,
        )
