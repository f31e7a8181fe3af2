"""Periods: keys, bounds in Vietnam time, evaluation moment, bad input."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.kernel.clock import VN_TZ
from motcua.kernel.errors import ApplicationError
from motcua.scoreboard.periods import Period, month_number, periods_of


@pytest.mark.parametrize(
    ("key", "kind", "months", "label"),
    [
        ("2026-01", "month", [202601], "Tháng 1/2026"),
        ("2026-Q2", "quarter", [202604, 202605, 202606], "Quý II/2026"),
        ("2026", "year", [202600 + m for m in range(1, 13)], "Năm 2026"),
    ],
)
def test_a_key_names_its_months(key: str, kind: str, months: list[int], label: str) -> None:
    period = Period.parse(key)
    assert (period.kind, period.months, period.key, period.label) == (kind, months, key, label)


def test_bounds_are_in_vietnam_time() -> None:
    january = Period.parse("2026-01")
    assert january.start == dt.datetime(2026, 1, 1, tzinfo=VN_TZ)
    assert january.end == dt.datetime(2026, 2, 1, tzinfo=VN_TZ)
    # 31/12/2025 18:00 UTC is 01/01/2026 01:00 in Hà Nội: January's.
    moment = dt.datetime(2025, 12, 31, 18, 0, tzinfo=dt.UTC)
    assert month_number(moment) == 202601
    assert [p.key for p in periods_of(moment)] == ["2026-01", "2026-Q1", "2026"]


def test_a_live_period_is_evaluated_now_an_ended_one_at_its_last_moment() -> None:
    january = Period.parse("2026-01")
    mid = dt.datetime(2026, 1, 15, 9, 0, tzinfo=VN_TZ)
    later = dt.datetime(2026, 3, 1, tzinfo=VN_TZ)
    assert january.evaluated_at(mid) == mid
    assert january.evaluated_at(later) == january.end - dt.timedelta(microseconds=1)
    assert (january.has_ended(mid), january.has_ended(later)) == (False, True)


@pytest.mark.parametrize(
    ("key", "previous"), [("2026-01", "2025-12"), ("2026-Q1", "2025-Q4"), ("2026", "2025")]
)
def test_previous_period(key: str, previous: str) -> None:
    assert Period.parse(key).previous().key == previous


@pytest.mark.parametrize(
    "key", ["2026-13", "2026-00", "2026-Q5", "26-01", "1999", "2026/01", "", "abc"]
)
def test_an_unknown_period_is_a_clear_error(key: str) -> None:
    with pytest.raises(ApplicationError) as err:
        Period.parse(key)
    assert err.value.code == "scoreboard.unknown_period"
    assert err.value.status == 404
