"""Browser helper for the national e-ID login through the local provider.

Use with the ``fake_eid_live`` fixture (``tests/e2e/conftest.py``), which serves the
provider and lets the live server use it::

    def test_something(page, live_server, fake_eid_live):
        login_with_eid(page, live_server.url, "038085001234")
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from playwright.sync_api import expect

from motcua.identity.fake_eid import DEMO_PASSWORD

__all__ = ["EID_LOGIN_FIELD", "login_with_eid"]

EID_LOGIN_FIELD = "Số định danh cá nhân hoặc mã số doanh nghiệp"


def login_with_eid(
    page: Any,
    live_server_url: str,
    personal_id: str,
    *,
    password: str = DEMO_PASSWORD,
    next_path: str = "",
) -> None:
    """Log in on ``page`` as the demo identity ``personal_id`` (or enterprise code).

    Starts at motcua's e-ID login, signs in on the provider's page with the personal ID
    and password, and waits to be back on motcua (at ``next_path`` or the home page),
    logged in (the header greets the account).
    """
    start = f"{live_server_url}/tai-khoan/vneid/"
    if next_path:
        start += f"?next={quote(next_path)}"
    page.goto(start)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Đăng nhập tài khoản định danh điện tử"
    )
    page.get_by_label(EID_LOGIN_FIELD).fill(personal_id)
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Đăng nhập", exact=True).click()
    page.wait_for_url(f"{live_server_url}{next_path or '/'}**")
    expect(page.get_by_text("Xin chào,")).to_be_visible()
