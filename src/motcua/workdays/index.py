"""The day index under the working-day engine: which days are worked, and their ranks.

``DayIndex`` is built once from plain data — the weekdays that are off and the weekend
days that are worked — over a fixed range (2000–2100 by default). It holds, per day of
the range, whether it is worked and the *rank* of working days before it, plus the
list of working days in order, so that "is D a working day" is one array lookup and
"D + N working days" is ``working_days[rank[D + 1] + N − 1]``, O(1). It also places an
aware datetime on the index (day and time of day in Asia/Ho_Chi_Minh) for the moment
arithmetic of ``engine.WorkCalendar``.
"""

from __future__ import annotations

import calendar
import datetime as dt
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Self

from motcua.kernel.clock import VN_TZ
from motcua.workdays.errors import CalendarOutOfRange, NaiveDatetime
from motcua.workdays.values import CalendarEntry

__all__ = ["DEFAULT_FIRST_DAY", "DEFAULT_LAST_DAY", "DayIndex"]

DEFAULT_FIRST_DAY = dt.date(2000, 1, 1)
DEFAULT_LAST_DAY = dt.date(2100, 12, 31)
_OFFSET_SECONDS = 7 * 3600


@lru_cache(maxsize=4)
def _has_fixed_offset(first_day: dt.date, last_day: dt.date) -> bool:
    """Return whether Asia/Ho_Chi_Minh is UTC+7 on every day of the range (it is since 1975)."""
    expected = dt.timedelta(seconds=_OFFSET_SECONDS)
    return all(
        VN_TZ.utcoffset(dt.datetime.fromordinal(ordinal)) == expected
        for ordinal in range(first_day.toordinal() - 1, last_day.toordinal() + 2)
    )


class DayIndex:
    """Working days over ``[first_day, last_day]``, with O(1) day arithmetic.

    Build it from ``days_off`` (weekdays not worked) and ``extra_working_days``
    (weekend days worked), or from ``CalendarEntry`` values with ``from_entries``
    (which keeps names and sources for display). A date in both sets raises
    ``ValueError``; dates outside the range are ignored. Every method raises
    ``CalendarOutOfRange`` when a date or a result leaves the range and
    ``NaiveDatetime`` for a datetime without a zone.
    """

    __slots__ = (
        "_base",
        "_dates",
        "_day_of_month",
        "_first_month",
        "_fixed_offset",
        "_month_days",
        "_month_first",
        "_month_of",
        "_origin",
        "_rank",
        "_size",
        "_working",
        "_working_days",
        "entries",
        "first_day",
        "last_day",
    )

    def __init__(
        self,
        *,
        days_off: Iterable[dt.date] = (),
        extra_working_days: Iterable[dt.date] = (),
        first_day: dt.date = DEFAULT_FIRST_DAY,
        last_day: dt.date = DEFAULT_LAST_DAY,
        entries: Mapping[dt.date, CalendarEntry] | None = None,
    ) -> None:
        if last_day < first_day:
            raise ValueError("last_day must not be before first_day")
        off, extra = set(days_off), set(extra_working_days)
        if both := off & extra:
            raise ValueError(f"dates both off and worked: {sorted(both)}")
        self.first_day, self.last_day = first_day, last_day
        self.entries: dict[dt.date, CalendarEntry] = dict(entries or {})
        base = self._base = first_day.toordinal()
        size = self._size = last_day.toordinal() - base + 1
        # Ordinal 1 (0001-01-01) is a Monday, so (ordinal - 1) % 7 is the weekday.
        working = bytearray((base + index - 1) % 7 < 5 for index in range(size))
        for day in off:
            if first_day <= day <= last_day:
                working[day.toordinal() - base] = 0
        for day in extra:
            if first_day <= day <= last_day:
                working[day.toordinal() - base] = 1
        rank = [0] * (size + 1)
        working_days: list[int] = []
        for index in range(size):
            rank[index] = len(working_days)
            if working[index]:
                working_days.append(index)
        rank[size] = len(working_days)
        self._working, self._rank, self._working_days = working, rank, working_days
        self._dates = [dt.date.fromordinal(base + index) for index in range(size)]
        # Per calendar month from the first day's: index of its 1st day and its length.
        self._first_month = first_day.year * 12 + first_day.month - 1
        self._month_first: list[int] = []
        self._month_days: list[int] = []
        for month in range(self._first_month, last_day.year * 12 + last_day.month):
            year, number = divmod(month, 12)
            first = dt.date(year, number + 1, 1)
            self._month_first.append(first.toordinal() - base)
            self._month_days.append(calendar.monthrange(year, number + 1)[1])
        # Per day: its month (as an index into the tables above) and its day of month.
        self._month_of = [day.year * 12 + day.month - 1 - self._first_month for day in self._dates]
        self._day_of_month = bytes(day.day for day in self._dates)
        # In UTC: subtracting two datetimes that share a tzinfo skips utcoffset() calls.
        self._origin = dt.datetime.combine(first_day, dt.time(0), VN_TZ).astimezone(dt.UTC)
        self._fixed_offset = _has_fixed_offset(first_day, last_day)

    @classmethod
    def from_entries(
        cls,
        entries: Iterable[CalendarEntry],
        *,
        first_day: dt.date = DEFAULT_FIRST_DAY,
        last_day: dt.date = DEFAULT_LAST_DAY,
    ) -> Self:
        """Build an index from overrides; a later entry for the same date wins."""
        by_date = {entry.date: entry for entry in entries}
        return cls(
            days_off=[day for day, entry in by_date.items() if entry.is_day_off],
            extra_working_days=[day for day, entry in by_date.items() if not entry.is_day_off],
            first_day=first_day,
            last_day=last_day,
            entries=by_date,
        )

    def _out_of_range(self, value: object) -> CalendarOutOfRange:
        return CalendarOutOfRange(
            params={"value": value, "first": self.first_day, "last": self.last_day}
        )

    # -- days -------------------------------------------------------------------------

    def _index(self, day: dt.date) -> int:
        index = day.toordinal() - self._base
        if not 0 <= index < self._size:
            raise self._out_of_range(day)
        return index

    def is_working_day(self, day: dt.date) -> bool:
        """Return whether ``day`` is worked (Mon–Fri not off, or a swapped working day)."""
        return bool(self._working[self._index(day)])

    def next_working_day(self, day: dt.date) -> dt.date:
        """Return the first working day strictly after ``day``."""
        return self.add_working_days(day, 1)

    def previous_working_day(self, day: dt.date) -> dt.date:
        """Return the last working day strictly before ``day``."""
        return self.add_working_days(day, -1)

    def add_working_days(self, day: dt.date, count: int) -> dt.date:
        """Walk ``count`` working days from ``day`` (``day`` itself not counted).

        ``count == 0`` returns ``day`` unchanged; a negative count walks backwards.
        """
        index = self._index(day)
        if count > 0:
            position = self._rank[index + 1] + count - 1
        elif count < 0:
            position = self._rank[index] + count
        else:
            return day
        if not 0 <= position < len(self._working_days):
            raise self._out_of_range(day)
        return self._dates[self._working_days[position]]

    def count_working_days(self, start: dt.date, end: dt.date) -> int:
        """Return the number of working days in ``(start, end]`` (negative if reversed)."""
        return self._rank[self._index(end) + 1] - self._rank[self._index(start) + 1]

    def working_days_in(self, first: dt.date, last: dt.date) -> list[dt.date]:
        """Return the working days of ``[first, last]`` in order."""
        lo = bisect_left(self._working_days, self._index(first))
        hi = bisect_left(self._working_days, self._index(last) + 1)
        return [self._dates[index] for index in self._working_days[lo:hi]]

    # -- moments ----------------------------------------------------------------------

    def _locate(self, moment: dt.datetime) -> tuple[int, int]:
        """Return (day index, µs since local midnight) of ``moment`` in Asia/Ho_Chi_Minh."""
        if moment.tzinfo is None:
            raise NaiveDatetime()
        if self._fixed_offset:
            # Time since local midnight of the first day: its days are the index, its
            # seconds the time of day. ~3x cheaper than astimezone() and field reads, and
            # exact while the zone's offset is constant over the range (checked in init).
            try:
                delta = moment - self._origin
            except TypeError:  # a tzinfo whose utcoffset() is None
                raise NaiveDatetime() from None
            index = delta.days
            us = delta.seconds * 1_000_000 + delta.microseconds
        else:
            local = moment.astimezone(VN_TZ)
            index = local.toordinal() - self._base
            us = ((local.hour * 60 + local.minute) * 60 + local.second) * 1_000_000
            us += local.microsecond
        if not 0 <= index < self._size:
            raise self._out_of_range(moment)
        return index, us
