"""The public catalogue in a real browser: search from the home page without diacritics,
open a procedure, read its documents table; htmx paging; phone width; print."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from motcua.catalog.actions import do_import_procedures
from motcua.catalog.importing import batch_from_data
from motcua.kernel.actors import Actor
from tests.catalog.factories import make_agencies, procedure_data
from tests.e2e.conftest import AxeCheck

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def catalogue() -> None:
    """Birth registration, a building permit and 25 filler procedures, published."""
    make_agencies()
    datas = [
        procedure_data(
            documents=[
                {
                    "name": "Tờ khai đăng ký khai sinh",
                    "originals": 1,
                    "e_form_code": "KS-TK",
                    "form_code": "TK-KS",
                },
                {
                    "name": "Văn bản ủy quyền",
                    "certified_copies": 1,
                    "requirement": "conditional",
                    "condition": "Khi ủy quyền cho người khác đi đăng ký",
                },
                {
                    "name": "Giấy chứng sinh",
                    "originals": 1,
                    "replaceable_by_data": True,
                    "data_source_code": "CSDLHT",
                },
            ],
            fees=[{"name": "Lệ phí đăng ký khai sinh quá hạn", "amount": 50000}],
        ),
        procedure_data(
            "1.005129",
            name="Cấp giấy phép xây dựng",
            field_code="G13-XD",
            field_name="Xây dựng",
            online_level="none",
            is_full_online_eligible=False,
            submission_methods=["counter", "post"],
        ),
        *(procedure_data(f"2.{100000 + n}", name=f"Thủ tục mẫu số {n:02d}") for n in range(25)),
    ]
    do_import_procedures(batch_from_data(datas), actor=Actor.system("tests"), publish=True)


@pytest.mark.usefixtures("catalogue")
def test_search_without_diacritics_then_open_the_procedure(page: Page, axe_check: AxeCheck) -> None:
    # Given the home page
    page.goto("/")

    # When a citizen searches without diacritics
    page.get_by_label("Tìm thủ tục hành chính").fill("dang ky khai sinh")
    page.get_by_role("button", name="Tìm kiếm").click()

    # Then the catalogue lists birth registration, and nothing else
    expect(page).to_have_url(re.compile(r"/thu-tuc/\?q=dang\+ky\+khai\+sinh$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Tra cứu thủ tục hành chính")
    expect(page.get_by_role("main").get_by_role("heading", level=2)).to_have_text(
        "Tìm thấy 1 thủ tục cho “dang ky khai sinh”"
    )
    results = page.get_by_role("heading", level=3)
    expect(results).to_have_count(1)
    expect(results).to_have_text("Đăng ký khai sinh")
    axe_check(page)

    # When they open it
    page.get_by_role("link", name="Đăng ký khai sinh").click()

    # Then the procedure page shows the documents to bring, with copies and conditions
    expect(page).to_have_url(re.compile(r"/thu-tuc/1\.001193/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Đăng ký khai sinh")
    table = page.get_by_role("table", name="Thành phần hồ sơ")
    expect(table.get_by_role("columnheader")).to_have_text(
        ["Giấy tờ", "Số lượng", "Bắt buộc", "Ghi chú"]
    )
    expect(table.get_by_role("row").nth(1)).to_contain_text("Tờ khai đăng ký khai sinh")
    expect(table.get_by_role("row").nth(1)).to_contain_text("1 bản chính")
    expect(table.get_by_role("row").nth(2)).to_contain_text(
        "Bắt buộc khi: Khi ủy quyền cho người khác đi đăng ký"
    )
    expect(table.get_by_role("row").nth(3)).to_contain_text("Có thể thay bằng dữ liệu")
    expect(page.get_by_role("cell", name="50.000 đồng")).to_be_visible()
    expect(page.get_by_role("button", name="In trang")).to_be_visible()
    axe_check(page)


@pytest.mark.usefixtures("catalogue")
def test_htmx_search_and_paging_update_the_address_and_focus(page: Page) -> None:
    # Given the catalogue's first page of 27 procedures
    page.goto("/thu-tuc/")
    heading = page.get_by_role("main").get_by_role("heading", level=2)
    expect(heading).to_have_text("Tìm thấy 27 thủ tục · trang 1/2")

    # When the visitor follows the link to page 2
    page.get_by_role("link", name="Trang 2", exact=True).click()

    # Then the results change in place, the address says page 2, focus is on the results
    expect(page).to_have_url(re.compile(r"\?page=2$"))
    expect(heading).to_have_text("Tìm thấy 27 thủ tục · trang 2/2")
    expect(heading).to_be_focused()
    expect(page.get_by_role("heading", level=3)).to_have_count(7)

    # When they search from the form
    page.get_by_label("Tên thủ tục, mã thủ tục hoặc từ khóa").fill("giay phep xay dung")
    page.get_by_role("button", name="Tìm kiếm").click()

    # Then the live region announces the new count and the address keeps the query
    expect(page.get_by_role("status").filter(has_text="Tìm thấy")).to_have_text(
        "Tìm thấy 1 thủ tục cho “giay phep xay dung”"
    )
    expect(page).to_have_url(re.compile(r"q=giay(%20|\+)phep(%20|\+)xay(%20|\+)dung"))
    expect(page).to_have_title(re.compile(r"^Tìm “giay phep xay dung” – Tra cứu thủ tục"))

    # And the back button returns to page 2
    page.go_back()
    expect(heading).to_have_text("Tìm thấy 27 thủ tục · trang 2/2")


@pytest.mark.usefixtures("catalogue")
def test_procedure_page_at_phone_width(page: Page, axe_check: AxeCheck) -> None:
    # Given a phone-sized screen
    page.set_viewport_size(PHONE)

    # When the procedure page opens
    page.goto("/thu-tuc/1.001193/")

    # Then nothing scrolls sideways and the documents read as cards, still a table
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    table = page.get_by_role("table", name="Thành phần hồ sơ")
    expect(table.get_by_role("rowheader")).to_have_count(3)
    label = table.locator("td .cell-label").first  # the column name, repeated in each card
    expect(label).to_be_visible()
    expect(label).to_have_text("Số lượng")
    axe_check(page)


@pytest.mark.usefixtures("catalogue")
def test_print_hides_navigation_and_shows_the_address(page: Page) -> None:
    # Given the procedure page
    page.goto("/thu-tuc/1.001193/")

    # When it is printed
    page.emulate_media(media="print")

    # Then the navigation and buttons are gone and the page address is printed
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("button", name="In trang")).to_be_hidden()
    expect(page.get_by_text("Địa chỉ trang:")).to_contain_text("/thu-tuc/1.001193/")
