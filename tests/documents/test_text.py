"""Printed Vietnamese: administrative dates (Decree 30/2020), masked names and numbers."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.documents.text import (
    format_date,
    format_date_line,
    format_time_date,
    mask_id_number,
    mask_person_name,
)


@pytest.mark.parametrize(
    ("moment", "line", "short"),
    [
        # 17:00 UTC on 4/3 is 00:00 on 5/3 in Hà Nội
        (dt.datetime(2026, 3, 4, 17, 0, tzinfo=dt.UTC), "ngày 05 tháng 3 năm 2026", "05/3/2026"),
        (dt.datetime(2026, 2, 15, 3, 0, tzinfo=dt.UTC), "ngày 15 tháng 02 năm 2026", "15/02/2026"),
        (dt.datetime(2025, 12, 31, 3, 0, tzinfo=dt.UTC), "ngày 31 tháng 12 năm 2025", "31/12/2025"),
        (dt.date(2026, 1, 9), "ngày 09 tháng 01 năm 2026", "09/01/2026"),
    ],
)
def test_dates_are_local_with_decree_30_padding(moment: dt.date, line: str, short: str) -> None:
    assert format_date_line(moment) == line
    assert format_date(moment) == short


def test_time_and_date_and_blanks() -> None:
    assert (
        format_time_date(dt.datetime(2026, 3, 5, 7, 5, tzinfo=dt.UTC))
        == "14 giờ 05 phút, ngày 05/3/2026"
    )
    assert format_time_date(None) == ""
    assert format_date(None) == ""
    assert format_date_line(None) == "ngày …… tháng …… năm ……"


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("Nguyễn Văn A", "Nguyễn V*** A"),
        ("Nguyễn Văn An", "Nguyễn V*** A***"),
        ("  Trần   Thị Minh Châu ", "Trần T*** M*** C***"),
        ("Lê", "Lê"),
        ("", ""),
    ],
)
def test_holder_names_are_masked_after_the_family_name(name: str, masked: str) -> None:
    assert mask_person_name(name) == masked


def test_identification_numbers_are_masked() -> None:
    assert mask_id_number("038095001234") == "038******234"
    assert mask_id_number(" 123456789 ") == "123***789"
