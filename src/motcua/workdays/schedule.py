"""Office hours and the receipt cut-off: the part of deadline arithmetic set per agency.

A ``Schedule`` is a frozen value: two office periods (morning and afternoon), the
cut-off after which a dossier counts as received on the next working day (Decree 61
Art 18 practice, 15:00 by default), and the clock time at which day-based deadlines
fall. ``default_schedule()`` builds the national default from the
``WORKDAYS_DEFAULT_*`` settings, falling back to the constants below; an agency
overrides it with a ``workdays.AgencySchedule`` row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.core.signals import setting_changed
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from motcua.workdays.choices import DueTime
from motcua.workdays.errors import InvalidOfficeHours

__all__ = [
    "DEFAULT_AFTERNOON_END",
    "DEFAULT_AFTERNOON_START",
    "DEFAULT_CUTOFF_TIME",
    "DEFAULT_DUE_TIME",
    "DEFAULT_MORNING_END",
    "DEFAULT_MORNING_START",
    "Schedule",
    "default_schedule",
]

DEFAULT_MORNING_START = dt.time(7, 30)
DEFAULT_MORNING_END = dt.time(11, 30)
DEFAULT_AFTERNOON_START = dt.time(13, 30)
DEFAULT_AFTERNOON_END = dt.time(17, 0)
DEFAULT_CUTOFF_TIME = dt.time(15, 0)
DEFAULT_DUE_TIME = DueTime.END_OF_OFFICE_HOURS
DEFAULT_CUTOFF_SHIFTS_CLOCK = True

_US_PER_SECOND = 1_000_000


def _to_us(value: dt.time) -> int:
    return (
        (value.hour * 60 + value.minute) * 60 + value.second
    ) * _US_PER_SECOND + value.microsecond


@dataclass(frozen=True, slots=True)
class Schedule:
    """Office hours, receipt cut-off and due-time policy of one agency (or the default).

    Construction validates: ``morning_start < morning_end <= afternoon_start <
    afternoon_end`` and ``morning_start < cutoff_time <= afternoon_end``; otherwise it
    raises ``InvalidOfficeHours`` (``schedule.invalid_office_hours``) naming the fields.
    """

    morning_start: dt.time = DEFAULT_MORNING_START
    morning_end: dt.time = DEFAULT_MORNING_END
    afternoon_start: dt.time = DEFAULT_AFTERNOON_START
    afternoon_end: dt.time = DEFAULT_AFTERNOON_END
    cutoff_time: dt.time = DEFAULT_CUTOFF_TIME
    due_time: DueTime = DEFAULT_DUE_TIME
    cutoff_shifts_clock: bool = DEFAULT_CUTOFF_SHIFTS_CLOCK
    # Microsecond offsets from midnight, precomputed for the hot path of the engine:
    # (morning_start, morning_end, afternoon_start, afternoon_end, morning length,
    #  day length, cut-off).
    us: tuple[int, int, int, int, int, int, int] = field(
        init=False, repr=False, compare=False, hash=False
    )

    def __post_init__(self) -> None:
        errors = self.check()
        if errors:
            raise InvalidOfficeHours(field_errors={name: [msg] for name, msg in errors.items()})
        ms, me = _to_us(self.morning_start), _to_us(self.morning_end)
        as_, ae = _to_us(self.afternoon_start), _to_us(self.afternoon_end)
        object.__setattr__(self, "due_time", DueTime(self.due_time))
        object.__setattr__(
            self, "us", (ms, me, as_, ae, me - ms, (me - ms) + (ae - as_), _to_us(self.cutoff_time))
        )

    def check(self) -> dict[str, str | Promise]:
        """Return a message per invalid field (empty when the schedule is valid)."""
        errors: dict[str, str | Promise] = {}
        times = {
            "morning_start": self.morning_start,
            "morning_end": self.morning_end,
            "afternoon_start": self.afternoon_start,
            "afternoon_end": self.afternoon_end,
            "cutoff_time": self.cutoff_time,
        }
        for name, value in times.items():
            if not isinstance(value, dt.time) or value.tzinfo is not None:
                errors[name] = _("Phải là giờ trong ngày, không kèm múi giờ.")
        if errors:
            return errors
        if self.morning_end <= self.morning_start:
            errors["morning_end"] = _("Giờ kết thúc buổi sáng phải sau giờ bắt đầu buổi sáng.")
        if self.afternoon_start < self.morning_end:
            errors["afternoon_start"] = _(
                "Giờ bắt đầu buổi chiều không được trước giờ kết thúc buổi sáng."
            )
        if self.afternoon_end <= self.afternoon_start:
            errors["afternoon_end"] = _("Giờ kết thúc buổi chiều phải sau giờ bắt đầu buổi chiều.")
        if not self.morning_start < self.cutoff_time <= self.afternoon_end:
            errors["cutoff_time"] = _("Giờ chốt tiếp nhận phải nằm trong giờ làm việc.")
        if self.due_time not in DueTime.values:
            errors["due_time"] = _("Cách tính giờ hẹn trả không hợp lệ.")
        return errors

    @property
    def working_day_length(self) -> dt.timedelta:
        """Return the working time of one full working day (7 h 30 min by default)."""
        return dt.timedelta(microseconds=self.us[5])


def _setting_time(name: str, default: dt.time) -> dt.time:
    value: Any = getattr(settings, name, default)
    if isinstance(value, str):
        return dt.time.fromisoformat(value)
    return value


@lru_cache(maxsize=1)
def default_schedule() -> Schedule:
    """Return the national default schedule from settings (cached until settings change).

    Settings: ``WORKDAYS_DEFAULT_MORNING_START``, ``…_MORNING_END``,
    ``…_AFTERNOON_START``, ``…_AFTERNOON_END``, ``…_CUTOFF_TIME`` (``datetime.time``
    or ``"HH:MM"``), ``WORKDAYS_DEFAULT_DUE_TIME`` (a ``DueTime`` value) and
    ``WORKDAYS_CUTOFF_SHIFTS_CLOCK`` (bool). Invalid values raise ``InvalidOfficeHours``.
    """
    return Schedule(
        morning_start=_setting_time("WORKDAYS_DEFAULT_MORNING_START", DEFAULT_MORNING_START),
        morning_end=_setting_time("WORKDAYS_DEFAULT_MORNING_END", DEFAULT_MORNING_END),
        afternoon_start=_setting_time("WORKDAYS_DEFAULT_AFTERNOON_START", DEFAULT_AFTERNOON_START),
        afternoon_end=_setting_time("WORKDAYS_DEFAULT_AFTERNOON_END", DEFAULT_AFTERNOON_END),
        cutoff_time=_setting_time("WORKDAYS_DEFAULT_CUTOFF_TIME", DEFAULT_CUTOFF_TIME),
        due_time=DueTime(getattr(settings, "WORKDAYS_DEFAULT_DUE_TIME", DEFAULT_DUE_TIME)),
        cutoff_shifts_clock=bool(
            getattr(settings, "WORKDAYS_CUTOFF_SHIFTS_CLOCK", DEFAULT_CUTOFF_SHIFTS_CLOCK)
        ),
    )


def _reset_default_schedule(*, setting: str, **kwargs: Any) -> None:
    if setting.startswith("WORKDAYS_"):
        default_schedule.cache_clear()


setting_changed.connect(_reset_default_schedule, dispatch_uid="workdays.default_schedule")
