"""Search (diacritics-insensitive, filters, pages) and the procedure page's fixed queries."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.agencies.models import AdminUnit
from motcua.catalog.actions import (
    do_create_procedure,
    do_list_boundary_free,
    do_publish_procedure_version,
)
from motcua.catalog.errors import UnknownVersion
from motcua.catalog.selectors import get_procedure_page, is_boundary_free, search_procedures
from motcua.kernel.clock import VN_TZ
from motcua.kernel.errors import InvalidInput
from tests.catalog.factories import JUSTICE, PROVINCIAL_PC, procedure_data

AT = dt.datetime(2026, 1, 10, 9, 0, tzinfo=VN_TZ)


@pytest.fixture
def catalogue(agencies, catalog_admin):
    """Three published procedures and one draft."""
    published = [
        procedure_data(),
        procedure_data(
            "2.000635",
            name="Cấp bản sao trích lục hộ tịch",
            levels=["province", "commune"],
            subjects=["citizen", "overseas_vietnamese"],
            online_level="partial",
            implementing_agency_codes=[JUSTICE],
            applying_agency_codes=[PROVINCIAL_PC],
        ),
        procedure_data(
            "1.005129",
            name="Cấp giấy phép xây dựng",
            field_code="G13-XD",
            field_name="Xây dựng",
            levels=["province"],
            subjects=["organisation", "business", "household_business"],
            online_level="none",
            is_full_online_eligible=False,
            submission_methods=["counter", "post"],
            implementing_agency_codes=[],
            implementing_agency_names=["Ban Quản lý Khu kinh tế Nghi Sơn"],
            steps=[],
        ),
    ]
    for data in published:
        do_publish_procedure_version(
            do_create_procedure(data, actor=catalog_admin), actor=catalog_admin
        )
    do_create_procedure(procedure_data("2.000001", name="Đăng ký kết hôn"), actor=catalog_admin)


def codes(**filters) -> list[str]:
    return [v.code for v in search_procedures(at=AT, **filters).items]


@pytest.mark.usefixtures("catalogue")
class TestSearch:
    def test_without_diacritics_finds_the_vietnamese_name(self):
        assert codes(q="dang ky khai sinh") == ["1.001193"]
        assert codes(q="ĐĂNG KÝ khai") == ["1.001193"]
        assert codes(q="khai sinh dang ky") == ["1.001193"]

    def test_matches_code_field_and_agency_names(self):
        assert codes(q="2.000635") == ["2.000635"]
        assert codes(q="ho tich") == ["1.001193", "2.000635"]
        assert codes(q="so tu phap") == ["2.000635"]
        assert codes(q="nghi son") == ["1.005129"]

    def test_drafts_and_future_dates_are_not_listed(self):
        assert codes(q="ket hon") == []
        assert search_procedures(at=dt.datetime(2025, 6, 1, tzinfo=VN_TZ)).total == 0

    def test_filters(self):
        assert codes(field="G13-XD") == ["1.005129"]
        assert codes(agency=JUSTICE) == ["2.000635"]
        assert codes(agency=PROVINCIAL_PC) == ["2.000635"]
        assert codes(level="province") == ["1.005129", "2.000635"]
        assert codes(level="commune") == ["1.001193", "2.000635"]
        assert codes(subject="business") == ["1.005129"]
        assert codes(subject="citizen") == ["1.001193", "2.000635"]
        assert codes(online_level="full") == ["1.001193"]
        assert codes(q="cap", online_level="none") == ["1.005129"]

    def test_pages_are_stable_and_counted(self):
        first = search_procedures(at=AT, page=1, page_size=2)
        second = search_procedures(at=AT, page=2, page_size=2)
        assert [v.code for v in first.items] == ["1.001193", "1.005129"]
        assert [v.code for v in second.items] == ["2.000635"]
        assert (first.total, first.num_pages, first.has_next, second.has_next) == (
            3,
            2,
            True,
            False,
        )
        beyond = search_procedures(at=AT, page=9, page_size=2)
        assert (beyond.items, beyond.total) == ([], 3)

    def test_unknown_filter_value_is_an_error(self):
        with pytest.raises(InvalidInput) as excinfo:
            search_procedures(level="district")
        assert excinfo.value.code == "catalog.invalid_filter"

    def test_search_takes_three_queries(self, django_assert_num_queries):
        with django_assert_num_queries(3):  # page with its total, agencies, cases
            result = search_procedures(q="cap", at=AT)
            names = [
                (
                    v.field.name,
                    [a.name for a in v.implementing_agencies.all()],
                    [c.time_limit_display for c in v.cases.all()],
                )
                for v in result.items
            ]
        assert names[0] == ("Xây dựng", [], ["1 ngày làm việc"])


@pytest.mark.usefixtures("catalogue")
class TestProcedurePage:
    def test_a_cached_page_takes_one_query_until_the_procedure_changes(
        self, django_assert_num_queries, catalog_admin
    ):
        with django_assert_num_queries(11):
            get_procedure_page("1.001193", at=AT)
        with django_assert_num_queries(1):
            page = get_procedure_page("1.001193", at=AT)
        assert [s.name for s in page.cases[0].steps] == ["Tiếp nhận hồ sơ", "Thẩm định, ký"]

        do_list_boundary_free(
            page.version.procedure,
            actor=catalog_admin,
            province=AdminUnit.objects.get(code="38"),
            valid_from=dt.date(2025, 12, 1),
        )

        with django_assert_num_queries(11):
            page = get_procedure_page("1.001193", at=AT)
        assert [p.code for p in page.boundary_free_provinces] == ["38"]

    def test_holds_every_part_in_a_fixed_number_of_queries(self, django_assert_num_queries):
        with django_assert_num_queries(11):
            page = get_procedure_page("1.001193", at=AT)
            section = page.cases[0]
            rendered = [
                page.version.name,
                page.version.field.name,
                page.version.announcement.number,
                [d.name for d in page.common_documents],
                [f.name for f in section.fees],
                [page.common_fees],
                [(s.name, s.responsible_display, s.duration_display) for s in section.steps],
                [b.number for b in page.legal_bases],
                [f.download_url for f in page.forms],
                [a.name for a in page.implementing_agencies],
                [(v.number, v.state) for v in page.history],
                page.boundary_free_provinces,
            ]
        assert page.is_in_force is True
        assert rendered[3] == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
        assert rendered[6] == [
            ("Tiếp nhận hồ sơ", "Cán bộ tiếp nhận (một cửa)", "2 giờ làm việc"),
            (
                "Thẩm định, ký",
                "Ủy ban nhân dân phường Hạc Thành — Lãnh đạo cơ quan (ký duyệt)",
                "6 giờ làm việc",
            ),
        ]
        assert rendered[10] == [(1, "published")]

    def test_drafts_are_shown_only_to_catalogue_admins(self, catalog_admin):
        with pytest.raises(UnknownVersion):
            get_procedure_page("2.000001", version=1)
        page = get_procedure_page("2.000001", version=1, actor=catalog_admin)
        assert (page.version.state, page.is_in_force) == ("draft", False)


def test_boundary_free_listing_by_province_and_date(agencies, catalog_admin):
    data = procedure_data(
        boundary_free=[
            {"province_code": "38", "valid_from": "2025-10-01", "valid_to": "2026-01-01"}
        ]
    )
    do_publish_procedure_version(
        do_create_procedure(data, actor=catalog_admin), actor=catalog_admin
    )

    assert is_boundary_free("1.001193", "38", on=dt.date(2025, 12, 31)) is True
    assert is_boundary_free("1.001193", "38", on=dt.date(2026, 1, 1)) is False
    assert is_boundary_free("1.001193", "01", on=dt.date(2025, 12, 31)) is False
    page = get_procedure_page("1.001193", at=dt.datetime(2025, 11, 1, tzinfo=VN_TZ))
    assert [p.name for p in page.boundary_free_provinces] == ["Tỉnh Thanh Hóa"]
