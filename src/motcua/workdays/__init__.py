"""The working-day calendar and deadline arithmetic (one-stop rules §5).

``from motcua import workdays`` then ``workdays.is_working_day(day)``,
``workdays.compute_due_at(received_at, 3, TimeUnit.WORKING_DAYS)`` … on the effective
national calendar (``deadlines``); the database-free engine is ``engine.WorkCalendar``.
The functions are loaded lazily so that importing the app needs no app registry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from motcua.workdays.choices import TimeUnit
    from motcua.workdays.deadlines import (
        add_working_days,
        add_working_hours,
        add_working_time,
        compute_due_at,
        count_working_days,
        deemed_receipt,
        elapsed_working_time,
        is_working_day,
        next_working_day,
        previous_working_day,
    )
    from motcua.workdays.values import ClockPause

__all__ = [
    "ClockPause",
    "TimeUnit",
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


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from motcua.workdays import choices, deadlines, values

    for module in (deadlines, choices, values):
        if hasattr(module, name):
            value = getattr(module, name)
            globals()[name] = value  # later look-ups skip this function
            return value
    raise AttributeError(name)
