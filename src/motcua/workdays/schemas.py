"""Input and output schemas of the calendar API (``/api/v1/calendar``)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from ninja import Schema

from motcua.workdays.choices import CalendarDayKind, DueTime, TimeUnit
from motcua.workdays.schedule import Schedule
from motcua.workdays.values import CalendarEntry

__all__ = ["CalendarDayOut", "CalendarYearOut", "DueDateOut", "ScheduleOut"]


class CalendarDayOut(Schema):
    date: dt.date
    kind: CalendarDayKind
    kind_label: str
    name: str
    source_document: str
    is_working_day: bool

    @classmethod
    def build(cls, entry: CalendarEntry) -> CalendarDayOut:
        return cls(
            date=entry.date,
            kind=entry.kind,
            kind_label=str(entry.kind.label),
            name=entry.name,
            source_document=entry.source_document,
            is_working_day=not entry.is_day_off,
        )


class CalendarYearOut(Schema):
    year: int
    source: Literal["database", "package"]
    working_days: int
    days: list[CalendarDayOut]


class ScheduleOut(Schema):
    morning_start: dt.time
    morning_end: dt.time
    afternoon_start: dt.time
    afternoon_end: dt.time
    cutoff_time: dt.time
    due_time: DueTime

    @classmethod
    def build(cls, schedule: Schedule) -> ScheduleOut:
        return cls(
            morning_start=schedule.morning_start,
            morning_end=schedule.morning_end,
            afternoon_start=schedule.afternoon_start,
            afternoon_end=schedule.afternoon_end,
            cutoff_time=schedule.cutoff_time,
            due_time=schedule.due_time,
        )


class DueDateOut(Schema):
    received_at: dt.datetime
    deemed_receipt_at: dt.datetime
    due_at: dt.datetime
    time_limit: float
    time_unit: TimeUnit
    agency: str | None
    schedule: ScheduleOut
