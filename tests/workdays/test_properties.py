"""Properties of the engine, checked by hypothesis against plain-data calendars."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from motcua.workdays.choices import DueTime, TimeUnit
from motcua.workdays.engine import WorkCalendar
from motcua.workdays.schedule import Schedule
from motcua.workdays.seed import holiday_entries
from motcua.workdays.values import ClockPause, months_later
from tests.workdays.conftest import VN

FIRST, LAST = dt.date(2020, 1, 1), dt.date(2030, 12, 31)
CAL = WorkCalendar.from_entries(holiday_entries(2020, 2030), first_day=FIRST, last_day=LAST)
DEFAULT = Schedule()
DAY = DEFAULT.working_day_length

zones = st.sampled_from([dt.UTC, VN, dt.timezone(dt.timedelta(hours=-5))])
moments = st.builds(
    lambda naive, zone: naive.replace(tzinfo=VN).astimezone(zone),
    st.datetimes(min_value=dt.datetime(2020, 1, 2), max_value=dt.datetime(2029, 6, 30)),
    zones,
)
limits = st.integers(min_value=0, max_value=120)
# (unit, limit) pairs that stay inside the calendar's range from any generated moment.
limited = st.sampled_from(list(TimeUnit)).flatmap(
    lambda unit: st.tuples(
        st.just(unit), st.integers(min_value=0, max_value=12 if unit == TimeUnit.MONTHS else 120)
    )
)
pauses = st.lists(
    st.tuples(moments, st.integers(min_value=0, max_value=20 * 24 * 60)).map(
        lambda p: ClockPause(p[0], p[0] + dt.timedelta(minutes=p[1]))
    ),
    max_size=4,
)


def _in_office_hours(moment: dt.datetime) -> bool:
    clock = moment.astimezone(VN).time()
    return DEFAULT.morning_start <= clock <= DEFAULT.afternoon_end


@given(moments, st.integers(min_value=0, max_value=200))
def test_adding_n_days_of_working_time_measures_back_n_days(moment: dt.datetime, days: int) -> None:
    later = CAL.add_working_time(moment, days * DAY)
    assert CAL.elapsed_working_time(moment, later) == days * DAY


@given(moments, st.integers(min_value=0, max_value=120))
def test_n_working_days_at_the_same_clock_time_is_n_days_of_working_time(
    moment: dt.datetime, days: int
) -> None:
    start = CAL.deemed_receipt(moment)
    due = CAL.compute_due_at(moment, days, TimeUnit.WORKING_DAYS, due_time=DueTime.SAME_CLOCK_TIME)
    assert CAL.count_working_days(start.date(), due.date()) == days
    if start.time() <= DEFAULT.morning_end or start.time() >= DEFAULT.afternoon_start:
        assert CAL.elapsed_working_time(start, due) == days * DAY


@given(moments, limited)
def test_results_land_on_working_days_within_office_hours(
    moment: dt.datetime, unit_limit: tuple[TimeUnit, int]
) -> None:
    unit, limit = unit_limit
    due = CAL.compute_due_at(moment, limit, unit)
    assert due.tzinfo is not None
    assert due.utcoffset() == dt.timedelta(hours=7)
    assert CAL.is_working_day(due.date())
    assert _in_office_hours(due)
    assert due >= moment or limit == 0


@given(moments, moments, limited)
def test_a_later_receipt_is_never_due_earlier(
    a: dt.datetime, b: dt.datetime, unit_limit: tuple[TimeUnit, int]
) -> None:
    unit, limit = unit_limit
    early, late = sorted([a, b])
    assert CAL.compute_due_at(early, limit, unit) <= CAL.compute_due_at(late, limit, unit)


@given(moments, limited, limited)
def test_a_longer_limit_is_never_due_earlier(
    moment: dt.datetime, first: tuple[TimeUnit, int], second: tuple[TimeUnit, int]
) -> None:
    unit = first[0]
    short, long = sorted([first[1], second[1] if second[0] == unit else 0])
    assert CAL.compute_due_at(moment, short, unit) <= CAL.compute_due_at(moment, long, unit)


@given(moments, limited, pauses)
def test_pauses_only_lengthen_deadlines(
    moment: dt.datetime, unit_limit: tuple[TimeUnit, int], paused: list[ClockPause]
) -> None:
    unit, limit = unit_limit
    plain = CAL.compute_due_at(moment, limit, unit)
    with_pauses = CAL.compute_due_at(moment, limit, unit, pauses=paused)
    assert with_pauses >= plain
    assert CAL.is_working_day(with_pauses.date())


@given(moments, moments, pauses)
def test_pauses_only_reduce_elapsed_time(
    a: dt.datetime, b: dt.datetime, paused: list[ClockPause]
) -> None:
    start, end = sorted([a, b])
    plain = CAL.elapsed_working_time(start, end)
    reduced = CAL.elapsed_working_time(start, end, pauses=paused)
    assert dt.timedelta(0) <= reduced <= plain


@given(moments, moments, moments)
def test_elapsed_time_is_additive_and_monotonic(
    a: dt.datetime, b: dt.datetime, c: dt.datetime
) -> None:
    x, y, z = sorted([a, b, c])
    assert CAL.elapsed_working_time(x, z) == CAL.elapsed_working_time(
        x, y
    ) + CAL.elapsed_working_time(y, z)
    assert CAL.elapsed_working_time(x, y) <= CAL.elapsed_working_time(x, z)


# -- against a day-by-day reference on random calendars ---------------------------------

R_FIRST, R_LAST = dt.date(2025, 1, 1), dt.date(2025, 12, 31)
days_of_2025 = st.dates(min_value=R_FIRST, max_value=R_LAST)


def _reference_is_working(day: dt.date, off: set[dt.date], extra: set[dt.date]) -> bool:
    # One-stop rules §5.2, literally.
    return day in extra or (day.weekday() < 5 and day not in off)


@settings(max_examples=60)
@given(
    st.sets(days_of_2025, max_size=40),
    st.sets(days_of_2025, max_size=10),
    days_of_2025,
    st.integers(min_value=-20, max_value=20),
)
def test_the_index_agrees_with_a_day_by_day_walk(
    off: set[dt.date], extra: set[dt.date], day: dt.date, count: int
) -> None:
    extra -= off
    calendar = WorkCalendar(
        days_off=off, extra_working_days=extra, first_day=R_FIRST, last_day=R_LAST
    )
    assert calendar.is_working_day(day) == _reference_is_working(day, off, extra)
    step = dt.timedelta(days=1 if count >= 0 else -1)
    expected: dt.date | None = day
    remaining = abs(count)
    while remaining and expected is not None:
        expected += step
        if not R_FIRST <= expected <= R_LAST:
            expected = None
        elif _reference_is_working(expected, off, extra):
            remaining -= 1
    if expected is None:
        return  # the walk leaves the range: the engine raises (tested elsewhere)
    assert calendar.add_working_days(day, count) == expected


SLOW_PATH = WorkCalendar.from_entries(holiday_entries(2020, 2030), first_day=FIRST, last_day=LAST)
SLOW_PATH._fixed_offset = False  # as if Asia/Ho_Chi_Minh changed its offset in the range


@given(moments, limited)
def test_the_fixed_offset_shortcut_agrees_with_astimezone(
    moment: dt.datetime, unit_limit: tuple[TimeUnit, int]
) -> None:
    unit, limit = unit_limit
    assert CAL._locate(moment) == SLOW_PATH._locate(moment)
    assert CAL.compute_due_at(moment, limit, unit) == SLOW_PATH.compute_due_at(moment, limit, unit)


@given(moments, st.integers(min_value=0, max_value=12))
def test_month_limits_agree_with_calendar_month_arithmetic(
    moment: dt.datetime, months: int
) -> None:
    start = CAL.deemed_receipt(moment).date()
    expected = months_later(start, months)
    if not CAL.is_working_day(expected):
        expected = CAL.next_working_day(expected)
    assert CAL.compute_due_at(moment, months, TimeUnit.MONTHS).date() == expected


@given(moments, st.integers(min_value=1, max_value=500))
def test_hour_limits_agree_with_adding_office_time_to_the_deemed_receipt(
    moment: dt.datetime, hours: int
) -> None:
    start = CAL.deemed_receipt(moment)
    expected = CAL.add_working_time(start, dt.timedelta(hours=hours))
    assert CAL.compute_due_at(moment, hours, TimeUnit.HOURS) == expected
