"""The working-day engine: deadline arithmetic over a precomputed index, no database.

``WorkCalendar`` extends the day index (``index.DayIndex``: O(1) "is D worked" and
"D + N working days") with moments. A moment's *working position* — microseconds of
office time since the start of the range — is ``rank[D] × day length + office time
elapsed on D``, O(1), and its inverse is a ``divmod``; so adding working hours and
measuring elapsed working time are O(1) too (O(k log k) with k clock pauses).

Moments must be aware datetimes (any zone, typically UTC); computations happen in
Asia/Ho_Chi_Minh and results are aware datetimes in that zone. The rules are those of
the one-stop rules §5.2: the receipt cut-off moves a dossier received late, or on a day
off, to the opening of the next working day; working-day limits walk N working days
from that day (the day itself not counted) and fall due at the end of office hours or
at the same clock time; calendar-day and month limits roll forward to a working day;
hour limits count office hours only. Clock pauses push a deadline later by the office
time they cover and are subtracted from elapsed time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal

from motcua.kernel.clock import VN_TZ
from motcua.workdays.choices import DueTime, TimeUnit
from motcua.workdays.errors import InvalidTimeLimit, NaiveDatetime, OpenClockPause
from motcua.workdays.index import DEFAULT_FIRST_DAY, DEFAULT_LAST_DAY, DayIndex
from motcua.workdays.schedule import Schedule, default_schedule
from motcua.workdays.values import CalendarEntry, PauseLike

__all__ = ["DEFAULT_FIRST_DAY", "DEFAULT_LAST_DAY", "WorkCalendar"]

_US_PER_HOUR = 3_600_000_000
_US_PER_DAY = 86_400_000_000
_ONE_US = dt.timedelta(microseconds=1)
_NO_LIMIT = 1 << 62
# Larger limits are typing mistakes (and would overflow); also rejects NaN and infinity.
_MAX_LIMIT = 1_000_000
_HOURS, _DAYS = TimeUnit.HOURS.value, TimeUnit.DAYS.value
_WORKING_DAYS, _MONTHS = TimeUnit.WORKING_DAYS.value, TimeUnit.MONTHS.value
_SAME_CLOCK_TIME = DueTime.SAME_CLOCK_TIME.value


class WorkCalendar(DayIndex):
    """A ``DayIndex`` with moment arithmetic: receipt, due dates, office time, pauses.

    Every method raises ``CalendarOutOfRange`` when a moment or a result leaves the
    range and ``NaiveDatetime`` for a datetime without a zone; ``schedule`` defaults to
    the national ``default_schedule()``.
    """

    __slots__ = ("_closing", "_midnight")

    def __init__(
        self,
        *,
        days_off: Iterable[dt.date] = (),
        extra_working_days: Iterable[dt.date] = (),
        first_day: dt.date = DEFAULT_FIRST_DAY,
        last_day: dt.date = DEFAULT_LAST_DAY,
        entries: Mapping[dt.date, CalendarEntry] | None = None,
    ) -> None:
        super().__init__(
            days_off=days_off,
            extra_working_days=extra_working_days,
            first_day=first_day,
            last_day=last_day,
            entries=entries,
        )
        # Due moments at closing time, by day index and closing time; at most one entry
        # per day of the range and distinct closing time.
        self._closing: dict[int, dt.datetime] = {}
        # Local midnight of the first day: "day index i at µs t" is this plus i days and
        # t µs of wall-clock time (aware + timedelta adds wall-clock time, so this equals
        # combine(date, time, VN_TZ) and is about twice as fast).
        self._midnight = dt.datetime.combine(self.first_day, dt.time(0), VN_TZ)

    def _position(self, index: int, us: int, schedule: Schedule) -> int:
        """Return the working position of day ``index`` at ``us`` µs after midnight."""
        ms, me, as_, ae, mlen, day, _cutoff = schedule.us
        position = self._rank[index] * day
        if self._working[index]:
            if us >= ae:
                position += day
            elif us > as_:
                position += mlen + us - as_
            elif us >= me:
                position += mlen
            elif us > ms:
                position += us - ms
        return position

    def _position_of(self, moment: dt.datetime, schedule: Schedule) -> int:
        """Return the working position of ``moment``: ``_locate`` then ``_position``.

        The fast path of ``_locate`` is repeated here: elapsed time and pauses call this
        twice per interval, and a Python call costs as much as the arithmetic.
        """
        if self._fixed_offset and moment.tzinfo is not None:
            try:
                delta = moment - self._origin
            except TypeError:
                raise NaiveDatetime() from None
            index = delta.days
            if not 0 <= index < self._size:
                raise self._out_of_range(moment)
            us = delta.seconds * 1_000_000 + delta.microseconds
        else:
            index, us = self._locate(moment)
        ms, me, as_, ae, mlen, day, _cutoff = schedule.us
        position = self._rank[index] * day
        if self._working[index]:
            if us >= ae:
                position += day
            elif us > as_:
                position += mlen + us - as_
            elif us >= me:
                position += mlen
            elif us > ms:
                position += us - ms
        return position

    def _moment_at(self, position: int, schedule: Schedule) -> dt.datetime:
        ms, _me, as_, _ae, mlen, day, _cutoff = schedule.us
        rank, offset = divmod(position, day)
        if offset == 0 and rank > 0:
            # Exactly the end of a working day: its closing time, not the next opening.
            rank, offset = rank - 1, day
        if not 0 <= rank < len(self._working_days):
            raise self._out_of_range(position)
        us = ms + offset if offset <= mlen else as_ + offset - mlen
        return self._midnight + _ONE_US * (self._working_days[rank] * _US_PER_DAY + us)

    def _start(self, moment: dt.datetime, schedule: Schedule) -> tuple[int, int]:
        """Return (day index, µs of day) of the deemed receipt of ``moment``."""
        index, us = self._locate(moment)
        ms = schedule.us[0]
        if self._working[index] and (us < schedule.us[6] or not schedule.cutoff_shifts_clock):
            return index, us if us > ms else ms
        position = self._rank[index + 1]
        if position >= len(self._working_days):
            raise self._out_of_range(moment)
        return self._working_days[position], ms

    def _pause_spans(
        self, pauses: Iterable[PauseLike], lo: int, hi: int, schedule: Schedule
    ) -> list[tuple[int, int]]:
        """Return the pauses as merged, sorted working-position spans clipped to [lo, hi]."""
        spans = []
        for started_at, ended_at in pauses:
            a = max(self._position_of(started_at, schedule), lo)
            b = hi if ended_at is None else self._position_of(ended_at, schedule)
            b = min(b, hi)
            if b > a:
                spans.append((a, b))
        spans.sort()
        merged: list[tuple[int, int]] = []
        for a, b in spans:
            if merged and a <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
            else:
                merged.append((a, b))
        return merged

    def working_position(self, moment: dt.datetime, schedule: Schedule | None = None) -> int:
        """Return the office time (µs) from the start of the range to ``moment``."""
        return self._position_of(moment, schedule or default_schedule())

    def deemed_receipt(self, moment: dt.datetime, schedule: Schedule | None = None) -> dt.datetime:
        """Return when counting starts for a dossier received at ``moment`` (§5.1).

        With the cut-off on (the default), a dossier received on a working day before
        ``cutoff_time`` counts from its receipt (from the opening of the office if it
        came earlier); otherwise from the opening of the next working day. With the
        cut-off off, only a receipt on a day off moves to the next working day.
        """
        index, us = self._start(moment, schedule or default_schedule())
        return self._midnight + _ONE_US * (index * _US_PER_DAY + us)

    def add_working_time(
        self, moment: dt.datetime, delta: dt.timedelta, schedule: Schedule | None = None
    ) -> dt.datetime:
        """Return the moment ``delta`` of office time after ``moment``.

        A moment outside office hours starts counting at the next office period; a
        result that ends exactly at the end of a period is that end (17:00, not 07:30
        of the next working day). A negative ``delta`` raises ``InvalidTimeLimit``;
        zero returns ``moment`` (in Asia/Ho_Chi_Minh).
        """
        schedule = schedule or default_schedule()
        if delta < dt.timedelta(0):
            raise InvalidTimeLimit()
        index, us = self._locate(moment)
        if not delta:
            return moment.astimezone(VN_TZ)
        return self._moment_at(self._position(index, us, schedule) + delta // _ONE_US, schedule)

    def add_working_hours(
        self, moment: dt.datetime, hours: float | Decimal, schedule: Schedule | None = None
    ) -> dt.datetime:
        """Return the moment ``hours`` office hours after ``moment`` (see ``add_working_time``)."""
        if isinstance(hours, bool) or not 0 <= hours < _MAX_LIMIT:
            raise InvalidTimeLimit()
        delta = _ONE_US * int(hours * _US_PER_HOUR)
        return self.add_working_time(moment, delta, schedule)

    def elapsed_working_time(
        self,
        start: dt.datetime,
        end: dt.datetime,
        schedule: Schedule | None = None,
        *,
        pauses: Iterable[PauseLike] = (),
    ) -> dt.timedelta:
        """Return the office time between ``start`` and ``end`` minus paused office time.

        Non-working days, nights and lunch breaks count for nothing; pauses are clipped
        to the interval and merged where they overlap; an open pause runs to the end.
        When ``end`` is before ``start`` the result is the negative of the reverse.
        """
        schedule = schedule or default_schedule()
        a = self._position_of(start, schedule)
        b = self._position_of(end, schedule)
        sign = 1
        if b < a:
            a, b, sign = b, a, -1
        elapsed = b - a
        if pauses:
            for lo, hi in self._pause_spans(pauses, a, b, schedule):
                elapsed -= hi - lo
        return _ONE_US * (sign * elapsed)

    def compute_due_at(
        self,
        received_at: dt.datetime,
        time_limit: float | Decimal,
        time_unit: TimeUnit | str,
        schedule: Schedule | None = None,
        *,
        due_time: DueTime | str | None = None,
        pauses: Iterable[PauseLike] = (),
    ) -> dt.datetime:
        """Return the due moment (``due_at``) of a dossier received at ``received_at``.

        ``WORKING_DAYS``: walk ``time_limit`` working days from the deemed receipt day
        (not counted); ``DAYS``: add calendar days, ``MONTHS``: calendar months (the
        day clamped to the month's length), then roll forward to a working day. These
        fall due at the end of office hours, or at the deemed receipt's clock time when
        ``due_time`` (default: the schedule's) is ``SAME_CLOCK_TIME``. ``HOURS``: count
        office hours from the deemed receipt. Closed ``pauses`` push the result later by
        the office time they cover after the deemed receipt. Raises
        ``InvalidTimeLimit`` for a negative limit, a fractional day or month limit or an
        unknown unit, and ``OpenClockPause`` for a pause without an end.
        """
        schedule = schedule or default_schedule()
        if isinstance(time_limit, bool) or not 0 <= time_limit < _MAX_LIMIT:
            raise InvalidTimeLimit()
        # The hot path of the platform: _start() is inlined, units are compared as plain
        # strings, the datetime is built once.
        ms, _me, _as, ae, _mlen, _day, cutoff = schedule.us
        index, us = self._locate(received_at)
        if self._working[index] and (us < cutoff or not schedule.cutoff_shifts_clock):
            start_us = us if us > ms else ms
        else:
            rank = self._rank[index + 1]
            if rank >= len(self._working_days):
                raise self._out_of_range(received_at)
            index, start_us = self._working_days[rank], ms
        if time_unit == _HOURS:
            if time_limit:
                # _position() and _moment_at() inlined; the deemed receipt is on a working
                # day, between the opening and the cut-off (or closing, without cut-off).
                _ms, me, as_, ae_, mlen, day, _c = schedule.us
                if start_us >= as_:
                    done = mlen + (start_us if start_us < ae_ else ae_) - as_
                else:
                    done = (start_us if start_us < me else me) - ms
                rank, offset = divmod(done + int(time_limit * _US_PER_HOUR), day)
                rank += self._rank[index]
                if offset == 0:
                    # Exactly the end of a working day: its closing time.
                    rank, offset = rank - 1, day
                if rank >= len(self._working_days):
                    raise self._out_of_range(received_at)
                clock_us = ms + offset if offset <= mlen else as_ + offset - mlen
                due = self._midnight + _ONE_US * (self._working_days[rank] * _US_PER_DAY + clock_us)
            else:
                due = self._midnight + _ONE_US * (index * _US_PER_DAY + start_us)
        else:
            count = int(time_limit)
            if count != time_limit:
                raise InvalidTimeLimit()
            due_index = index
            try:
                if time_unit == _WORKING_DAYS:
                    if count:
                        due_index = self._working_days[self._rank[index + 1] + count - 1]
                elif time_unit == _DAYS:
                    due_index = index + count
                    if not self._working[due_index]:
                        due_index = self._working_days[self._rank[due_index + 1]]
                elif time_unit == _MONTHS:
                    # Same day of month, clamped to the month's length (31/01 + 1 → 28/02).
                    month = self._month_of[index] + count
                    length, day = self._month_days[month], self._day_of_month[index]
                    due_index = self._month_first[month] + (day if day <= length else length) - 1
                    if not self._working[due_index]:
                        due_index = self._working_days[self._rank[due_index + 1]]
                else:
                    raise InvalidTimeLimit()
            except (IndexError, OverflowError, ValueError):
                raise self._out_of_range(received_at) from None
            if (due_time or schedule.due_time) == _SAME_CLOCK_TIME:
                clock_us = start_us if start_us < ae else ae
                due = self._midnight + _ONE_US * (due_index * _US_PER_DAY + clock_us)
            else:
                # Most deadlines fall at closing time: reuse the (immutable) datetime.
                key = due_index * _US_PER_DAY + ae
                closing = self._closing.get(key)
                if closing is None:
                    closing = self._midnight + _ONE_US * key
                    self._closing[key] = closing
                due = closing
        if pauses:
            due = self._extend_by_pauses(
                due, self._position(index, start_us, schedule), pauses, schedule
            )
        return due

    def _extend_by_pauses(
        self, due: dt.datetime, start: int, pauses: Iterable[PauseLike], schedule: Schedule
    ) -> dt.datetime:
        pauses = list(pauses)
        if any(ended_at is None for _started_at, ended_at in pauses):
            raise OpenClockPause()
        target = original = self._position_of(due, schedule)
        # Spans are sorted: each one that starts before the (moving) deadline pushes it.
        for lo, hi in self._pause_spans(pauses, start, _NO_LIMIT, schedule):
            if lo >= target:
                break
            target += hi - lo
        return due if target == original else self._moment_at(target, schedule)
