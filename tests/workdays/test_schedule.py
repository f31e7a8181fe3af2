"""Office hours: validation and the national default from settings."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.workdays.choices import DueTime
from motcua.workdays.errors import InvalidOfficeHours
from motcua.workdays.schedule import Schedule, default_schedule

T = dt.time


def test_the_default_is_0730_1130_1330_1700_with_a_1500_cutoff() -> None:
    schedule = Schedule()
    assert (schedule.morning_start, schedule.morning_end) == (T(7, 30), T(11, 30))
    assert (schedule.afternoon_start, schedule.afternoon_end) == (T(13, 30), T(17))
    assert schedule.cutoff_time == T(15)
    assert schedule.due_time == DueTime.END_OF_OFFICE_HOURS
    assert schedule.working_day_length == dt.timedelta(hours=7, minutes=30)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"morning_end": T(7, 30)}, "morning_end"),
        ({"morning_end": T(7)}, "morning_end"),
        ({"afternoon_start": T(11)}, "afternoon_start"),
        ({"afternoon_end": T(13, 30)}, "afternoon_end"),
        ({"cutoff_time": T(17, 30)}, "cutoff_time"),
        ({"cutoff_time": T(7)}, "cutoff_time"),
        ({"due_time": "noon"}, "due_time"),
        ({"morning_start": "07:30"}, "morning_start"),
    ],
)
def test_invalid_office_hours_name_the_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidOfficeHours) as info:
        Schedule(**changes)  # type: ignore[arg-type]
    assert info.value.code == "schedule.invalid_office_hours"
    assert field in info.value.field_errors


def test_a_continuous_day_is_valid() -> None:
    schedule = Schedule(morning_end=T(12), afternoon_start=T(12))
    assert schedule.working_day_length == dt.timedelta(hours=9, minutes=30)


def test_the_default_follows_settings(settings: pytest.FixtureRequest) -> None:
    settings.WORKDAYS_DEFAULT_CUTOFF_TIME = "16:00"  # type: ignore[attr-defined]
    settings.WORKDAYS_DEFAULT_AFTERNOON_END = T(17, 30)  # type: ignore[attr-defined]
    settings.WORKDAYS_DEFAULT_DUE_TIME = "same_clock_time"  # type: ignore[attr-defined]
    schedule = default_schedule()
    assert schedule.cutoff_time == T(16)
    assert schedule.afternoon_end == T(17, 30)
    assert schedule.due_time == DueTime.SAME_CLOCK_TIME


def test_the_default_is_back_when_settings_are_restored() -> None:
    assert default_schedule() == Schedule()
