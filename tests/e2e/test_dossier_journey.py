"""One dossier's whole journey in a real browser, as the officials live it.

The desk officer receives an inter-agency dossier at the counter (with scans), opens
Form 01 and transfers it; the justice department assigns, processes, reviews and
forwards it; the construction department asks for a supplement, which the desk
receives; construction reviews and signs; the desk records the fee and returns the
result; the result's QR link opens the public verification page: valid. Axe checks
the worklist, the reception form and the dossier page.

Reference data (a province, its desk and departments, officials, the inter-agency
procedure) comes from the dossier tests' world (``tests.dossiers.factories``); every
dossier step goes through the pages. Set ``MOTCUA_SCREENSHOTS=<dir>`` to save
screenshots of the reception form and the dossier page at desktop and 375 px widths.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Locator, Page, expect

from motcua.workdays.selectors import invalidate_calendar_cache
from tests.dossiers.factories import World, make_world, official
from tests.e2e.conftest import AxeCheck

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
PASSWORD = "x"  # the world's officials' password
MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture
def world(settings: Any, live_server: Any) -> Iterator[World]:
    """The dossier tests' world, plus a leader (reviewer and signer) in each department."""
    # Result QR codes point at this server's verification page.
    settings.DOCUMENTS_PUBLIC_BASE_URL = live_server.url
    invalidate_calendar_cache()
    world = make_world()
    official("justice_leader", world.justice, "reviewer", "signer", full_name="Lê Thị Thanh")
    official(
        "construction_leader", world.construction, "reviewer", "signer", full_name="Phạm Văn Kỳ"
    )
    yield world
    invalidate_calendar_cache()


def log_in(page: Page, username: str, then: str = "/ho-so/") -> None:
    """Log in as ``username`` in a fresh session and land on ``then``."""
    page.context.clear_cookies()
    page.goto("/tai-khoan/dang-nhap/?next=" + then)
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page).to_have_url(re.compile(re.escape(then) + "$"))


def find_dossier(page: Page, username: str, code: str, axe_check: AxeCheck) -> str:
    """Log in as ``username``, find the dossier by its code, open it; return its path."""
    log_in(page, username)
    search = page.get_by_role("search", name="Lọc và tìm hồ sơ")
    search.get_by_label("Tìm theo mã hồ sơ").fill(code)
    search.get_by_role("button", name="Lọc").click()
    expect(page.get_by_role("table")).to_contain_text("Nguyễn Thị Lan")
    axe_check(page)  # the worklist with a row
    page.get_by_role("link", name=code, exact=True).click()
    expect(page.get_by_role("heading", level=1, name=code)).to_be_visible()
    return urlsplit(page.url).path


def open_dossier(page: Page, username: str, url: str) -> None:
    """Log in as ``username`` straight into the dossier page at path ``url``."""
    log_in(page, username, then=url)


def panel(page: Page) -> Locator:
    return page.get_by_role("region", name="Thao tác")


def action_form(page: Page, label: str) -> Locator:
    """Open the action ``label`` of the panel (a <details>) and return its form."""
    details = (
        panel(page)
        .locator("details")
        .filter(has=page.locator("summary", has_text=re.compile("^" + re.escape(label) + "$")))
    )
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    return details.locator("form")


def press(page: Page, label: str) -> None:
    """Press the panel's button ``label`` (an action without inputs)."""
    panel(page).get_by_role("button", name=label, exact=True).click()


def expect_success(page: Page, text: str) -> None:
    messages = page.locator("#messages")
    expect(messages).to_contain_text("Thành công:")
    expect(messages).to_contain_text(text)


def shoot(page: Page, name: str) -> None:
    """Save a full-page screenshot at desktop and phone widths when asked to."""
    folder = os.environ.get("MOTCUA_SCREENSHOTS")
    if not folder:
        return
    Path(folder).mkdir(parents=True, exist_ok=True)
    for label, size in (("desktop", DESKTOP), ("375", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=f"{folder}/{name}-{label}.png", full_page=True)
        if label == "375":
            assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.set_viewport_size(DESKTOP)


def test_counter_to_signed_result_through_two_agencies(
    page: Page, world: World, axe_check: AxeCheck, tmp_path: Path
) -> None:
    page.set_viewport_size(DESKTOP)

    # Given the desk officer at the provincial service centre
    log_in(page, "desk_officer")

    # When they receive an inter-agency dossier at the counter
    page.get_by_role("link", name="Tiếp nhận hồ sơ mới").click()
    page.get_by_label("Mã hoặc tên thủ tục").fill("1.000001")
    page.get_by_role("button", name="Tìm thủ tục").click()
    page.get_by_role("link", name="Cấp giấy phép xây dựng nhà ở riêng lẻ").click()
    expect(page.get_by_role("heading", level=1, name="Tiếp nhận hồ sơ")).to_be_visible()
    axe_check(page)
    shoot(page, "reception-form")

    page.get_by_label("Họ và tên (tên tổ chức)").fill("Nguyễn Thị Lan")
    page.get_by_label("Số định danh, số giấy tờ").fill("001303012345")
    page.get_by_label("Năm sinh").fill("2003")
    page.get_by_label("Số điện thoại", exact=True).fill("0912345678")
    page.get_by_label("Địa chỉ", exact=True).fill("Số 1 Lê Lợi, phường Hạc Thành")
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(MINIMAL_PDF)
    for number, name in (
        (1, "Đơn đề nghị cấp giấy phép xây dựng"),
        (2, "Giấy chứng nhận quyền sử dụng đất"),
    ):
        document = page.get_by_role("group", name=f"{number}. {name}")
        document.get_by_label("Đã nộp").check()
        document.get_by_label("Bản số hóa (PDF, JPEG, PNG)").set_input_files(str(scan))
    page.get_by_role("group", name="4. Thẻ căn cước").get_by_label("Đã nộp").check()
    page.get_by_role("button", name="Tiếp nhận hồ sơ", exact=True).click()

    # Then the dossier page shows its code, appointment date and Form 01
    expect_success(page, "Đã tiếp nhận hồ sơ 000.00.01.H56-")
    code = page.get_by_role("heading", level=1).inner_text().strip()
    assert re.fullmatch(r"000\.00\.01\.H56-\d{6}-0001", code), code
    axe_check(page)
    shoot(page, "dossier-page")
    slip = page.get_by_role("link", name="In Giấy tiếp nhận (Mẫu 01)")
    response = page.request.get(slip.get_attribute("href") or "")
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    # When the desk transfers it to the first agency
    press(page, "Chuyển hồ sơ đến cơ quan giải quyết")
    expect_success(page, "Đã chuyển hồ sơ đến Sở Tư pháp tỉnh Thanh Hóa.")

    # And the justice department assigns, drafts, reviews and forwards it
    url = find_dossier(page, "justice_leader", code, axe_check)
    form = action_form(page, "Phân công xử lý")
    form.get_by_label("Chuyên viên thụ lý").select_option(label="Trần Văn Thụ Lý")
    form.get_by_role("button", name="Phân công xử lý").click()
    expect_success(page, "Đã phân công Trần Văn Thụ Lý thụ lý hồ sơ.")
    open_dossier(page, "justice_handler", url)
    action_form(page, "Trình lãnh đạo xem xét").get_by_role("button").click()
    expect_success(page, "Đã trình lãnh đạo xem xét.")
    open_dossier(page, "justice_leader", url)
    action_form(page, "Đồng ý, trình ký").get_by_role("button").click()
    expect_success(page, "Đã đồng ý và trình ký.")
    press(page, "Chuyển cơ quan giải quyết tiếp theo (liên thông)")
    expect_success(page, "Đã chuyển hồ sơ đến Sở Xây dựng tỉnh Thanh Hóa (liên thông).")

    # And the construction department takes it and asks for a supplement
    open_dossier(page, "construction_handler", url)
    form = action_form(page, "Phân công xử lý")
    form.get_by_label("Chuyên viên thụ lý").select_option(label="Construction Handler")
    form.get_by_role("button", name="Phân công xử lý").click()
    expect_success(page, "Đã phân công Construction Handler thụ lý hồ sơ.")
    form = action_form(page, "Yêu cầu bổ sung hồ sơ")
    form.get_by_label("Bản vẽ thiết kế").fill("Thiếu bản vẽ mặt cắt công trình.")
    form.get_by_role("button", name="Yêu cầu bổ sung hồ sơ").click()
    expect_success(page, "Đã gửi yêu cầu bổ sung qua bộ phận một cửa (Mẫu 02)")
    expect(page.get_by_text("Bản vẽ thiết kế — Thiếu bản vẽ mặt cắt công trình.")).to_be_visible()

    # And the desk receives the applicant's supplement
    open_dossier(page, "desk_officer", url)
    action_form(page, "Tiếp nhận hồ sơ bổ sung").get_by_role("button").click()
    expect_success(page, "Đã tiếp nhận hồ sơ bổ sung")

    # And construction drafts, reviews and signs the result
    open_dossier(page, "construction_handler", url)
    action_form(page, "Trình lãnh đạo xem xét").get_by_role("button").click()
    expect_success(page, "Đã trình lãnh đạo xem xét.")
    open_dossier(page, "construction_leader", url)
    action_form(page, "Đồng ý, trình ký").get_by_role("button").click()
    expect_success(page, "Đã đồng ý và trình ký.")
    press(page, "Ký duyệt kết quả")
    expect_success(page, f"Đã ký duyệt kết quả {code}-KQ1")

    # And the desk records the fee and returns the result
    open_dossier(page, "desk_officer", url)
    form = action_form(page, "Xác nhận đã nộp phí, lệ phí")
    form.get_by_label("Số biên lai").fill("BL-0001")
    form.get_by_role("button").click()
    expect_success(page, "Đã xác nhận người nộp đã nộp phí, lệ phí.")
    action_form(page, "Trả kết quả").get_by_role("button").click()
    expect_success(page, "Đã trả kết quả cho người nộp.")
    expect(page.locator(".state-badge").first).to_have_text("Đã trả kết quả")
    rows = page.get_by_role("region", name="Quá trình giải quyết (phiếu kiểm soát)")
    expect(rows.get_by_role("row")).to_have_count(5)  # header, reception, 2 agencies, result
    axe_check(page)
    shoot(page, "dossier-returned")

    # Then the result's QR link opens the public verification page: valid
    page.get_by_role("link", name="Trang xác minh công khai").click()
    expect(page).to_have_url(re.compile(re.escape(f"/xac-minh/{code}-KQ1/") + "$"))
    expect(page.get_by_role("heading", name="Kết quả đang có hiệu lực")).to_be_visible()

    # And the applicant can follow the dossier without logging in
    page.context.clear_cookies()
    page.goto(f"/tra-cuu-ho-so/?ma={code}")
    page.get_by_label("Số điện thoại hoặc 4 số cuối số định danh của người nộp").fill("0912345678")
    page.get_by_role("button", name="Tra cứu").click()
    expect(page.locator(".state-badge")).to_have_text("Đã trả kết quả")


def test_counter_reception_on_a_phone_without_javascript(
    new_context: Any, world: World, tmp_path: Path
) -> None:
    # Given a desk officer on a 375 px screen with JavaScript turned off
    page = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    log_in(page, "desk_officer", then="/ho-so/tiep-nhan/?thu_tuc=1.000001")

    # When they fill in the reception form and press "Tiếp nhận hồ sơ" with a document missing
    page.get_by_label("Họ và tên (tên tổ chức)").fill("Trần Văn Bình")
    page.get_by_label("Số định danh, số giấy tờ").fill("001203012345")
    page.get_by_label("Số điện thoại", exact=True).fill("0912345679")
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(MINIMAL_PDF)
    first = page.get_by_role("group", name="1. Đơn đề nghị cấp giấy phép xây dựng")
    first.get_by_label("Đã nộp").check()
    first.get_by_label("Bản số hóa (PDF, JPEG, PNG)").set_input_files(str(scan))
    page.get_by_role("group", name="4. Thẻ căn cước").get_by_label("Đã nộp").check()
    page.get_by_role("button", name="Tiếp nhận hồ sơ", exact=True).click()

    # Then the error summary names the missing document, linked to its checkbox
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Hồ sơ chưa đầy đủ, thiếu: Giấy chứng nhận quyền sử dụng đất.")
    missing = page.get_by_role("group", name="2. Giấy chứng nhận quyền sử dụng đất")
    expect(missing.get_by_label("Đã nộp")).to_have_attribute("aria-invalid", "true")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # When they ask for a supplement instead (the input was kept, the scan is chosen again)
    expect(page.get_by_label("Họ và tên (tên tổ chức)")).to_have_value("Trần Văn Bình")
    first.get_by_label("Bản số hóa (PDF, JPEG, PNG)").set_input_files(str(scan))
    page.get_by_role("button", name="Yêu cầu bổ sung (Mẫu 02)").click()

    # Then the dossier waits for the supplement, with Form 02 issued
    expect(page.locator("#messages")).to_contain_text(
        "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (Mẫu 02)"
    )
    expect(page.locator(".state-badge")).to_have_text("Chờ bổ sung để tiếp nhận")
    expect(page.get_by_text("Giấy chứng nhận quyền sử dụng đất — Chưa nộp")).to_be_visible()

    # When the applicant brings it back and the officer records it (a native <details>)
    form = action_form(page, "Nhận hồ sơ đã bổ sung để kiểm tra lại")
    form.get_by_label("Giấy chứng nhận quyền sử dụng đất").check()
    form.get_by_role("button").click()

    # Then the dossier is back for a decision, and can be received
    expect(page.locator(".state-badge")).to_have_text("Mới đăng ký, chờ tiếp nhận")
    press(page, "Tiếp nhận hồ sơ")
    expect(page.locator("#messages")).to_contain_text("Đã tiếp nhận hồ sơ 000.00.01.H56-")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
