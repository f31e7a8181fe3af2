"""Evaluation periods: months, quarters and years in Vietnam time (§11.2, R66).

A period is written as its key: ``2026-01`` (January 2026), ``2026-Q1``, ``2026``. It
starts at 00:00 Asia/Ho_Chi_Minh on its first day and ends (exclusive) where the next one
starts. A dossier belongs to the month, quarter and year of its receipt; each period is
evaluated "as at its end" (§5.4): at ``min(last moment of the period, now)``, so a
period that has not ended yet is *live*.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from motcua.kernel.clock import VN_TZ
from motcua.scoreboard.enums import PeriodKind
from motcua.scoreboard.errors import UnknownPeriod

__all__ = ["GRANULARITIES", "Period", "month_number", "periods_of"]

GRANULARITIES = (PeriodKind.MONTH, PeriodKind.QUARTER, PeriodKind.YEAR)
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}
_KEY = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|Q(?P<quarter>[1-4])))?$")
# The scoreboard's horizon: Decision 766 runs from 2022; far years are typing mistakes.
FIRST_YEAR, LAST_YEAR = 2000, 2100
_TICK = dt.timedelta(microseconds=1)


def month_number(moment: dt.datetime) -> int:
    """Return ``yyyymm`` of ``moment`` in Vietnam time (the fact's receipt month)."""
    local = moment.astimezone(VN_TZ)
    return local.year * 100 + local.month


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """One month (``number`` 1–12), quarter (1–4) or year (``number`` 0)."""

    year: int
    kind: str
    number: int

    @classmethod
    def parse(cls, key: str) -> Period:
        """Return the period written ``key``; raise ``UnknownPeriod`` for anything else."""
        match = _KEY.match((key or "").strip())
        if match is None:
            raise UnknownPeriod(params={"period": key})
        year = int(match["year"])
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise UnknownPeriod(params={"period": key})
        if match["month"]:
            month = int(match["month"])
            if not 1 <= month <= 12:
                raise UnknownPeriod(params={"period": key})
            return cls(year, PeriodKind.MONTH, month)
        if match["quarter"]:
            return cls(year, PeriodKind.QUARTER, int(match["quarter"]))
        return cls(year, PeriodKind.YEAR, 0)

    @classmethod
    def containing(cls, moment: dt.datetime, kind: str) -> Period:
        local = moment.astimezone(VN_TZ)
        if kind == PeriodKind.MONTH:
            return cls(local.year, PeriodKind.MONTH, local.month)
        if kind == PeriodKind.QUARTER:
            return cls(local.year, PeriodKind.QUARTER, (local.month - 1) // 3 + 1)
        return cls(local.year, PeriodKind.YEAR, 0)

    @property
    def key(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return f"{self.year}-{self.number:02d}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.year}-Q{self.number}"
        return str(self.year)

    def __str__(self) -> str:
        return self.key

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.MONTH:
            return _("Tháng %(month)s/%(year)s") % {"month": self.number, "year": self.year}
        if self.kind == PeriodKind.QUARTER:
            return _("Quý %(quarter)s/%(year)s") % {
                "quarter": _ROMAN[self.number],
                "year": self.year,
            }
        return _("Năm %(year)s") % {"year": self.year}

    @property
    def first_month(self) -> int:
        if self.kind == PeriodKind.MONTH:
            return self.number
        if self.kind == PeriodKind.QUARTER:
            return 3 * (self.number - 1) + 1
        return 1

    @property
    def last_month(self) -> int:
        if self.kind == PeriodKind.MONTH:
            return self.number
        if self.kind == PeriodKind.QUARTER:
            return 3 * self.number
        return 12

    @property
    def months(self) -> list[int]:
        """Return the ``yyyymm`` numbers of the months in the period."""
        return [self.year * 100 + m for m in range(self.first_month, self.last_month + 1)]

    @property
    def month_range(self) -> tuple[int, int]:
        return self.year * 100 + self.first_month, self.year * 100 + self.last_month

    @property
    def start(self) -> dt.datetime:
        return dt.datetime(self.year, self.first_month, 1, tzinfo=VN_TZ)

    @property
    def end(self) -> dt.datetime:
        """The first moment after the period (exclusive)."""
        if self.last_month == 12:
            return dt.datetime(self.year + 1, 1, 1, tzinfo=VN_TZ)
        return dt.datetime(self.year, self.last_month + 1, 1, tzinfo=VN_TZ)

    @property
    def last_moment(self) -> dt.datetime:
        return self.end - _TICK

    def evaluated_at(self, now: dt.datetime) -> dt.datetime:
        """Return the moment the period is evaluated at: its last moment, or now if live."""
        return min(self.last_moment, now)

    def has_ended(self, now: dt.datetime) -> bool:
        return self.end <= now

    def has_started(self, now: dt.datetime) -> bool:
        return self.start <= now

    def previous(self) -> Period:
        if self.kind == PeriodKind.MONTH:
            if self.number == 1:
                return Period(self.year - 1, PeriodKind.MONTH, 12)
            return Period(self.year, PeriodKind.MONTH, self.number - 1)
        if self.kind == PeriodKind.QUARTER:
            if self.number == 1:
                return Period(self.year - 1, PeriodKind.QUARTER, 4)
            return Period(self.year, PeriodKind.QUARTER, self.number - 1)
        return Period(self.year - 1, PeriodKind.YEAR, 0)

    def month_periods(self) -> list[Period]:
        return [
            Period(self.year, PeriodKind.MONTH, m)
            for m in range(self.first_month, self.last_month + 1)
        ]


def periods_of(moment: dt.datetime) -> tuple[Period, Period, Period]:
    """Return the month, quarter and year that contain ``moment`` (Vietnam time)."""
    return (
        Period.containing(moment, PeriodKind.MONTH),
        Period.containing(moment, PeriodKind.QUARTER),
        Period.containing(moment, PeriodKind.YEAR),
    )
