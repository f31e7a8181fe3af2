"""The cached calendar loader: package fallback, seeded years, revision checks."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from motcua import workdays
from motcua.agencies.errors import UnknownAgency
from motcua.agencies.models import Agency
from motcua.kernel.actors import Actor
from motcua.workdays import actions, selectors
from motcua.workdays.choices import DueTime, TimeUnit
from motcua.workdays.schedule import Schedule
from tests.workdays.conftest import vn

pytestmark = pytest.mark.django_db
D, T = dt.date, dt.time


def test_an_empty_database_falls_back_to_the_package_with_its_working_saturdays() -> None:
    assert workdays.is_working_day(D(2025, 4, 26)) is True
    assert workdays.is_working_day(D(2025, 5, 2)) is False
    assert workdays.compute_due_at(vn(2025, 4, 25, 16), 3, TimeUnit.WORKING_DAYS) == vn(
        2025, 5, 5, 17
    )
    assert workdays.next_working_day(D(2025, 4, 29)) == D(2025, 5, 5)


def test_the_module_functions_use_the_effective_calendar() -> None:
    assert workdays.previous_working_day(D(2025, 5, 5)) == D(2025, 4, 29)
    assert workdays.add_working_days(D(2025, 4, 25), 3) == D(2025, 4, 29)
    assert workdays.count_working_days(D(2025, 4, 25), D(2025, 5, 5)) == 4
    assert workdays.deemed_receipt(vn(2025, 4, 25, 16)) == vn(2025, 4, 26, 7, 30)
    assert workdays.add_working_hours(vn(2025, 4, 29, 16), 2) == vn(2025, 5, 5, 8, 30)
    assert workdays.add_working_time(vn(2025, 4, 29, 16), dt.timedelta(hours=1)) == vn(
        2025, 4, 29, 17
    )
    pause = workdays.ClockPause(vn(2025, 4, 28, 7, 30), vn(2025, 4, 28, 17))
    assert workdays.elapsed_working_time(
        vn(2025, 4, 25, 10), vn(2025, 4, 29, 9), pauses=[pause]
    ) == dt.timedelta(hours=14)
    assert workdays.compute_due_at(
        vn(2025, 4, 25, 10), 3, workdays.TimeUnit.WORKING_DAYS, pauses=[pause]
    ) == vn(2025, 5, 5, 17)


def test_an_edit_is_seen_at_once_by_the_process_that_made_it(system_admin: Actor) -> None:
    before = selectors.get_calendar()
    assert workdays.is_working_day(D(2027, 5, 4)) is True
    actions.do_add_calendar_day(
        D(2027, 5, 4), actor=system_admin, kind="holiday", name="Nghỉ", source_document="TB 1"
    )
    assert workdays.is_working_day(D(2027, 5, 4)) is False
    assert selectors.get_calendar() is not before


def test_a_seeded_year_is_taken_from_the_database_only(system_admin: Actor) -> None:
    actions.do_seed_calendar_from_holidays([2026], actor=system_admin)
    assert workdays.is_working_day(D(2026, 11, 24)) is False
    day = selectors.list_calendar_days(2026).get(date=D(2026, 11, 24))
    actions.do_remove_calendar_day(day, actor=system_admin, reason="Chưa có nghị quyết")
    assert workdays.is_working_day(D(2026, 11, 24)) is True
    assert selectors.is_year_seeded(2026) is True
    assert selectors.is_year_seeded(2027) is False


def test_other_processes_see_an_edit_after_the_check_interval(
    system_admin: Actor, settings: pytest.FixtureRequest
) -> None:
    settings.WORKDAYS_REVISION_CHECK_SECONDS = 60  # type: ignore[attr-defined]
    cached = selectors.get_calendar()
    actions.do_add_calendar_day(
        D(2027, 5, 4), actor=system_admin, kind="holiday", name="Nghỉ", source_document="TB"
    )
    # Play a process on another machine: it was not told, and it checked a moment ago.
    selectors._cache.calendar = cached
    selectors._cache.checked_at = time.monotonic()
    assert selectors.get_calendar() is cached
    assert workdays.is_working_day(D(2027, 5, 4)) is True
    # Once the interval has passed, it compares tokens and rebuilds.
    selectors._cache.checked_at = time.monotonic() - 61
    assert workdays.is_working_day(D(2027, 5, 4)) is False
    assert selectors.get_calendar() is not cached


def test_a_calendar_check_costs_one_query_and_a_rebuild_three(
    django_assert_num_queries: pytest.FixtureRequest, system_admin: Actor
) -> None:
    selectors.get_calendar()
    selectors.invalidate_calendar_cache()
    with django_assert_num_queries(1):  # type: ignore[operator]
        selectors.get_calendar()
    with django_assert_num_queries(0):  # type: ignore[operator]
        selectors.get_calendar()
    actions.do_seed_calendar_from_holidays([2025], actor=system_admin)
    with django_assert_num_queries(3):  # type: ignore[operator]
        selectors.get_calendar()


def test_list_year_entries_comes_from_the_effective_calendar() -> None:
    entries = selectors.list_year_entries(2025)
    assert [e.date for e in entries][:2] == [D(2025, 1, 1), D(2025, 1, 27)]
    assert D(2025, 4, 26) in {e.date for e in entries}


def test_schedule_of_an_agency_or_the_default(agency: Agency, system_admin: Actor) -> None:
    assert selectors.get_schedule(None) == Schedule()
    assert selectors.get_schedule(agency) == Schedule()
    actions.do_set_agency_schedule(
        agency,
        actor=system_admin,
        morning_start=T(8),
        morning_end=T(12),
        afternoon_start=T(13),
        afternoon_end=T(17),
        cutoff_time=T(16),
        due_time=DueTime.SAME_CLOCK_TIME,
    )
    found, schedule = selectors.get_agency_and_schedule("000.00.12.H38")
    assert found == agency
    assert schedule == Schedule(
        morning_start=T(8),
        morning_end=T(12),
        afternoon_start=T(13),
        afternoon_end=T(17),
        cutoff_time=T(16),
        due_time=DueTime.SAME_CLOCK_TIME,
    )
    # With its 16:00 cut-off, a 15:30 receipt still counts from the same day.
    got = workdays.compute_due_at(vn(2025, 4, 24, 15, 30), 1, TimeUnit.WORKING_DAYS, schedule)
    assert got == vn(2025, 4, 25, 15, 30)


def test_an_unknown_agency_code() -> None:
    with pytest.raises(UnknownAgency) as info:
        selectors.get_agency_and_schedule("000.00.99.H99")
    assert info.value.code == "agencies.unknown_agency"
    assert info.value.status == 404
