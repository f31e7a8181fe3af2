"""The national portal sync in a browser: the operations page lists a failing dossier,
the fake portal shows a received one with its history; both usable on a phone.

A dossier is received at the desk and pushed to the fake portal (served beside the
live server); a second one meets a portal answering 503. Axe checks the operations page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import override_settings
from playwright.sync_api import Page, expect

from motcua.integration.adapters.dvcqg.client import _tokens
from motcua.integration.adapters.dvcqg.fake import PortalFake
from motcua.integration.fakes import FakeServer
from motcua.integration.relay import relay_batch
from motcua.workdays.selectors import invalidate_calendar_cache
from tests.dossiers import flows
from tests.dossiers.factories import World, make_world
from tests.e2e.conftest import AxeCheck
from tests.e2e.test_dossier_journey import log_in

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def portal() -> Iterator[FakeServer]:
    _tokens.clear()
    with (
        FakeServer(PortalFake()) as server,
        override_settings(DVCQG_SYNC_ENABLED=True, DVCQG_URL=server.url, OUTBOX_MAX_ATTEMPTS=1),
    ):
        yield server
    _tokens.clear()


@pytest.fixture
def world(live_server: Any) -> Iterator[World]:
    invalidate_calendar_cache()
    yield make_world()
    invalidate_calendar_cache()


def _drain() -> None:
    while relay_batch().claimed:
        pass


def test_operations_page_and_the_fake_portal(
    page: Page, new_context: Any, world: World, portal: FakeServer, axe_check: AxeCheck
) -> None:
    synced = flows.received(world, chain=False)
    _drain()
    portal.app.fail_next(1, status=503)
    failing = flows.received(world, chain=False)
    _drain()

    log_in(page, "desk_officer", then="/dong-bo-dvcqg/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Đồng bộ Cổng Dịch vụ công quốc gia")
    problems = page.get_by_role("table", name="Hồ sơ chậm hoặc lỗi đồng bộ")
    expect(problems).to_contain_text(failing.code)
    expect(problems).to_contain_text("UNAVAILABLE HTTP 503")
    expect(problems).not_to_contain_text(synced.code)
    page.get_by_label("Chỉ hiện hồ sơ đang lỗi").check()
    page.get_by_role("button", name="Lọc").click()
    expect(page).to_have_url(re.compile(r"\?loi=1$"))
    expect(problems).to_contain_text(failing.code)
    axe_check(page)

    phone = new_context(viewport=PHONE, java_script_enabled=False).new_page()
    log_in(phone, "desk_officer", then="/dong-bo-dvcqg/")
    expect(phone.get_by_role("table", name="Hồ sơ chậm hoặc lỗi đồng bộ")).to_contain_text(
        failing.code
    )

    page.goto(portal.url + "/")
    expect(page.get_by_role("table").first).to_contain_text(synced.code)
    page.get_by_role("link", name=synced.code).click()
    history = page.get_by_role("table", name="Lịch sử trạng thái và tiến trình xử lý")
    expect(history).to_contain_text("2 – Được tiếp nhận")
