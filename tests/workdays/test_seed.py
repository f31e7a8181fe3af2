"""What the ``holidays`` package gives, and what the seed derives from it."""

from __future__ import annotations

import datetime as dt

from motcua.workdays.choices import CalendarDayKind
from motcua.workdays.seed import KNOWN_SWAPS, PACKAGE_SOURCE, holiday_entries
from motcua.workdays.values import CalendarEntry

D = dt.date


def _by_date(first: int, last: int) -> dict[dt.date, CalendarEntry]:
    return {entry.date: entry for entry in holiday_entries(first, last)}


def test_the_three_swapped_saturdays_are_extra_working_days_with_their_source() -> None:
    entries = {entry.date: entry for entry in holiday_entries(2024, 2026)}
    for saturday, (day_off, source) in KNOWN_SWAPS.items():
        worked, off = entries[saturday], entries[day_off]
        assert saturday.weekday() == 5
        assert worked.kind == CalendarDayKind.EXTRA_WORKING_DAY
        assert worked.source_document == source
        # The package already lists the weekday given off in exchange.
        assert off.kind == CalendarDayKind.COMPENSATORY_OFF
        assert off.source_document == source
    assert "2450/VPCP-KGVX" in entries[D(2024, 5, 4)].source_document
    assert entries[D(2025, 4, 26)].name == "Ngày làm bù (thay cho ngày nghỉ 02/05/2025)"
    assert entries[D(2025, 5, 2)].name == "Ngày nghỉ (thay cho ngày 26/04/2025)"


def test_2025_days_off_match_the_rules() -> None:
    off = [e.date for e in holiday_entries(2025, 2025) if e.is_day_off]
    assert off == [
        D(2025, 1, 1),
        D(2025, 1, 27),
        D(2025, 1, 28),
        D(2025, 1, 29),
        D(2025, 1, 30),
        D(2025, 1, 31),
        D(2025, 4, 7),
        D(2025, 4, 30),
        D(2025, 5, 1),
        D(2025, 5, 2),
        D(2025, 9, 1),
        D(2025, 9, 2),
    ]


def test_weekend_holidays_are_left_out_and_their_weekday_in_lieu_is_compensatory() -> None:
    entries = {entry.date: entry for entry in holiday_entries(2026, 2026)}
    assert D(2026, 4, 26) not in entries  # Giỗ Tổ on a Sunday
    assert entries[D(2026, 4, 27)].kind == CalendarDayKind.COMPENSATORY_OFF
    assert entries[D(2026, 4, 27)].name == "Ngày Giỗ Tổ Hùng Vương (nghỉ bù)"
    assert entries[D(2026, 4, 27)].source_document == PACKAGE_SOURCE
    assert all(e.date.weekday() < 5 for e in entries.values() if e.kind != "extra_working_day")


def test_a_swap_across_new_year_lands_in_the_year_of_the_working_saturday() -> None:
    assert D(2019, 1, 5) not in _by_date(2018, 2018)
    assert _by_date(2019, 2019)[D(2019, 1, 5)].kind == CalendarDayKind.EXTRA_WORKING_DAY
    assert _by_date(2018, 2018)[D(2018, 12, 31)].kind == CalendarDayKind.COMPENSATORY_OFF


def test_every_year_of_the_range_has_its_statutory_days() -> None:
    entries = holiday_entries(2000, 2100)
    years = {entry.date.year for entry in entries}
    assert years == set(range(2000, 2101))
    assert len([e for e in entries if e.kind == CalendarDayKind.EXTRA_WORKING_DAY]) == 13
