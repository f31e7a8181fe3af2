"""The engine on plain data: the worked examples of §5.2 and every unit and edge."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from motcua.workdays.choices import CalendarDayKind, DueTime, TimeUnit
from motcua.workdays.engine import WorkCalendar
from motcua.workdays.errors import (
    CalendarOutOfRange,
    InvalidTimeLimit,
    NaiveDatetime,
    OpenClockPause,
)
from motcua.workdays.schedule import Schedule
from motcua.workdays.values import CalendarEntry, ClockPause, months_later
from tests.workdays.conftest import vn

D = dt.date
WD = TimeUnit.WORKING_DAYS


class TestWorkedExamples:
    """One-stop rules §5.2, 2025: Sat 26/04 worked in exchange for Fri 02/05."""

    def test_friday_morning_plus_three_working_days_counts_the_working_saturday(
        self, cal: WorkCalendar
    ) -> None:
        assert cal.compute_due_at(vn(2025, 4, 25, 10), 3, WD) == vn(2025, 4, 29, 17)

    def test_friday_after_cutoff_plus_three_working_days_is_monday_fifth_of_may(
        self, cal: WorkCalendar
    ) -> None:
        assert cal.deemed_receipt(vn(2025, 4, 25, 16)) == vn(2025, 4, 26, 7, 30)
        assert cal.compute_due_at(vn(2025, 4, 25, 16), 3, WD) == vn(2025, 5, 5, 17)

    def test_the_package_alone_would_give_the_wrong_answer(self, cal: WorkCalendar) -> None:
        without_swap = WorkCalendar.from_entries(
            [e for e in cal.entries.values() if e.kind != CalendarDayKind.EXTRA_WORKING_DAY],
            first_day=cal.first_day,
            last_day=cal.last_day,
        )
        assert without_swap.compute_due_at(vn(2025, 4, 25, 10), 3, WD) == vn(2025, 5, 5, 17)

    def test_utc_input_gives_the_same_answer_in_vietnam_time(self, cal: WorkCalendar) -> None:
        received = dt.datetime(2025, 4, 25, 3, 0, tzinfo=dt.UTC)  # 10:00 in Hà Nội
        due = cal.compute_due_at(received, 3, WD)
        assert due == vn(2025, 4, 29, 17)
        assert due.utcoffset() == dt.timedelta(hours=7)

    def test_utc_evening_is_already_the_next_day_in_vietnam(self, cal: WorkCalendar) -> None:
        received = dt.datetime(2025, 4, 24, 20, 0, tzinfo=dt.UTC)  # Fri 25/04 03:00 in Hà Nội
        assert cal.deemed_receipt(received) == vn(2025, 4, 25, 7, 30)


class TestDays:
    def test_is_working_day(self, cal: WorkCalendar) -> None:
        assert cal.is_working_day(D(2025, 4, 25)) is True  # Friday
        assert cal.is_working_day(D(2025, 4, 26)) is True  # swapped working Saturday
        assert cal.is_working_day(D(2025, 4, 27)) is False  # Sunday
        assert cal.is_working_day(D(2025, 4, 30)) is False  # Ngày Chiến thắng
        assert cal.is_working_day(D(2025, 5, 2)) is False  # swapped day off
        assert cal.is_working_day(D(2026, 8, 22)) is True
        assert cal.is_working_day(D(2024, 5, 4)) is True

    def test_next_and_previous_working_day(self, cal: WorkCalendar) -> None:
        assert cal.next_working_day(D(2025, 4, 29)) == D(2025, 5, 5)
        assert cal.next_working_day(D(2025, 4, 25)) == D(2025, 4, 26)
        assert cal.previous_working_day(D(2025, 5, 5)) == D(2025, 4, 29)

    def test_add_working_days_zero_returns_the_day_and_negative_walks_back(
        self, cal: WorkCalendar
    ) -> None:
        assert cal.add_working_days(D(2025, 4, 27), 0) == D(2025, 4, 27)
        assert cal.add_working_days(D(2025, 5, 5), -3) == D(2025, 4, 26)
        assert cal.add_working_days(D(2025, 1, 24), 1) == D(2025, 2, 3)  # over Tết 2025

    def test_count_working_days(self, cal: WorkCalendar) -> None:
        assert cal.count_working_days(D(2025, 4, 25), D(2025, 5, 5)) == 4
        assert cal.count_working_days(D(2025, 5, 5), D(2025, 4, 25)) == -4

    def test_working_days_in_a_range(self, cal: WorkCalendar) -> None:
        assert cal.working_days_in(D(2025, 4, 25), D(2025, 5, 5)) == [
            D(2025, 4, 25),
            D(2025, 4, 26),
            D(2025, 4, 28),
            D(2025, 4, 29),
            D(2025, 5, 5),
        ]

    def test_out_of_range(self, cal: WorkCalendar) -> None:
        with pytest.raises(CalendarOutOfRange) as info:
            cal.is_working_day(D(2019, 12, 31))
        assert info.value.code == "calendar.out_of_range"
        with pytest.raises(CalendarOutOfRange):
            cal.add_working_days(D(2030, 12, 20), 30)
        with pytest.raises(CalendarOutOfRange):
            cal.compute_due_at(vn(2030, 12, 20, 9), 30, WD)
        with pytest.raises(CalendarOutOfRange):
            cal.compute_due_at(vn(2030, 12, 31, 16), 0, WD)

    def test_a_date_both_off_and_worked_is_refused(self) -> None:
        with pytest.raises(ValueError, match="both off and worked"):
            WorkCalendar(days_off=[D(2025, 4, 26)], extra_working_days=[D(2025, 4, 26)])

    def test_from_entries_keeps_names_and_the_last_entry_wins(self) -> None:
        calendar = WorkCalendar.from_entries(
            [
                CalendarEntry(D(2025, 4, 28), CalendarDayKind.HOLIDAY, "Nghỉ"),
                CalendarEntry(D(2025, 4, 26), CalendarDayKind.EXTRA_WORKING_DAY, "Làm bù"),
                CalendarEntry(D(2025, 4, 28), CalendarDayKind.COMPENSATORY_OFF, "Nghỉ bù"),
            ],
            first_day=D(2025, 1, 1),
            last_day=D(2025, 12, 31),
        )
        assert calendar.entries[D(2025, 4, 28)].kind == CalendarDayKind.COMPENSATORY_OFF
        assert calendar.is_working_day(D(2025, 4, 28)) is False
        assert calendar.is_working_day(D(2025, 4, 26)) is True


class TestCutoffAndReceipt:
    def test_before_cutoff_counts_from_receipt(self, cal: WorkCalendar) -> None:
        assert cal.deemed_receipt(vn(2025, 4, 25, 14, 59)) == vn(2025, 4, 25, 14, 59)

    def test_at_cutoff_moves_to_next_working_day(self, cal: WorkCalendar) -> None:
        assert cal.deemed_receipt(vn(2025, 4, 25, 15)) == vn(2025, 4, 26, 7, 30)

    def test_before_opening_counts_from_opening(self, cal: WorkCalendar) -> None:
        assert cal.deemed_receipt(vn(2025, 4, 28, 6, 15)) == vn(2025, 4, 28, 7, 30)

    def test_on_a_holiday_moves_to_next_working_day(self, cal: WorkCalendar) -> None:
        assert cal.deemed_receipt(vn(2025, 4, 30, 9)) == vn(2025, 5, 5, 7, 30)

    def test_without_cutoff_only_days_off_move(self, cal: WorkCalendar) -> None:
        schedule = Schedule(cutoff_shifts_clock=False)
        assert cal.deemed_receipt(vn(2025, 4, 25, 16), schedule) == vn(2025, 4, 25, 16)
        assert cal.compute_due_at(vn(2025, 4, 25, 16), 3, WD, schedule) == vn(2025, 4, 29, 17)
        assert cal.deemed_receipt(vn(2025, 4, 27, 9), schedule) == vn(2025, 4, 28, 7, 30)

    def test_without_cutoff_hours_after_closing_start_at_the_next_opening(
        self, cal: WorkCalendar
    ) -> None:
        schedule = Schedule(cutoff_shifts_clock=False)
        assert cal.compute_due_at(vn(2025, 4, 28, 20), 2, "hours", schedule) == vn(
            2025, 4, 29, 9, 30
        )
        assert cal.compute_due_at(vn(2025, 4, 28, 12), 1, "hours", schedule) == vn(
            2025, 4, 28, 14, 30
        )

    def test_agency_cutoff_is_used(self, cal: WorkCalendar) -> None:
        schedule = Schedule(cutoff_time=dt.time(16, 30))
        assert cal.compute_due_at(vn(2025, 4, 24, 16), 1, WD, schedule) == vn(2025, 4, 25, 17)
        assert cal.compute_due_at(vn(2025, 4, 24, 16), 1, WD) == vn(2025, 4, 26, 17)


class TestUnits:
    def test_zero_working_days_is_the_end_of_the_deemed_receipt_day(
        self, cal: WorkCalendar
    ) -> None:
        assert cal.compute_due_at(vn(2025, 4, 25, 10), 0, WD) == vn(2025, 4, 25, 17)
        assert cal.compute_due_at(vn(2025, 4, 25, 16), 0, WD) == vn(2025, 4, 26, 17)

    def test_same_clock_time(self, cal: WorkCalendar) -> None:
        got = cal.compute_due_at(vn(2025, 4, 25, 10, 20), 3, WD, due_time=DueTime.SAME_CLOCK_TIME)
        assert got == vn(2025, 4, 29, 10, 20)
        # Shifted by the cut-off: the clock starts at the opening of the next working day.
        got = cal.compute_due_at(vn(2025, 4, 25, 16), 3, WD, due_time="same_clock_time")
        assert got == vn(2025, 5, 5, 7, 30)

    def test_schedule_due_time_is_the_default(self, cal: WorkCalendar) -> None:
        schedule = Schedule(due_time=DueTime.SAME_CLOCK_TIME)
        assert cal.compute_due_at(vn(2025, 4, 25, 9), 1, WD, schedule) == vn(2025, 4, 26, 9)

    def test_hours_count_office_hours_only(self, cal: WorkCalendar) -> None:
        # 14:00 → 17:00 is 3 h, then 1 h on Saturday 26/04 (a working day).
        assert cal.compute_due_at(vn(2025, 4, 25, 14), 4, TimeUnit.HOURS) == vn(2025, 4, 26, 8, 30)
        # 10:00 → 11:30 is 1.5 h, lunch is skipped, 2.5 h more ends at 16:00.
        assert cal.compute_due_at(vn(2025, 4, 28, 10), 4, TimeUnit.HOURS) == vn(2025, 4, 28, 16)
        # After the cut-off the count starts at 07:30 on the next working day.
        assert cal.compute_due_at(vn(2025, 4, 25, 16), 4, "hours") == vn(2025, 4, 26, 11, 30)
        assert cal.compute_due_at(vn(2025, 4, 28, 8), Decimal("0.5"), "hours") == vn(
            2025, 4, 28, 8, 30
        )
        assert cal.compute_due_at(vn(2025, 4, 28, 8), 0, "hours") == vn(2025, 4, 28, 8)

    def test_an_hour_limit_ending_at_closing_time_ends_at_closing_time(
        self, cal: WorkCalendar
    ) -> None:
        assert cal.compute_due_at(vn(2025, 4, 28, 13, 30), 3.5, "hours") == vn(2025, 4, 28, 17)
        assert cal.compute_due_at(vn(2025, 4, 28, 7, 30), 4, "hours") == vn(2025, 4, 28, 11, 30)

    def test_calendar_days_roll_forward_to_a_working_day(self, cal: WorkCalendar) -> None:
        # 25/04 + 5 days = Wed 30/04 (holiday) → 01/05, 02/05 off, weekend → Mon 05/05.
        assert cal.compute_due_at(vn(2025, 4, 25, 10), 5, TimeUnit.DAYS) == vn(2025, 5, 5, 17)
        assert cal.compute_due_at(vn(2025, 4, 25, 10), 4, TimeUnit.DAYS) == vn(2025, 4, 29, 17)

    def test_months_clamp_the_day_then_roll_forward(self, cal: WorkCalendar) -> None:
        # 31/01/2024 + 1 month = 29/02/2024 (a leap-year Thursday).
        assert cal.compute_due_at(vn(2024, 1, 31, 9), 1, TimeUnit.MONTHS) == vn(2024, 2, 29, 17)
        # 31/03/2025 + 1 month = 30/04 (holiday); 01/05, 02/05 off, weekend → Mon 05/05.
        assert cal.compute_due_at(vn(2025, 3, 31, 9), 1, TimeUnit.MONTHS) == vn(2025, 5, 5, 17)
        # 31/01/2025 is Mùng ba Tết: counting starts Mon 03/02, + 1 month = Mon 03/03.
        assert cal.compute_due_at(vn(2025, 1, 31, 9), 1, TimeUnit.MONTHS) == vn(2025, 3, 3, 17)

    def test_months_later(self) -> None:
        assert months_later(D(2024, 1, 31), 1) == D(2024, 2, 29)
        assert months_later(D(2025, 11, 30), 3) == D(2026, 2, 28)
        assert months_later(D(2025, 5, 15), 12) == D(2026, 5, 15)

    @pytest.mark.parametrize(
        ("limit", "unit"),
        [
            (-1, WD),
            (1.5, WD),
            (True, WD),
            (2, "weeks"),
            (-0.5, "hours"),
            (float("nan"), WD),
            (float("inf"), "hours"),
            (10**7, WD),
        ],
    )
    def test_invalid_limits(self, cal: WorkCalendar, limit: float, unit: str) -> None:
        with pytest.raises(InvalidTimeLimit) as info:
            cal.compute_due_at(vn(2025, 4, 25, 10), limit, unit)
        assert info.value.code == "calendar.invalid_time_limit"

    def test_naive_datetimes_are_refused(self, cal: WorkCalendar) -> None:
        with pytest.raises(NaiveDatetime) as info:
            cal.compute_due_at(dt.datetime(2025, 4, 25, 10), 3, WD)
        assert info.value.code == "calendar.naive_datetime"
        with pytest.raises(NaiveDatetime):
            cal.elapsed_working_time(dt.datetime(2025, 4, 25, 10), vn(2025, 4, 26))


class TestWorkingTime:
    def test_elapsed_skips_nights_lunch_and_days_off(self, cal: WorkCalendar) -> None:
        # Fri 10:00–11:30 and 13:30–17:00 = 5 h; Sat 26/04 and Mon 28/04 full days = 15 h;
        # Tue 29/04 07:30–09:00 = 1.5 h.
        got = cal.elapsed_working_time(vn(2025, 4, 25, 10), vn(2025, 4, 29, 9))
        assert got == dt.timedelta(hours=21.5)

    def test_elapsed_is_antisymmetric(self, cal: WorkCalendar) -> None:
        a, b = vn(2025, 4, 25, 10), vn(2025, 4, 29, 9)
        assert cal.elapsed_working_time(b, a) == -cal.elapsed_working_time(a, b)

    def test_pauses_are_clipped_merged_and_subtracted(self, cal: WorkCalendar) -> None:
        pauses = [
            ClockPause(vn(2025, 4, 28, 7), vn(2025, 4, 28, 12)),  # 4 h of office time
            (vn(2025, 4, 28, 10), vn(2025, 4, 28, 14, 30)),  # overlaps: +1 h more
            (vn(2025, 4, 20), vn(2025, 4, 25, 11)),  # starts before: 1 h inside
        ]
        got = cal.elapsed_working_time(vn(2025, 4, 25, 10), vn(2025, 4, 29, 9), pauses=pauses)
        assert got == dt.timedelta(hours=21.5 - 4 - 1 - 1)

    def test_an_open_pause_runs_to_the_end(self, cal: WorkCalendar) -> None:
        got = cal.elapsed_working_time(
            vn(2025, 4, 25, 10), vn(2025, 4, 29, 9), pauses=[(vn(2025, 4, 28, 7, 30), None)]
        )
        assert got == dt.timedelta(hours=5 + 7.5)

    def test_add_working_hours_and_time(self, cal: WorkCalendar) -> None:
        assert cal.add_working_hours(vn(2025, 4, 29, 16), 1) == vn(2025, 4, 29, 17)
        assert cal.add_working_hours(vn(2025, 4, 29, 16), 2) == vn(2025, 5, 5, 8, 30)
        assert cal.add_working_hours(vn(2025, 4, 29, 20), 0) == vn(2025, 4, 29, 20)
        assert cal.add_working_time(vn(2025, 4, 29, 20), dt.timedelta(minutes=1)) == vn(
            2025, 5, 5, 7, 31
        )
        with pytest.raises(InvalidTimeLimit):
            cal.add_working_time(vn(2025, 4, 29, 20), dt.timedelta(minutes=-1))

    def test_pauses_push_the_deadline_by_the_office_time_they_cover(
        self, cal: WorkCalendar
    ) -> None:
        # Due 29/04 17:00 without pause; a 2-hour pause on 28/04 moves it to 05/05 09:30.
        pause = ClockPause(vn(2025, 4, 28, 8), vn(2025, 4, 28, 10))
        got = cal.compute_due_at(vn(2025, 4, 25, 10), 3, WD, pauses=[pause])
        assert got == vn(2025, 5, 5, 9, 30)

    def test_a_pause_after_the_deadline_changes_nothing(self, cal: WorkCalendar) -> None:
        pause = ClockPause(vn(2025, 5, 6, 8), vn(2025, 5, 6, 10))
        assert cal.compute_due_at(vn(2025, 4, 25, 10), 3, WD, pauses=[pause]) == vn(2025, 4, 29, 17)

    def test_an_open_pause_has_no_deadline(self, cal: WorkCalendar) -> None:
        with pytest.raises(OpenClockPause) as info:
            cal.compute_due_at(vn(2025, 4, 25, 10), 3, WD, pauses=[(vn(2025, 4, 28, 8), None)])
        assert info.value.code == "calendar.open_pause"
