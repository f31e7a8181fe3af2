"""A year of the calendar laid out month by month, for the web page and the terminal."""

from __future__ import annotations

import calendar as stdlib_calendar
import datetime as dt
from dataclasses import dataclass

from motcua.workdays.choices import CalendarDayKind
from motcua.workdays.engine import WorkCalendar
from motcua.workdays.values import CalendarEntry

__all__ = ["DayCell", "MonthOverview", "YearOverview", "build_year_overview"]


@dataclass(frozen=True, slots=True)
class DayCell:
    date: dt.date
    is_working_day: bool
    entry: CalendarEntry | None = None

    @property
    def is_weekend(self) -> bool:
        return self.date.weekday() >= 5

    @property
    def kind(self) -> CalendarDayKind | None:
        return self.entry.kind if self.entry else None


@dataclass(frozen=True, slots=True)
class MonthOverview:
    year: int
    month: int
    # Monday-first weeks; None pads the days of neighbouring months.
    weeks: list[list[DayCell | None]]
    entries: list[CalendarEntry]
    working_days: int


@dataclass(frozen=True, slots=True)
class YearOverview:
    year: int
    months: list[MonthOverview]

    @property
    def working_days(self) -> int:
        return sum(month.working_days for month in self.months)


def build_year_overview(calendar: WorkCalendar, year: int) -> YearOverview:
    """Lay out ``year`` of ``calendar``; raises ``CalendarOutOfRange`` outside its range."""
    calendar.is_working_day(dt.date(year, 1, 1))
    calendar.is_working_day(dt.date(year, 12, 31))
    layout = stdlib_calendar.Calendar(firstweekday=0)
    months = []
    for month in range(1, 13):
        weeks: list[list[DayCell | None]] = []
        entries: list[CalendarEntry] = []
        working = 0
        for week in layout.monthdatescalendar(year, month):
            row: list[DayCell | None] = []
            for day in week:
                if day.month != month:
                    row.append(None)
                    continue
                entry = calendar.entries.get(day)
                is_working = calendar.is_working_day(day)
                working += is_working
                if entry:
                    entries.append(entry)
                row.append(DayCell(date=day, is_working_day=is_working, entry=entry))
            weeks.append(row)
        months.append(
            MonthOverview(
                year=year, month=month, weeks=weeks, entries=entries, working_days=working
            )
        )
    return YearOverview(year=year, months=months)
