"""A citizen pays a dossier's fees in a real browser, on the local fake payment platform.

The dossier (the tests' inter-agency procedure, 75.000 đ) is asked to pay through the
actions; the citizen opens the payment page by code and phone, goes to the fake
platform, pays, and comes back to "payment successful" — the dossier has moved on. A
second payment whose notification is held shows "processing" until it arrives. Axe
checks the look-up, the order and the return pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from motcua.dossiers.models import Dossier
from motcua.dossiers.states import DossierState
from motcua.integration.fakes import FakeServer
from motcua.payments.fake import FakePaymentPlatform
from motcua.payments.models import PaymentAttempt
from motcua.workdays.selectors import invalidate_calendar_cache
from tests.dossiers.factories import World, make_world
from tests.e2e.conftest import AxeCheck
from tests.payments.conftest import PHONE, awaiting_payment

SECRET, MERCHANT = "e2e-payment-secret", "MOTCUA-E2E"


@pytest.fixture
def platform(settings: Any, live_server: Any) -> Iterator[FakePaymentPlatform]:
    app = FakePaymentPlatform(merchant_id=MERCHANT, secret=SECRET, callback_delay=None)
    with FakeServer(app) as server:
        settings.PAYMENT_PLATFORM_URL = server.url
        settings.PAYMENT_PUBLIC_BASE_URL = live_server.url
        settings.PAYMENT_SECRET_KEY = SECRET
        settings.PAYMENT_MERCHANT_ID = MERCHANT
        yield app


@pytest.fixture
def world() -> Iterator[World]:
    invalidate_calendar_cache()
    yield make_world()
    invalidate_calendar_cache()


def open_order(page: Page, dossier: Dossier, axe_check: AxeCheck) -> None:
    page.goto(f"/thanh-toan/?ma={dossier.code}")
    axe_check(page)
    page.get_by_label("Số điện thoại của người nộp hồ sơ").fill(PHONE)
    page.get_by_role("button", name="Tìm khoản phải nộp").click()
    expect(page.get_by_role("heading", name="Nộp phí, lệ phí của hồ sơ")).to_be_visible()
    expect(page.get_by_text("75.000 đồng").first).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Thanh toán qua Nền tảng thanh toán").click()
    expect(page.get_by_role("heading", name="Thanh toán phí, lệ phí")).to_be_visible()


def test_a_citizen_pays_and_the_dossier_moves_on(
    page: Page, world: World, platform: FakePaymentPlatform, axe_check: AxeCheck
) -> None:
    dossier = awaiting_payment(world)

    open_order(page, dossier, axe_check)
    page.get_by_role("button", name="Thanh toán", exact=True).click()

    expect(page.get_by_text("Thanh toán thành công. Cảm ơn bạn!")).to_be_visible()
    axe_check(page)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.IN_PROCESS


def test_a_delayed_notification_shows_processing_until_it_arrives(
    page: Page, world: World, platform: FakePaymentPlatform, axe_check: AxeCheck
) -> None:
    dossier = awaiting_payment(world)

    open_order(page, dossier, axe_check)
    page.get_by_role("button", name="Thanh toán, báo kết quả chậm").click()

    expect(page.get_by_text("Đang xử lý.")).to_be_visible()
    axe_check(page)
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.AWAITING_PAYMENT
    assert platform.send_notification(PaymentAttempt.objects.get().reference) == "00"
    # The page refreshes itself (no JavaScript needed) and then shows the outcome.
    expect(page.get_by_text("Thanh toán thành công. Cảm ơn bạn!")).to_be_visible()
