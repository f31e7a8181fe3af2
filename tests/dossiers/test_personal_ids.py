"""Identification numbers (§13, R14)."""

from __future__ import annotations

import pytest

from motcua.dossiers.enums import IdType
from motcua.dossiers.errors import InvalidPersonalId
from motcua.dossiers.personal_ids import PROVINCE_PREFIXES, classify_id_number, parse_personal_id


def test_r14_woman_born_2003_in_ha_noi() -> None:
    parsed = parse_personal_id("001303012345", birth_year=2003, is_female=True)

    assert (parsed.province_prefix, parsed.birth_year, parsed.is_female) == ("001", 2003, True)


@pytest.mark.parametrize(
    ("number", "kwargs"),
    [
        ("001303012345", {"birth_year": 1993}),  # R14: same number, born 1993 → invalid
        ("001303012345", {"is_female": False}),
        ("00130301234", {}),  # 11 digits
        ("00130301234X", {}),
        ("003303012345", {}),  # 003 is not a province code
        ("001993012345", {}),  # 2399: in the future
    ],
)
def test_invalid_numbers(number: str, kwargs: dict[str, object]) -> None:
    with pytest.raises(InvalidPersonalId) as err:
        parse_personal_id(number, **kwargs)  # type: ignore[arg-type]

    assert err.value.code == "dossier.invalid_personal_id"


def test_the_sixty_three_old_province_codes() -> None:
    assert len(PROVINCE_PREFIXES) == 63
    assert {"001", "038", "079", "096"} <= PROVINCE_PREFIXES


def test_classification_by_kind_and_length() -> None:
    assert classify_id_number("038090001234") == IdType.PERSONAL_ID12
    assert classify_id_number(" 172345678 ") == IdType.LEGACY_ID9
    assert classify_id_number("0101234567", is_organisation=True) == IdType.ORGANISATION_CODE
    assert classify_id_number("0101234567-001", is_organisation=True) == IdType.ORGANISATION_CODE
    with pytest.raises(InvalidPersonalId):
        classify_id_number("12345", is_organisation=True)
