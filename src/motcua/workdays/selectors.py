"""Reads of the working-day calendar: the cached in-memory calendar, schedules, listings.

**How the cached calendar stays fresh (the decision).** Building a ``WorkCalendar``
takes a database read and ~0.1 s, so each process keeps one in memory. Every action
that changes the calendar also replaces the random ``token`` of the single
``CalendarRevision`` row in the same transaction. ``get_calendar()`` compares its
cached token with the database's at most once every ``WORKDAYS_REVISION_CHECK_SECONDS``
(default 5 s) and rebuilds when it differs; between checks a call costs one
``time.monotonic()``. So other processes (web replicas, workers on other machines) see
an edit within that delay without any shared cache, and the process that made the
edit sees it at once: the action forces a re-check immediately and again on commit.
A random token, not a counter, because a rolled-back edit must never be mistaken for
a committed one that reused its number. Tests call ``invalidate_calendar_cache()``.

Years seeded into the database (``CalendarYear``) are taken from ``CalendarDay`` rows
only; any other year of the range falls back to the ``holidays`` package, with the
database rows of that year laid over it — so a deadline never silently ignores the
holidays of a year nobody seeded yet.
"""

from __future__ import annotations

import datetime as dt
import math
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from motcua.agencies.models import Agency
from motcua.agencies.selectors import get_agency_by_code
from motcua.workdays.choices import CalendarDayKind
from motcua.workdays.engine import WorkCalendar
from motcua.workdays.models import AgencySchedule, CalendarDay, CalendarRevision, CalendarYear
from motcua.workdays.schedule import Schedule, default_schedule
from motcua.workdays.seed import holiday_entries
from motcua.workdays.values import CalendarEntry

__all__ = [
    "calendar_range",
    "get_agency_and_schedule",
    "get_calendar",
    "get_schedule",
    "invalidate_calendar_cache",
    "is_year_seeded",
    "list_calendar_days",
    "list_year_entries",
]


def calendar_range() -> tuple[int, int]:
    """Return the first and last year the calendar covers (settings, default 2000–2100)."""
    return (
        int(getattr(settings, "WORKDAYS_FIRST_YEAR", 2000)),
        int(getattr(settings, "WORKDAYS_LAST_YEAR", 2100)),
    )


@dataclass
class _Cache:
    calendar: WorkCalendar | None = None
    token: str | None = None
    checked_at: float = -math.inf
    ttl: float = 5.0


_cache = _Cache()
_lock = threading.Lock()


def get_calendar() -> WorkCalendar:
    """Return the effective national calendar, rebuilt when an administrator changed it."""
    cache = _cache
    calendar = cache.calendar
    if calendar is not None and time.monotonic() - cache.checked_at < cache.ttl:
        return calendar
    return _refresh()


def _refresh() -> WorkCalendar:
    with _lock:
        cache = _cache
        now = time.monotonic()
        if cache.calendar is not None and now - cache.checked_at < cache.ttl:
            return cache.calendar
        # Read the token before the rows: a change in between makes the next check rebuild.
        token = CalendarRevision.objects.filter(pk=1).values_list("token", flat=True).first()
        token_text = str(token) if token else ""
        if cache.calendar is None or token_text != cache.token:
            cache.calendar = _build_calendar()
            cache.token = token_text
        cache.ttl = float(getattr(settings, "WORKDAYS_REVISION_CHECK_SECONDS", 5.0))
        cache.checked_at = now
        return cache.calendar


def _build_calendar() -> WorkCalendar:
    first, last = calendar_range()
    seeded = set(CalendarYear.objects.values_list("year", flat=True))
    entries = [entry for entry in holiday_entries(first, last) if entry.date.year not in seeded]
    rows = CalendarDay.objects.filter(date__year__gte=first, date__year__lte=last).values_list(
        "date", "kind", "name", "source_document"
    )
    entries.extend(
        CalendarEntry(date=day, kind=CalendarDayKind(kind), name=name, source_document=source)
        for day, kind, name, source in rows
    )
    return WorkCalendar.from_entries(
        entries, first_day=dt.date(first, 1, 1), last_day=dt.date(last, 12, 31)
    )


def invalidate_calendar_cache() -> None:
    """Make the next ``get_calendar()`` compare its token with the database's."""
    _cache.checked_at = -math.inf


def is_year_seeded(year: int) -> bool:
    """Return whether ``year`` was seeded into the database (else the package is used)."""
    return CalendarYear.objects.filter(year=year).exists()


def list_calendar_days(year: int | None = None) -> QuerySet[CalendarDay]:
    """Return the stored overrides, of one year or all, in date order."""
    days = CalendarDay.objects.order_by("date")
    return days.filter(date__year=year) if year is not None else days


def list_year_entries(year: int) -> list[CalendarEntry]:
    """Return the effective overrides of ``year`` (database or package fallback), by date."""
    calendar = get_calendar()
    return sorted(
        (entry for entry in calendar.entries.values() if entry.date.year == year),
        key=lambda entry: entry.date,
    )


def get_schedule(agency: Agency | None = None) -> Schedule:
    """Return the schedule of ``agency``, or the national default when it has none."""
    if agency is None:
        return default_schedule()
    # The reverse one-to-one raises RelatedObjectDoesNotExist, an AttributeError, when
    # the agency has no row of its own.
    row: AgencySchedule | None = getattr(agency, "schedule", None)
    return row.as_schedule() if row is not None else default_schedule()


def get_agency_and_schedule(code: str) -> tuple[Agency, Schedule]:
    """Return the agency with QCVN 102 ``code`` and its schedule.

    Raises ``agencies.errors.UnknownAgency`` (404, ``agencies.unknown_agency``).
    """
    agency = get_agency_by_code(code)
    return agency, get_schedule(agency)
