"""The dossier's dates, computed only by ``workdays`` (DESIGN §4.5).

* ``due_at`` at receipt: ``workdays.compute_due_at`` with the case's limit and unit and the
  receiving desk's schedule (15:00 cut-off, office hours).
* Transfer from the desk (R30): due the same working day (end of office hours) when
  received before the cut-off, else by the end of the next working day's morning.
* Each agency's share of an inter-agency route: its process steps' durations as working
  time (a working day is the schedule's day length, 7 h 30 by default; calendar days are
  counted as working days and a month as 22 working days — step shares are almost always
  in working days or hours, and an approximation here never moves the dossier's legal
  ``due_at``, only the per-step lateness).
* Pauses: the working time between a supplement request and the supplement; ``due_at``
  moves by exactly that amount (R32).
* Per-step timeliness (R31): early if allotted minutes > used, on time if equal, late
  otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from motcua import workdays
from motcua.agencies.models import Agency
from motcua.dossiers.enums import Timeliness
from motcua.kernel import clock
from motcua.workdays.choices import TimeUnit
from motcua.workdays.schedule import Schedule
from motcua.workdays.selectors import get_schedule
from motcua.workdays.values import PauseLike

__all__ = [
    "MONTH_IN_WORKING_DAYS",
    "classify_step",
    "compute_dossier_due_at",
    "compute_transfer_due_at",
    "move_due_at",
    "schedule_of",
    "share_as_working_time",
    "step_due_at",
    "warning_threshold",
    "working_time_between",
]

MONTH_IN_WORKING_DAYS = 22


def schedule_of(agency: Agency | None) -> Schedule:
    """Return the office hours and cut-off of ``agency`` (the national default if none).

    Kept on the agency instance: an action asks several times for the same desk's
    schedule, and an agency without its own row would cost a query each time.
    """
    if agency is None:
        return get_schedule(None)
    cached: Schedule | None = getattr(agency, "_dossier_schedule", None)
    if cached is None:
        cached = get_schedule(agency)
        agency._dossier_schedule = cached  # type: ignore[attr-defined]
    return cached


def compute_dossier_due_at(
    received_at: dt.datetime, time_limit: Decimal, time_unit: str, schedule: Schedule
) -> dt.datetime:
    """Return the appointment date of a dossier received at ``received_at`` (§5.1–5.2)."""
    limit: Decimal | int = time_limit
    if time_unit != TimeUnit.HOURS and time_limit == time_limit.to_integral_value():
        limit = int(time_limit)
    return workdays.compute_due_at(received_at, limit, time_unit, schedule)


def compute_transfer_due_at(received_at: dt.datetime, schedule: Schedule) -> dt.datetime:
    """Return when the desk must have transferred a dossier received at ``received_at``."""
    deemed = workdays.deemed_receipt(received_at, schedule)
    if clock.local(deemed).date() == clock.local(received_at).date():
        return dt.datetime.combine(deemed.date(), schedule.afternoon_end, clock.VN_TZ)
    return dt.datetime.combine(deemed.date(), schedule.morning_end, clock.VN_TZ)


def share_as_working_time(amount: Decimal, unit: str, schedule: Schedule) -> dt.timedelta:
    """Return a step's share of the time limit as working time (see the module docstring)."""
    day = schedule.working_day_length
    if unit == TimeUnit.HOURS:
        return dt.timedelta(hours=float(amount))
    if unit == TimeUnit.MONTHS:
        return day * float(amount) * MONTH_IN_WORKING_DAYS
    return day * float(amount)


def working_time_between(
    started_at: dt.datetime, ended_at: dt.datetime, schedule: Schedule
) -> dt.timedelta:
    """Return the office time between two moments (a pause, a step's budget)."""
    return workdays.elapsed_working_time(started_at, ended_at, schedule)


def move_due_at(due_at: dt.datetime, paused: dt.timedelta, schedule: Schedule) -> dt.datetime:
    """Return ``due_at`` pushed later by ``paused`` working time (R32)."""
    if paused <= dt.timedelta(0):
        return due_at
    return workdays.add_working_time(due_at, paused, schedule)


def step_due_at(handed_at: dt.datetime, allotted: dt.timedelta, schedule: Schedule) -> dt.datetime:
    """Return when a step handed over at ``handed_at`` with budget ``allotted`` is due."""
    return workdays.add_working_time(handed_at, allotted, schedule)


def classify_step(
    handed_at: dt.datetime,
    done_at: dt.datetime,
    allotted: dt.timedelta | None,
    schedule: Schedule,
    pauses: Iterable[PauseLike] = (),
) -> tuple[dt.timedelta, str]:
    """Return (working time used, ``Timeliness``) of a control-slip row (R31, minutes)."""
    used = workdays.elapsed_working_time(handed_at, done_at, schedule, pauses=pauses)
    if allotted is None:
        return used, Timeliness.ON_TIME
    allotted_minutes = int(allotted.total_seconds() // 60)
    used_minutes = int(used.total_seconds() // 60)
    if allotted_minutes > used_minutes:
        return used, Timeliness.EARLY
    if allotted_minutes == used_minutes:
        return used, Timeliness.ON_TIME
    return used, Timeliness.LATE


def warning_threshold(at: dt.datetime, working_days: int, schedule: Schedule) -> dt.datetime:
    """Return the end of office hours ``working_days`` working days after ``at``'s day."""
    day = clock.local(at).date()
    if working_days > 0:
        day = workdays.add_working_days(day, working_days)
    return dt.datetime.combine(day, schedule.afternoon_end, clock.VN_TZ)
