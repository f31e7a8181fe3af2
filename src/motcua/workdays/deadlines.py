"""Deadline arithmetic on the effective national calendar: the functions other apps call.

Each function takes the calendar from ``selectors.get_calendar()`` (in memory, checked
for changes at most every few seconds) and delegates to ``engine.WorkCalendar``; see
there for the exact rules. ``schedule`` is an agency's ``Schedule``
(``selectors.get_schedule(agency)``), the national default when omitted. Nothing
outside this app adds ``timedelta(days=…)`` to a legal deadline: call these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from motcua.workdays.choices import DueTime, TimeUnit
from motcua.workdays.schedule import Schedule
from motcua.workdays.selectors import get_calendar
from motcua.workdays.values import PauseLike

__all__ = [
    "add_working_days",
    "add_working_hours",
    "add_working_time",
    "compute_due_at",
    "count_working_days",
    "deemed_receipt",
    "elapsed_working_time",
    "is_working_day",
    "next_working_day",
    "previous_working_day",
]


def is_working_day(day: dt.date) -> bool:
    """Return whether ``day`` is a working day (Mon–Fri not off, or a swapped working day)."""
    return get_calendar().is_working_day(day)


def next_working_day(day: dt.date) -> dt.date:
    """Return the first working day strictly after ``day``."""
    return get_calendar().add_working_days(day, 1)


def previous_working_day(day: dt.date) -> dt.date:
    """Return the last working day strictly before ``day``."""
    return get_calendar().add_working_days(day, -1)


def add_working_days(day: dt.date, count: int) -> dt.date:
    """Walk ``count`` working days from ``day`` (not counted); negative walks back."""
    return get_calendar().add_working_days(day, count)


def count_working_days(start: dt.date, end: dt.date) -> int:
    """Return the number of working days in ``(start, end]``."""
    return get_calendar().count_working_days(start, end)


def add_working_time(
    moment: dt.datetime, delta: dt.timedelta, schedule: Schedule | None = None
) -> dt.datetime:
    """Return the moment ``delta`` of office time after ``moment``."""
    return get_calendar().add_working_time(moment, delta, schedule)


def add_working_hours(
    moment: dt.datetime, hours: float | Decimal, schedule: Schedule | None = None
) -> dt.datetime:
    """Return the moment ``hours`` office hours after ``moment``."""
    return get_calendar().add_working_hours(moment, hours, schedule)


def elapsed_working_time(
    start: dt.datetime,
    end: dt.datetime,
    schedule: Schedule | None = None,
    *,
    pauses: Iterable[PauseLike] = (),
) -> dt.timedelta:
    """Return the office time between two moments minus the paused office time."""
    return get_calendar().elapsed_working_time(start, end, schedule, pauses=pauses)


def deemed_receipt(moment: dt.datetime, schedule: Schedule | None = None) -> dt.datetime:
    """Return when counting starts for a dossier received at ``moment`` (cut-off rule)."""
    return get_calendar().deemed_receipt(moment, schedule)


def compute_due_at(
    received_at: dt.datetime,
    time_limit: float | Decimal,
    time_unit: TimeUnit | str,
    schedule: Schedule | None = None,
    *,
    due_time: DueTime | str | None = None,
    pauses: Iterable[PauseLike] = (),
) -> dt.datetime:
    """Return ``due_at`` for a dossier received at ``received_at`` with the given limit."""
    return get_calendar().compute_due_at(
        received_at, time_limit, time_unit, schedule, due_time=due_time, pauses=pauses
    )
