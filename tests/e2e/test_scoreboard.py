"""The public scoreboard in a real browser: league table and a unit's page, on a phone,
with and without JavaScript (the chart has its table beside it)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Page, expect

from tests.dossiers import flows
from tests.dossiers.conftest import Clock, fast_pdf, frozen, world  # noqa: F401
from tests.dossiers.factories import World
from tests.e2e.conftest import AxeCheck
from tests.scoreboard.conftest import _no_page_cache, relay, scored  # noqa: F401

PHONE = {"width": 375, "height": 812}


def test_the_league_table_and_a_units_page_on_a_phone(
    new_context: Any,
    world: World,  # noqa: F811
    scored: dict[str, Any],  # noqa: F811
    axe_check: AxeCheck,
) -> None:
    # Given dossiers received at Sở Tư pháp (signing results runs its own event loop,
    # which Playwright's forbids: the league needs no result here)
    flows.received(world, chain=False)
    flows.received(world)
    relay()
    page = new_context(viewport=PHONE).new_page()

    # When a visitor opens the scoreboard and chooses the departments of Q4/2025
    page.goto("/chi-so-phuc-vu/")
    page.get_by_label("Kỳ đánh giá").select_option("2025-Q4")
    page.get_by_label("Loại đơn vị").select_option("department")
    page.get_by_role("button", name="Xem").click()

    # Then the league table ranks Sở Tư pháp first, with its band written out
    table = page.get_by_role("table", name="Xếp hạng Sở, ban, ngành — Quý IV/2025")
    expect(table).to_be_visible()
    first = table.locator("tbody tr").first
    expect(first.get_by_role("rowheader")).to_contain_text("Sở Tư pháp tỉnh Thanh Hóa")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    axe_check(page)

    # When they open the unit
    first.get_by_role("link", name="Sở Tư pháp tỉnh Thanh Hóa").click()

    # Then its six groups and the trend chart with its table are there
    expect(page.get_by_role("heading", level=1)).to_have_text("Sở Tư pháp tỉnh Thanh Hóa")
    for group in ("Công khai, minh bạch", "Tiến độ, kết quả giải quyết", "Mức độ hài lòng"):
        expect(page.get_by_role("heading", name=group)).to_be_visible()
    expect(
        page.get_by_role(
            "img",
            name="Biểu đồ tổng điểm và điểm các nhóm theo tháng; số liệu có trong bảng bên cạnh.",
        )
    ).to_be_visible()
    expect(
        page.get_by_role("table", name="Tổng điểm và điểm các nhóm theo tháng, năm 2025")
    ).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    axe_check(page)


def test_the_units_page_without_javascript(
    new_context: Any,
    world: World,  # noqa: F811
    scored: dict[str, Any],  # noqa: F811
    page: Page,
) -> None:
    flows.received(world, chain=False)
    relay()
    plain = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    plain.goto("/chi-so-phuc-vu/don-vi/000.00.12.H56/?ky=2025-Q4")
    expect(
        plain.get_by_role("table", name="Tổng điểm và điểm các nhóm theo tháng, năm 2025")
    ).to_be_visible()
    # Playwright turns scripts off by CDP, which leaves the HTML parser's scripting flag
    # on: Chromium keeps <noscript> as text, so its message is checked in the markup.
    assert (
        '<noscript><p class="small">Biểu đồ cần JavaScript; toàn bộ số liệu có trong '
        "bảng.</p></noscript>" in plain.content()
    )
