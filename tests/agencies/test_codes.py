"""QCVN 102:2016 agency codes: the full form only, ASCII digits, upper-case block letter."""

from __future__ import annotations

import pytest

from motcua.agencies.codes import AgencyCode, parse_agency_code
from motcua.agencies.errors import InvalidAgencyCode


def test_a_full_code_parses_into_its_four_levels() -> None:
    code = parse_agency_code("000.01.12.H56")

    assert code == AgencyCode(level4="000", level3="01", level2="12", block="H56")
    assert str(code) == "000.01.12.H56"
    assert code.is_root is False
    assert code.block_letter == "H"


def test_the_root_code_of_a_province_is_recognised() -> None:
    assert parse_agency_code("000.00.00.H56").is_root is True


def test_blanks_and_a_lower_case_letter_are_normalised() -> None:
    assert str(parse_agency_code("  000.00.12.h56 ")) == "000.00.12.H56"


@pytest.mark.parametrize(
    "bad",
    [
        "",
        "G09.20",  # the short form is refused (see motcua.agencies.codes)
        "000.00.12.H5",
        "00.00.12.H56",
        "000.00.12.56H",
        "000-00-12-H56",
        "000.00.12.H56.1",
        "000.00.12.H 56",
        "٠٠٠.00.12.H56",  # Arabic-Indic digits are digits to \d, not to QCVN 102
    ],
)
def test_anything_else_is_refused_with_a_stable_code_and_a_field_error(bad: str) -> None:
    with pytest.raises(InvalidAgencyCode) as caught:
        parse_agency_code(bad)

    assert caught.value.code == "agencies.invalid_code"
    assert caught.value.status == 422
    assert "NNN.NN.NN.Xnn" in caught.value.message
    assert list(caught.value.field_errors) == ["code"]
