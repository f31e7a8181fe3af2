"""Plain values the working-day engine works with: calendar overrides and clock pauses."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from motcua.workdays.choices import DAY_OFF_KINDS, CalendarDayKind

__all__ = ["CalendarEntry", "ClockPause", "PauseLike", "months_later"]

_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


class ClockPause(NamedTuple):
    """An interval excluded from elapsed time (supplement pending); ``ended_at=None`` is open."""

    started_at: dt.datetime
    ended_at: dt.datetime | None


# Anything that unpacks as (started_at, ended_at): a ClockPause or a plain tuple.
PauseLike = ClockPause | tuple[dt.datetime, dt.datetime | None]


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    """One override of the weekly rhythm: a weekday off, or a weekend day worked."""

    date: dt.date
    kind: CalendarDayKind
    name: str = ""
    source_document: str = ""

    @property
    def is_day_off(self) -> bool:
        return self.kind in DAY_OFF_KINDS


def months_later(day: dt.date, months: int) -> dt.date:
    """Return ``day`` plus ``months`` calendar months, the day clamped to the month's end.

    ``months_later(date(2025, 1, 31), 1) == date(2025, 2, 28)``.
    """
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    last = _DAYS_IN_MONTH[month - 1] + (
        month == 2 and year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    )
    return dt.date(year, month, min(day.day, last))
