"""The public catalogue pages: search, filters, pages, the procedure page, versions, 404.

Pages are read as a citizen sees them: ``Page`` collects the visible text of every
table (by caption) and every definition list, skipping ``aria-hidden`` labels, so the
assertions name exact cell values rather than fragments of markup.
"""

from __future__ import annotations

import itertools
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import HttpResponse
from django.test import Client

from motcua.catalog.actions import (
    do_abolish_procedure,
    do_create_procedure,
    do_create_procedure_version,
    do_import_procedures,
    do_publish_procedure_version,
)
from motcua.catalog.importing import batch_from_data
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.schemas import AnnouncementData, ProcedureData
from motcua.kernel.actors import Actor
from tests.catalog.factories import (
    COMMUNE_PC,
    JUSTICE,
    announcement,
    procedure_data,
    procedure_payload,
)

SEARCH = "/thu-tuc/"
VOID_TAGS = {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "col"}


# --- reading pages ----------------------------------------------------------------


def _squash(parts: list[str]) -> str:
    return " ".join("".join(parts).split())


class Page(HTMLParser):
    """The visible text of a page's tables and definition lists."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.facts: dict[str, list[str]] = {}
        self.heading_levels: list[int] = []
        self._hidden = 0
        self._caption: list[str] | None = None
        self._table: list[list[str]] | None = None
        self._row: list[str] | None = None
        self._cell: list[str] | None = None
        self._dt: list[str] | None = None
        self._dd: list[str] | None = None
        self._term = ""
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._hidden or dict(attrs).get("aria-hidden") == "true":
            self._hidden += tag not in VOID_TAGS
            return
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.heading_levels.append(int(tag[1]))
        elif tag == "table":
            self._table = []
        elif tag == "caption":
            self._caption = []
        elif tag == "tr":
            self._row = []
        elif tag in {"th", "td"}:
            self._cell = []
        elif tag == "dt":
            self._dt = []
        elif tag == "dd":
            self._dd = []
        elif tag in {"br", "li"}:
            self._text(" ")

    def handle_endtag(self, tag: str) -> None:
        if self._hidden:
            self._hidden -= 1
            return
        if tag == "caption" and self._caption is not None and self._table is not None:
            self.tables[_squash(self._caption)] = self._table
            self._caption = None
        elif tag in {"th", "td"} and self._cell is not None and self._row is not None:
            self._row.append(_squash(self._cell))
            self._cell = None
        elif tag == "tr" and self._row is not None and self._table is not None:
            self._table.append(self._row)
            self._row = None
        elif tag == "dt" and self._dt is not None:
            self._term = _squash(self._dt)
            self._dt = None
        elif tag == "dd" and self._dd is not None:
            self.facts.setdefault(self._term, []).append(_squash(self._dd))
            self._dd = None

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self._text(data)

    def _text(self, data: str) -> None:
        for target in (self._caption, self._cell, self._dt, self._dd):
            if target is not None:
                target.append(data)

    def fact(self, term: str) -> str:
        (value,) = self.facts[term]
        return value


def visible_text(html: str) -> str:
    """Return the text of ``html`` with tags removed and spaces collapsed."""
    chunks: list[str] = []

    class _Text(HTMLParser):
        def handle_data(self, data: str) -> None:
            chunks.append(data)

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            chunks.append(" ")

    _Text().feed(html)
    return " ".join("".join(chunks).split())


def result_codes(response: HttpResponse) -> list[str]:
    """Return the codes of the listed results, in order."""
    return [
        row
        for term, values in Page(response.content.decode()).facts.items()
        if term == "Mã thủ tục"
        for row in values
    ]


# --- data ------------------------------------------------------------------------


@pytest.fixture
def admin() -> Actor:
    return Actor.system("tests")


def publish(data: ProcedureData, actor: Actor) -> ProcedureVersion:
    return do_publish_procedure_version(do_create_procedure(data, actor=actor), actor=actor)


def birth_registration(**overrides: Any) -> ProcedureData:
    """Birth registration with every part the page shows, two cases and a fee."""
    payload = procedure_payload(
        "1.001193",
        subjects=["citizen", "foreigner"],
        method_note="Nộp tại Trung tâm Phục vụ hành chính công cấp xã.",
        sequence="Bước 1: Nộp hồ sơ.\nBước 2: Nhận Giấy khai sinh.",
        requirements="Đăng ký trong 60 ngày kể từ ngày sinh.",
        is_free=False,
        cases=[
            {"code": "TH1", "name": "Không phải xác minh", "time_limit": 15},
            {"code": "TH2", "name": "Phải xác minh", "time_limit": 20},
        ],
        documents=[
            {
                "name": "Tờ khai đăng ký khai sinh",
                "originals": 1,
                "e_form_code": "KS-TK",
                "form_code": "TK-KS",
            },
            {
                "name": "Giấy chứng sinh",
                "originals": 1,
                "replaceable_by_data": True,
                "data_source_code": "CSDLQGDC",
            },
            {
                "name": "Văn bản ủy quyền",
                "certified_copies": 1,
                "requirement": "conditional",
                "condition": "Khi ủy quyền cho người khác",
            },
            {"name": "Ảnh chụp giấy tờ cũ", "photocopies": 2, "requirement": "optional"},
            {"case_code": "TH2", "name": "Văn bản xác minh", "originals": 1},
        ],
        fees=[
            {"name": "Lệ phí đăng ký khai sinh quá hạn", "amount": 50000},
            {"case_code": "TH2", "kind": "charge", "name": "Phí xác minh", "amount": 1500000},
        ],
        steps=[
            {"case_code": "TH1", "name": "Tiếp nhận hồ sơ", "role": "desk_officer", "duration": 1},
            {
                "case_code": "TH1",
                "name": "Thẩm định, ký",
                "agency_code": COMMUNE_PC,
                "duration": 14,
            },
            {"case_code": "TH2", "name": "Xác minh", "agency_code": JUSTICE, "duration": 20},
        ],
        boundary_free=[{"province_code": "38", "valid_from": "2025-07-01"}],
    )
    payload.update(overrides)
    return ProcedureData.model_validate(payload)


@pytest.fixture
def catalogue(agencies: Any, admin: Actor) -> None:
    """Four published procedures (one with every part) and one draft."""
    published = [
        birth_registration(),
        procedure_data(
            "2.000635",
            name="Cấp bản sao trích lục hộ tịch",
            levels=["province", "commune"],
            subjects=["citizen", "overseas_vietnamese"],
            online_level="partial",
            is_full_online_eligible=False,
            implementing_agency_codes=[JUSTICE],
        ),
        procedure_data(
            "1.005129",
            name="Cấp giấy phép xây dựng",
            field_code="G13-XD",
            field_name="Xây dựng",
            levels=["province"],
            subjects=["organisation", "business"],
            online_level="none",
            is_full_online_eligible=False,
            submission_methods=["counter", "post"],
            implementing_agency_codes=[],
            implementing_agency_names=["Ban Quản lý Khu kinh tế Nghi Sơn"],
            steps=[],
        ),
        procedure_data(
            "2.000815",
            name="Chứng thực bản sao từ bản chính",
            field_code="G01-CT",
            field_name="Chứng thực",
            online_level="none",
            is_full_online_eligible=False,
            submission_methods=["counter"],
            fees=[],
            is_free=True,
        ),
    ]
    do_import_procedures(batch_from_data(published), actor=admin, publish=True)
    do_create_procedure(procedure_data("2.000001", name="Đăng ký kết hôn"), actor=admin)


def import_many(count: int, admin: Actor) -> None:
    """Publish ``count`` simple procedures ``1.100000``… named "Thủ tục mẫu số N"."""
    datas = [
        procedure_data(f"1.{100000 + n}", name=f"Thủ tục mẫu số {n:02d}") for n in range(count)
    ]
    do_import_procedures(batch_from_data(datas), actor=admin, publish=True)


# --- search ----------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("catalogue")
class TestSearch:
    def test_lists_every_published_procedure_by_code(self, client: Client) -> None:
        response = client.get(SEARCH)

        assert response.status_code == 200
        assert result_codes(response) == ["1.001193", "1.005129", "2.000635", "2.000815"]
        text = visible_text(response.content.decode())
        assert "Tìm thấy 4 thủ tục" in text
        assert "Đăng ký kết hôn" not in text  # a draft

    def test_without_diacritics_finds_the_vietnamese_name(self, client: Client) -> None:
        response = client.get(SEARCH, {"q": "dang ky khai sinh"})

        assert result_codes(response) == ["1.001193"]
        text = visible_text(response.content.decode())
        assert "Tìm thấy 1 thủ tục cho “dang ky khai sinh”" in text
        assert "Đăng ký khai sinh" in text

    def test_upper_case_and_code_search(self, client: Client) -> None:
        assert result_codes(client.get(SEARCH, {"q": "CHỨNG THỰC"})) == ["2.000815"]
        assert result_codes(client.get(SEARCH, {"q": "2.000635"})) == ["2.000635"]

    def test_result_shows_code_field_level_online_badge_and_time_limit(
        self, client: Client
    ) -> None:
        page = Page(client.get(SEARCH, {"q": "khai sinh"}).content.decode())

        assert page.fact("Mã thủ tục") == "1.001193"
        assert page.fact("Lĩnh vực") == "Hộ tịch"
        assert page.fact("Cấp thực hiện") == "Cấp xã"
        assert page.fact("Thời hạn giải quyết") == "15 ngày làm việc; 20 ngày làm việc"
        assert page.fact("Cơ quan thực hiện") == "Ủy ban nhân dân phường Hạc Thành"
        text = visible_text(client.get(SEARCH, {"q": "khai sinh"}).content.decode())
        assert "Trực tuyến toàn trình" in text  # the badge is words, not only a colour

    def test_cached_result_rows_follow_the_language_and_a_new_version(
        self, client: Client, admin: Actor
    ) -> None:
        # Given the result rows rendered (and cached) once in Vietnamese
        assert Page(client.get(SEARCH, {"q": "khai sinh"}).content.decode()).fact("Mã thủ tục")
        # When the visitor switches to English, the rows are in English
        client.cookies["django_language"] = "en"
        english = Page(client.get(SEARCH, {"q": "khai sinh"}).content.decode())
        assert english.fact("Procedure code") == "1.001193"
        # and when a new version is published, its row replaces the cached one
        client.cookies["django_language"] = "vi"
        current = ProcedureVersion.objects.get(code="1.001193")
        amended = do_create_procedure_version(
            current.procedure,
            actor=admin,
            data=birth_registration(
                name="Đăng ký khai sinh (sửa đổi)",
                announcement=announcement("2000/QĐ-UBND", "2025-08-20", "2025-09-01"),
            ),
        )
        do_publish_procedure_version(amended, actor=admin)
        assert "Đăng ký khai sinh (sửa đổi)" in visible_text(
            client.get(SEARCH, {"q": "khai sinh"}).content.decode()
        )

    def test_filters(self, client: Client) -> None:
        cases: list[tuple[dict[str, str], list[str]]] = [
            ({"field": "G13-XD"}, ["1.005129"]),
            ({"agency": JUSTICE}, ["2.000635"]),
            ({"level": "province"}, ["1.005129", "2.000635"]),
            ({"online_level": "partial"}, ["2.000635"]),
            ({"online_level": "none"}, ["1.005129", "2.000815"]),
            ({"subject": "business"}, ["1.005129"]),
            ({"subject": "citizen", "level": "commune"}, ["1.001193", "2.000635", "2.000815"]),
            ({"q": "ho tich", "online_level": "full"}, ["1.001193"]),
        ]
        for filters, expected in cases:
            assert result_codes(client.get(SEARCH, filters)) == expected, filters

    def test_filter_choices_list_fields_and_agencies_with_procedures(self, client: Client) -> None:
        html = client.get(SEARCH).content.decode()

        assert '<option value="G13-XD">Xây dựng</option>' in html
        assert f'<option value="{JUSTICE}">Sở Tư pháp tỉnh Thanh Hóa</option>' in html
        # The provincial People's Committee implements nothing: not offered as a filter.
        assert "000.00.00.H56" not in html

    def test_unknown_filter_value_is_reported_and_ignored(self, client: Client) -> None:
        response = client.get(SEARCH, {"level": "district", "q": "khai sinh"})

        assert response.status_code == 200
        assert result_codes(response) == ["1.001193"]
        text = visible_text(response.content.decode())
        assert "Lỗi: giá trị này không có trong danh sách nên bộ lọc đã được bỏ qua." in text

    def test_nothing_found_shows_help(self, client: Client) -> None:
        response = client.get(SEARCH, {"q": "giay phep bay", "field": "G13-XD"})

        assert result_codes(response) == []
        text = visible_text(response.content.decode())
        assert "Không tìm thấy thủ tục nào phù hợp với “giay phep bay”" in text
        assert "Gõ không dấu cũng được" in text
        assert 'href="/thu-tuc/?q=giay%20phep%20bay"' in response.content.decode()

    def test_query_is_escaped(self, client: Client) -> None:
        html = client.get(SEARCH, {"q": '<script>alert("x")</script>'}).content.decode()

        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html

    def test_htmx_request_gets_only_the_results_and_the_live_count(self, client: Client) -> None:
        response = client.get(SEARCH, {"q": "khai sinh"}, headers={"HX-Request": "true"})

        html = response.content.decode()
        assert "<html" not in html
        assert result_codes(response) == ["1.001193"]
        assert '<p id="search-status" hx-swap-oob="innerHTML">' in html
        assert "<title>Tìm “khai sinh” – Tra cứu thủ tục hành chính – " in html
        assert "HX-Request" in response.headers["Vary"]

    def test_htmx_history_restore_gets_the_whole_page(self, client: Client) -> None:
        response = client.get(
            SEARCH, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
        )

        assert "<html" in response.content.decode()


@pytest.mark.django_db
class TestPagination:
    def test_twenty_per_page_with_page_links(self, client: Client, agencies: Any, admin: Actor):
        import_many(45, admin)

        first = client.get(SEARCH)
        third = client.get(SEARCH, {"page": 3})

        assert len(result_codes(first)) == 20
        assert result_codes(third) == [f"1.{100000 + n}" for n in range(40, 45)]
        first_text = visible_text(first.content.decode())
        assert "Tìm thấy 45 thủ tục · trang 1/3" in first_text
        assert "Kết quả 1–20, xếp theo mã thủ tục." in first_text
        html = first.content.decode()
        assert 'aria-current="page" href="?page=1"' in html
        assert 'href="?page=2"' in html
        assert 'href="?page=3"' in html
        assert 'rel="next" href="?page=2"' in html
        assert 'rel="prev"' not in html
        assert '<ol class="result-list" start="41">' in third.content.decode()

    def test_page_links_keep_the_query_and_filters(
        self, client: Client, agencies: Any, admin: Actor
    ) -> None:
        import_many(25, admin)

        html = client.get(SEARCH, {"q": "thu tuc mau", "level": "commune"}).content.decode()

        assert 'href="?q=thu+tuc+mau&amp;level=commune&amp;page=2"' in html

    def test_page_past_the_end_shows_the_last_page(
        self, client: Client, agencies: Any, admin: Actor
    ) -> None:
        import_many(25, admin)

        response = client.get(SEARCH, {"page": 9})

        assert result_codes(response) == [f"1.{100000 + n}" for n in range(20, 25)]

    def test_bad_page_number_shows_the_first_page(
        self, client: Client, agencies: Any, admin: Actor
    ) -> None:
        import_many(3, admin)

        for page in ("0", "-1", "abc"):
            assert len(result_codes(client.get(SEARCH, {"page": page}))) == 3


# --- the procedure page -----------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("catalogue")
class TestProcedurePage:
    def test_shows_every_part_a_citizen_needs(self, client: Client) -> None:
        response = client.get("/thu-tuc/1.001193/")

        assert response.status_code == 200
        page = Page(response.content.decode())
        assert page.fact("Kết quả bạn nhận được") == "Giấy khai sinh"
        assert page.fact("Cơ quan thực hiện") == "Ủy ban nhân dân phường Hạc Thành"
        assert page.fact("Thời hạn giải quyết") == (
            "Không phải xác minh: 15 ngày làm việc Phải xác minh: 20 ngày làm việc"
        )
        assert page.fact("Phí, lệ phí") == "Có 2 khoản thu, xem chi tiết"
        assert page.fact("Đối tượng thực hiện") == "Công dân Việt Nam; Người nước ngoài"
        assert page.fact("Lĩnh vực") == "Hộ tịch (mã G01-HT)"
        assert page.fact("Cấp thực hiện") == "Cấp xã"
        assert page.fact("Mức độ dịch vụ công trực tuyến") == "Dịch vụ công trực tuyến toàn trình"
        assert page.fact("Tiếp nhận không phụ thuộc địa giới hành chính") == (
            "Có: nộp tại bất kỳ bộ phận một cửa nào trong Tỉnh Thanh Hóa"
        )

    def test_documents_table_with_copies_requirement_and_notes(self, client: Client) -> None:
        page = Page(client.get("/thu-tuc/1.001193/").content.decode())

        assert page.tables["Giấy tờ chung cho mọi trường hợp"] == [
            ["Giấy tờ", "Số lượng", "Bắt buộc", "Ghi chú"],
            [
                "Tờ khai đăng ký khai sinh",
                "1 bản chính",
                "Bắt buộc",
                "Có biểu mẫu điện tử (mã KS-TK) khi nộp trực tuyến Mẫu: Tờ khai đăng ký khai sinh",
            ],
            [
                "Giấy chứng sinh",
                "1 bản chính",
                "Bắt buộc",
                "Có thể thay bằng dữ liệu (từ Cơ sở dữ liệu quốc gia về dân cư)",
            ],
            [
                "Văn bản ủy quyền",
                "1 bản sao có chứng thực",
                "Bắt buộc khi: Khi ủy quyền cho người khác",
                "—",
            ],
            ["Ảnh chụp giấy tờ cũ", "2 bản chụp", "Không bắt buộc", "—"],
        ]
        assert page.tables["Thêm cho trường hợp: Phải xác minh"][1:] == [
            ["Văn bản xác minh", "1 bản chính", "Bắt buộc", "—"],
        ]

    def test_time_fees_steps_and_legal_basis(self, client: Client) -> None:
        page = Page(client.get("/thu-tuc/1.001193/").content.decode())

        assert page.tables[
            "Thời hạn giải quyết theo từng trường hợp, tính từ khi nhận đủ hồ sơ hợp lệ"
        ][1:] == [
            ["Không phải xác minh", "15 ngày làm việc"],
            ["Phải xác minh", "20 ngày làm việc"],
        ]
        assert page.tables["Các khoản phí, lệ phí phải nộp"][1:] == [
            ["Lệ phí đăng ký khai sinh quá hạn Lệ phí", "50.000 đồng", ""],
            ["Phí xác minh Phí · trường hợp “Phải xác minh”", "1.500.000 đồng", ""],
        ]
        assert page.tables[
            "Trường hợp “Không phải xác minh”: các bước xử lý, tổng cộng 15 ngày làm việc"
        ][1:] == [
            ["1", "Tiếp nhận hồ sơ", "Cán bộ tiếp nhận (một cửa)", "1 ngày làm việc"],
            ["2", "Thẩm định, ký", "Ủy ban nhân dân phường Hạc Thành", "14 ngày làm việc"],
        ]
        assert page.tables["Văn bản quy phạm pháp luật quy định thủ tục"][1:] == [
            ["60/2014/QH13", "Luật Hộ tịch", "20/11/2014", "01/01/2016"],
        ]

    def test_how_to_submit_sequence_requirements_forms_version(self, client: Client) -> None:
        response = client.get("/thu-tuc/1.001193/")
        html = response.content.decode()
        text = visible_text(html)
        page = Page(html)

        assert "Trực tiếp Trực tuyến Qua dịch vụ bưu chính công ích" in text
        assert "Nộp tại Trung tâm Phục vụ hành chính công cấp xã." in text
        assert "<p>Bước 1: Nộp hồ sơ.<br>Bước 2: Nhận Giấy khai sinh.</p>" in html
        assert "Đăng ký trong 60 ngày kể từ ngày sinh." in text
        assert '<a href="https://example.gov.vn/tk-ks.docx">Tờ khai đăng ký khai sinh</a>' in html
        assert page.fact("Phiên bản") == "1"
        assert page.fact("Trạng thái công khai") == "Đang công khai"
        assert (
            page.fact("Quyết định công bố")
            == "Số 1234/QĐ-UBND ngày 20/06/2025 (UBND tỉnh Thanh Hóa)"
        )
        assert page.fact("Hiệu lực từ") == "01/07/2025"
        assert page.fact("Hiệu lực đến") == "Chưa xác định (đang áp dụng)"

    def test_accessible_structure(self, client: Client) -> None:
        html = client.get("/thu-tuc/1.001193/").content.decode()

        levels = Page(html).heading_levels
        assert levels[0] == 1
        assert levels.count(1) == 1
        assert all(b - a <= 1 for a, b in itertools.pairwise(levels))  # no skipped level
        assert html.count("<caption") == html.count("<table")
        assert '<th scope="col"' in html
        assert '<th scope="row"' in html
        assert '<dl class="procedure-facts">' in html
        assert "<title>Đăng ký khai sinh (1.001193) – " in html

    def test_free_procedure_says_free(self, client: Client) -> None:
        page = Page(client.get("/thu-tuc/2.000815/").content.decode())

        assert page.fact("Phí, lệ phí") == "Miễn phí"

    def test_online_procedures_link_to_the_portal(self, client: Client) -> None:
        html = client.get("/thu-tuc/1.001193/").content.decode()

        assert (
            '<a class="btn btn-primary btn-lg" href="/nop-truc-tuyen/1.001193/">'
            "Nộp hồ sơ trực tuyến</a>" in html
        )

    def test_offline_procedure_says_how_to_submit(self, client: Client) -> None:
        text = visible_text(client.get("/thu-tuc/1.005129/").content.decode())

        assert "Thủ tục này chưa có dịch vụ công trực tuyến" in text
        assert "Nộp hồ sơ trực tuyến" not in text

    def test_print_button_and_print_address(self, client: Client) -> None:
        html = client.get("/thu-tuc/1.001193/").content.decode()

        assert (
            '<button type="button" class="btn btn-outline-primary btn-lg" data-print hidden>'
            in html
        )
        assert "Địa chỉ trang: http://testserver/thu-tuc/1.001193/" in visible_text(html)


@pytest.mark.django_db
@pytest.mark.usefixtures("catalogue")
def test_apply_online_button_links_to_the_portal(client: Client) -> None:
    html = client.get("/thu-tuc/1.001193/").content.decode()
    offline = client.get("/thu-tuc/1.005129/").content.decode()

    assert '<a class="btn btn-primary" href="/nop-truc-tuyen/1.001193/">' in html
    assert "/nop-truc-tuyen/" not in offline


@pytest.mark.django_db
class TestVersionsAndNotFound:
    def test_old_version_says_when_it_ended_and_links_the_current_one(
        self, client: Client, agencies: Any, admin: Actor
    ) -> None:
        first = publish(procedure_data(), admin)
        second = do_create_procedure_version(
            first.procedure,
            actor=admin,
            data=procedure_data(
                name="Đăng ký khai sinh (sửa đổi)",
                announcement=announcement("2000/QĐ-UBND", "2025-08-20", "2025-09-01"),
            ),
        )
        do_publish_procedure_version(second, actor=admin)

        old = client.get("/thu-tuc/1.001193/phien-ban/1/")
        current = client.get("/thu-tuc/1.001193/")

        old_text = visible_text(old.content.decode())
        assert old.status_code == 200
        assert "Lưu ý: Phiên bản này đã hết hiệu lực từ 01/09/2025." in old_text
        assert 'href="http://testserver/thu-tuc/1.001193/">Xem phiên bản đang có hiệu lực' in (
            old.content.decode()
        )
        assert Page(old.content.decode()).fact("Hiệu lực đến") == "01/09/2025"
        current_html = current.content.decode()
        assert "Đăng ký khai sinh (sửa đổi)" in current_html
        assert "đã hết hiệu lực" not in current_html
        assert (
            'href="http://testserver/thu-tuc/1.001193/phien-ban/1/">Phiên bản 1</a>' in current_html
        )
        assert '<strong aria-current="page">Phiên bản 2</strong>' in current_html

    def test_abolished_procedure_says_so(self, client: Client, agencies: Any, admin: Actor) -> None:
        version = publish(procedure_data(), admin)
        do_abolish_procedure(
            version.procedure,
            actor=admin,
            decision=AnnouncementData.model_validate(
                announcement("3000/QĐ-UBND", "2025-09-20", "2025-10-01")
            ),
        )

        response = client.get("/thu-tuc/1.001193/")

        assert response.status_code == 200
        assert "Thủ tục này đã bị bãi bỏ từ 01/10/2025; không còn tiếp nhận hồ sơ." in (
            visible_text(response.content.decode())
        )

    def test_version_announced_for_later_says_from_when(
        self, client: Client, agencies: Any, admin: Actor
    ) -> None:
        publish(
            procedure_data(announcement=announcement("9/QĐ-UBND", "2026-01-05", "2099-01-01")),
            admin,
        )

        text = visible_text(client.get("/thu-tuc/1.001193/").content.decode())

        assert "Phiên bản này có hiệu lực từ 01/01/2099." in text

    @pytest.mark.parametrize(
        "url",
        [
            "/thu-tuc/1.999999/",  # no such procedure
            "/thu-tuc/abc/",  # not a procedure code
            "/thu-tuc/1.001193/phien-ban/7/",  # no such version
            "/thu-tuc/2.000001/",  # only a draft
            "/thu-tuc/2.000001/phien-ban/1/",  # a draft, to the public
        ],
    )
    def test_not_found(self, client: Client, agencies: Any, admin: Actor, url: str) -> None:
        publish(procedure_data(), admin)
        do_create_procedure(procedure_data("2.000001", name="Đăng ký kết hôn"), actor=admin)

        response = client.get(url)

        assert response.status_code == 404
        assert "Không tìm thấy trang" in response.content.decode()


@pytest.mark.django_db
class TestFormDownload:
    def test_stored_form_is_served_and_draft_forms_are_not(
        self, client: Client, agencies: Any, admin: Actor, settings: Any, tmp_path: Path
    ) -> None:
        settings.MEDIA_ROOT = tmp_path
        default_storage.save("catalog/forms/test/tk.pdf", ContentFile(b"%PDF-1.7 test"))
        forms = [{"code": "TK-KS", "name": "Tờ khai", "file": "catalog/forms/test/tk.pdf"}]
        version = publish(procedure_data(forms=forms), admin)
        do_create_procedure(procedure_data("2.000001", forms=forms), actor=admin)
        form_id = version.forms.get().pk
        draft_form_id = ProcedureVersion.objects.get(code="2.000001").forms.get().pk

        html = client.get("/thu-tuc/1.001193/").content.decode()
        response = client.get(f"/thu-tuc/1.001193/mau/{form_id}/")

        assert f'href="http://testserver/thu-tuc/1.001193/mau/{form_id}/">Tờ khai</a>' in html
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == b"%PDF-1.7 test"
        assert client.get(f"/thu-tuc/2.000001/mau/{draft_form_id}/").status_code == 404
        assert client.get(f"/thu-tuc/2.000635/mau/{form_id}/").status_code == 404


# --- queries -----------------------------------------------------------------------


@pytest.mark.django_db
class TestQueryCounts:
    """Hot pages run a fixed number of queries, whatever the size of the catalogue."""

    # the page, its agencies and cases, the count (page 2); the filter lists are cached
    SEARCH_QUERIES = 4
    PAGE_QUERIES = 11  # get_procedure_page: version and its parts, history, listings

    def test_search(self, client: Client, agencies: Any, admin: Actor, django_assert_num_queries):
        import_many(3, admin)
        client.get(SEARCH)  # fills the cache of the filter lists (fields, agencies)
        with django_assert_num_queries(self.SEARCH_QUERIES - 1):  # a first page needs no count
            small = client.get(SEARCH, {"q": "thu tuc"})
        import_many(30, admin)
        with django_assert_num_queries(self.SEARCH_QUERIES):
            large = client.get(SEARCH, {"q": "thu tuc", "level": "commune", "page": 2})

        assert len(result_codes(small)) == 3
        assert len(result_codes(large)) == 10

    def test_procedure_page(self, client: Client, catalogue: None, django_assert_num_queries):
        with django_assert_num_queries(self.PAGE_QUERIES):
            response = client.get("/thu-tuc/1.001193/")

        assert response.status_code == 200

    def test_unknown_code_costs_no_query(self, client: Client, django_assert_num_queries):
        with django_assert_num_queries(0):
            assert client.get("/thu-tuc/not-a-code/").status_code == 404
