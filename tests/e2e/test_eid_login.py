"""Journey: a citizen logs in with the national e-ID through the local provider, and out.

Accessibility: axe-core on the provider's sign-in page, on the page the citizen lands
on, and on the page a level-1 account is shown.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from motcua.identity.models import Citizen
from tests.e2e.conftest import AxeCheck
from tests.e2e.eid import EID_LOGIN_FIELD, login_with_eid
from tests.identity.eid import LEVEL1, LEVEL2

PHONE = {"width": 375, "height": 740}


def test_a_citizen_logs_in_with_vneid_and_out_again(
    page: Any, live_server: Any, fake_eid_live: Any, axe_check: AxeCheck
) -> None:
    # Given a visitor on the procedure catalogue
    page.goto("/thu-tuc/")
    navigation = page.get_by_role("navigation", name="Điều hướng chính")

    # When they choose to log in with the national e-ID
    navigation.get_by_role(
        "link", name="Đăng nhập bằng tài khoản định danh điện tử (VNeID)", exact=True
    ).click()

    # Then the provider's sign-in page asks for their personal ID and password
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Đăng nhập tài khoản định danh điện tử"
    )
    assert page.url.startswith(fake_eid_live.url)
    axe_check(page)

    # When they sign in there
    page.get_by_label(EID_LOGIN_FIELD).fill(LEVEL2.login)
    page.get_by_label("Mật khẩu").fill("vneid-demo")
    page.get_by_role("button", name="Đăng nhập", exact=True).click()

    # Then they are back on the catalogue, logged in under their verified name
    page.wait_for_url(f"{live_server.url}/thu-tuc/")
    expect(page.get_by_text("Xin chào, Nguyễn Văn An")).to_be_visible()
    expect(page.locator("#messages")).to_contain_text(
        "Đã đăng nhập bằng tài khoản định danh điện tử: Nguyễn Văn An."
    )
    axe_check(page)
    assert Citizen.objects.get().personal_id == LEVEL2.login

    # When they log out
    page.get_by_role("button", name="Đăng xuất").click()

    # Then the provider ends its session too and sends them home, logged out
    page.wait_for_url(f"{live_server.url}/")
    expect(
        navigation.get_by_role(
            "link", name="Đăng nhập bằng tài khoản định danh điện tử (VNeID)", exact=True
        )
    ).to_be_visible()
    page.goto(f"{live_server.url}/tai-khoan/vneid/")
    expect(page.get_by_text("Tiếp tục với tài khoản này")).to_have_count(0)


def test_a_level_1_account_is_told_what_to_do_on_a_phone(
    new_context: Any, live_server: Any, fake_eid_live: Any, axe_check: AxeCheck
) -> None:
    # (axe and the width check need JavaScript; the flow itself is plain links and forms)
    page = new_context(viewport=PHONE).new_page()

    page.goto(f"{live_server.url}/tai-khoan/vneid/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_label(EID_LOGIN_FIELD).fill(LEVEL1.login)
    page.get_by_label("Mật khẩu").fill("vneid-demo")
    page.get_by_role("button", name="Đăng nhập", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Cần tài khoản định danh điện tử mức 2"
    )
    expect(page.get_by_role("alert")).to_contain_text("ở mức 1; cần tài khoản mức 2")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    axe_check(page)
    assert Citizen.objects.count() == 0


def test_the_helper_logs_a_business_in_where_it_was_going(
    page: Any, live_server: Any, fake_eid_live: Any
) -> None:
    login_with_eid(page, live_server.url, "2801234567", next_path="/lich-lam-viec/")

    expect(page.get_by_text("Xin chào, Công ty TNHH Dịch vụ Hạc Thành")).to_be_visible()
