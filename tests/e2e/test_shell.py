"""The site shell in a real browser: home page, language switch, skip link, phone layout."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.e2e.conftest import AxeCheck

PHONE = {"width": 375, "height": 812}


def test_home_renders_in_vietnamese_with_search_form(page: Page, axe_check: AxeCheck) -> None:
    # Given a visitor whose browser asks for Vietnamese
    # When they open the home page
    page.goto("/")

    # Then the page is in Vietnamese, with the procedure search form
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page).to_have_title("Trang chủ – Một cửa điện tử")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thủ tục hành chính rõ ràng, đúng hẹn, tại một cửa"
    )
    search = page.get_by_label("Tìm thủ tục hành chính")
    expect(search).to_have_attribute("name", "q")
    form = page.get_by_role("search")
    expect(form).to_have_attribute("action", "/thu-tuc/")
    expect(form).to_have_attribute("method", "get")
    expect(page.get_by_role("button", name="Tìm kiếm")).to_be_visible()
    navigation = page.get_by_role("navigation", name="Điều hướng chính")
    expect(navigation.get_by_role("link", name="Trang chủ")).to_have_attribute(
        "aria-current", "page"
    )
    # And no WCAG 2.2 A/AA rule is violated
    axe_check(page)


def test_language_switch_to_english_and_back(
    page: Page, live_server: Any, axe_check: AxeCheck
) -> None:
    # Given the home page in Vietnamese
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "vi")

    # When the visitor presses the "English" button of the language switcher
    page.get_by_role("button", name="English").click()

    # Then the same page comes back in English
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Administrative procedures made clear and on time, at a one-stop desk"
    )
    expect(page.get_by_label("Find an administrative procedure")).to_be_visible()
    expect(page.get_by_role("link", name="Officials' login", exact=True)).to_be_visible()
    expect(
        page.get_by_role("link", name="Log in with the national e-ID (VNeID)", exact=True)
    ).to_be_visible()
    axe_check(page)

    # When they press "Tiếng Việt"
    page.get_by_role("button", name="Tiếng Việt").click()

    # Then the page is Vietnamese again
    expect(page.locator("html")).to_have_attribute("lang", "vi")
    expect(page.get_by_label("Tìm thủ tục hành chính")).to_be_visible()


def test_skip_link_moves_focus_to_main(page: Page) -> None:
    # Given the home page
    page.goto("/")

    # When a keyboard user presses Tab once
    page.keyboard.press("Tab")

    # Then the first thing focused is the skip link, and it is visible
    skip_link = page.get_by_role("link", name="Bỏ qua, đến nội dung chính")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()

    # When they follow it
    page.keyboard.press("Enter")

    # Then focus is on the main region, and the next Tab goes into the page content
    expect(page.locator("main#main")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


def test_navigation_usable_on_a_phone(new_context: Any, axe_check: AxeCheck) -> None:
    # Given a 375 px wide phone with JavaScript
    page = new_context(viewport=PHONE).new_page()
    page.goto("/")
    navigation = page.get_by_role("navigation", name="Điều hướng chính")
    calendar_link = navigation.get_by_role("link", name="Lịch làm việc")

    # Then the menu is collapsed behind a "Menu" button and nothing scrolls sideways
    toggler = page.get_by_role("button", name="Menu")
    expect(toggler).to_be_visible()
    expect(toggler).to_have_attribute("aria-expanded", "false")
    expect(calendar_link).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    axe_check(page)

    # When the visitor opens the menu
    toggler.click()

    # Then every link, the login link and the language switcher can be reached
    expect(toggler).to_have_attribute("aria-expanded", "true")
    expect(calendar_link).to_be_visible()
    expect(calendar_link).to_have_attribute("href", "/lich-lam-viec/")
    for name in ("Trang chủ", "Thủ tục hành chính", "API"):
        expect(navigation.get_by_role("link", name=name, exact=True)).to_be_visible()
    for name in ("Đăng nhập bằng tài khoản định danh điện tử (VNeID)", "Cán bộ đăng nhập"):
        expect(navigation.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(navigation.get_by_role("button", name="English")).to_be_visible()
    axe_check(page)


def test_navigation_usable_on_a_phone_without_javascript(new_context: Any) -> None:
    # Given a 375 px wide phone with JavaScript turned off
    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()

    # When the visitor opens the home page
    page.goto("/")

    # Then the menu is shown expanded, with no button that could not work
    navigation = page.get_by_role("navigation", name="Điều hướng chính")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    for name in (
        "Trang chủ",
        "Thủ tục hành chính",
        "Lịch làm việc",
        "API",
        "Đăng nhập bằng tài khoản định danh điện tử (VNeID)",
        "Cán bộ đăng nhập",
    ):
        expect(navigation.get_by_role("link", name=name, exact=True)).to_be_visible()

    # And the language switcher still works (a plain form POST)
    navigation.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
