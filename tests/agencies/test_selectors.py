"""Reads: units by code and date, communes of a province, folded search, agency lists."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.agencies.errors import UnknownAdminUnit, UnknownAgency
from motcua.agencies.selectors import (
    ancestor_ids,
    descendant_ids,
    descendants_of,
    get_admin_unit,
    get_agency_by_code,
    list_admin_units,
    list_agencies,
    list_communes,
    search_admin_units,
)
from tests.agencies.factories import Agencies, Units

pytestmark = pytest.mark.django_db


def test_a_code_names_the_unit_in_force_on_the_day_asked(units: Units) -> None:
    assert get_admin_unit("38", on=dt.date(2025, 6, 30)) == units.old_thanh_hoa
    assert get_admin_unit("38", on=dt.date(2025, 7, 1)) == units.thanh_hoa
    assert (
        get_admin_unit("14797", level="commune", on=dt.date(2025, 6, 30)).name == "Phường Điện Biên"
    )
    assert get_admin_unit(" 14797 ").name == "Phường Hạc Thành"


def test_an_unknown_code_or_level_raises_unknown_admin_unit(units: Units) -> None:
    with pytest.raises(UnknownAdminUnit) as caught:
        get_admin_unit("38", level="commune")
    with pytest.raises(UnknownAdminUnit):
        get_admin_unit("380")  # a district: only in the old list

    assert (caught.value.code, caught.value.status) == ("agencies.unknown_admin_unit", 404)
    assert caught.value.message == "Không tìm thấy đơn vị hành chính có mã 38."


def test_list_communes_of_a_current_and_of_a_legacy_province(units: Units) -> None:
    assert [u.code for u in list_communes("38")] == ["14797", "16531"]
    assert [u.name for u in list_communes("38", on=dt.date(2025, 6, 30))] == ["Phường Điện Biên"]
    with pytest.raises(UnknownAdminUnit):
        list_communes("99")


def test_search_ignores_diacritics_and_case(units: Units) -> None:
    assert [u.name for u in search_admin_units("hac THANH")] == ["Phường Hạc Thành"]
    assert [u.name for u in search_admin_units("Hạc Thành", scheme=None)] == ["Phường Hạc Thành"]
    assert [u.code for u in search_admin_units("thanh hoa", level="province")] == ["38"]
    assert list(search_admin_units("   ")) == []


def test_list_admin_units_filters_by_scheme_level_parent_and_name(units: Units) -> None:
    assert [u.code for u in list_admin_units(level="province")] == ["38", "01"]
    assert [u.code for u in list_admin_units(parent=units.thanh_hoa)] == ["14797", "16531"]
    assert [u.code for u in list_admin_units(scheme="2004")] == ["38", "380", "14797"]
    assert [u.code for u in list_admin_units(q="ba dinh")] == ["00004"]


def test_get_agency_by_code(agencies: Agencies) -> None:
    assert get_agency_by_code("000.00.12.h56 ") == agencies.justice
    with pytest.raises(UnknownAgency) as caught:
        get_agency_by_code("000.00.99.H56")
    assert (caught.value.code, caught.value.message) == (
        "agencies.unknown_agency",
        "Không tìm thấy cơ quan có mã định danh 000.00.99.H56.",
    )


def test_list_agencies_filters(agencies: Agencies, units: Units) -> None:
    assert [a.code for a in list_agencies(kind="department")] == ["000.00.12.H56", "000.00.13.H56"]
    assert [a.code for a in list_agencies(level="commune")] == ["000.00.41.H56", "000.01.41.H56"]
    assert [a.code for a in list_agencies(parent=agencies.commune_pc)] == ["000.01.41.H56"]
    assert [a.code for a in list_agencies(admin_unit=units.ha_noi)] == ["000.00.00.H26"]
    assert [a.code for a in list_agencies(q="tu phap")] == ["000.00.12.H56"]
    assert [a.code for a in list_agencies(q="000.00.4")] == ["000.00.41.H56"]


def test_descendants_and_ancestors(agencies: Agencies) -> None:
    assert [a.code for a in descendants_of(agencies.province_pc)] == [
        "000.00.12.H56",
        "000.00.13.H56",
        "000.00.41.H56",
        "000.01.41.H56",
    ]
    assert descendant_ids(agencies.commune_pasc.pk) == set()
    assert ancestor_ids(agencies.commune_pasc.pk) == [
        agencies.commune_pc.pk,
        agencies.province_pc.pk,
    ]
