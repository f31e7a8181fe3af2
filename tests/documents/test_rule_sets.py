"""Which legal basis a form follows: ``rule_set_for`` at its boundaries, and the numbering."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from motcua.documents.forms import (
    DEFAULT_TT03_FROM,
    FormKind,
    FormRuleSet,
    form_number,
    form_version,
    kinds_in,
    rule_set_for,
)

VN = ZoneInfo("Asia/Ho_Chi_Minh")
LATER = dt.datetime(2026, 1, 5, 3, 0, tzinfo=dt.UTC)


def test_the_default_switch_day_is_the_effective_date_of_circular_03_2025() -> None:
    assert DEFAULT_TT03_FROM == dt.date(2025, 9, 15)


@pytest.mark.parametrize(
    ("received_local", "expected"),
    [
        (dt.datetime(2018, 12, 1, 8, 0), FormRuleSet.TT01_2018),
        (dt.datetime(2025, 7, 1, 0, 0), FormRuleSet.TT01_2018),  # 1/7–14/9 unverified: 2018
        (dt.datetime(2025, 9, 14, 23, 59, 59), FormRuleSet.TT01_2018),
        (dt.datetime(2025, 9, 15, 0, 0), FormRuleSet.TT03_2025),
        (dt.datetime(2026, 3, 5, 14, 30), FormRuleSet.TT03_2025),
    ],
)
def test_rule_set_follows_the_local_receipt_day_with_the_default_switch(
    received_local: dt.datetime, expected: FormRuleSet
) -> None:
    # Given a dossier received at a local (Asia/Ho_Chi_Minh) time; When/Then
    assert rule_set_for(received_local.replace(tzinfo=VN), on=LATER) is expected


def test_the_day_is_taken_in_vietnam_not_in_utc() -> None:
    # Given 17:00 UTC on 14/9/2025, which is 00:00 on 15/9 in Hà Nội
    moment = dt.datetime(2025, 9, 14, 17, 0, tzinfo=dt.UTC)
    # Then the 2025 forms apply, one second earlier the 2018 ones
    assert rule_set_for(moment, on=LATER) is FormRuleSet.TT03_2025
    assert rule_set_for(moment - dt.timedelta(seconds=1), on=LATER) is FormRuleSet.TT01_2018


@pytest.mark.parametrize("value", [dt.date(2025, 7, 1), "2025-07-01"])
def test_the_switch_day_is_a_setting(settings, value: object) -> None:
    # Given the 2025 forms confirmed from 1/7/2025
    settings.DOCUMENTS_TT03_FROM = value
    # Then 30/6 23:59 is 2018 and 1/7 00:00 is 2025
    assert (
        rule_set_for(dt.datetime(2025, 6, 30, 23, 59, tzinfo=VN), on=LATER) is FormRuleSet.TT01_2018
    )
    assert rule_set_for(dt.datetime(2025, 7, 1, 0, 0, tzinfo=VN), on=LATER) is FormRuleSet.TT03_2025


def test_a_dossier_not_received_uses_the_handling_time() -> None:
    on = dt.datetime(2025, 9, 15, 1, 0, tzinfo=VN)
    assert rule_set_for(None, on=on) is FormRuleSet.TT03_2025
    assert rule_set_for(None, on=on - dt.timedelta(hours=2)) is FormRuleSet.TT01_2018


def test_a_naive_datetime_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        rule_set_for(dt.datetime(2025, 9, 15, 8, 0), on=LATER)


def test_numbering_of_both_rule_sets() -> None:
    assert [form_number(kind, FormRuleSet.TT01_2018) for kind in kinds_in(FormRuleSet.TT01_2018)] == [
        "01", "02", "03", "04", "05", "06",
    ]  # fmt: skip
    assert kinds_in(FormRuleSet.TT01_2018) == (
        FormKind.RECEIPT_SLIP,
        FormKind.SUPPLEMENT_REQUEST,
        FormKind.REFUSAL,
        FormKind.APOLOGY_EXTENSION,
        FormKind.PROCESS_CONTROL_SLIP,
        FormKind.DOSSIER_REGISTER,
    )
    assert kinds_in(FormRuleSet.TT03_2025) == tuple(FormKind)
    assert form_number(FormKind.STOP_NOTICE, FormRuleSet.TT01_2018) is None
    assert form_version(FormKind.PROCESS_CONTROL_SLIP, FormRuleSet.TT01_2018) == "tt01_2018/05"
    assert form_version(FormKind.PROCESS_CONTROL_SLIP, FormRuleSet.TT03_2025) == "tt03_2025/06"
    assert form_version(FormKind.DOSSIER_REGISTER, "tt01_2018") == "tt01_2018/06"
