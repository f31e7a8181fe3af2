"""The reconciliation asks the (fake) platform about attempts without a notification and
settles them: paid, failed, expired; an unreachable platform is asked again later."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from django.test import override_settings

from motcua.dossiers.models import Dossier
from motcua.dossiers.states import DossierState
from motcua.integration.fakes import FakeServer
from motcua.integration.models import OutboxMessage
from motcua.payments.actions import (
    do_open_payment_order,
    do_reconcile_payments,
    do_start_payment,
)
from motcua.payments.fake import FakePaymentPlatform
from motcua.payments.models import AttemptStatus, PaymentAttempt, PaymentOrder
from motcua.payments.states import OrderState
from tests.dossiers.conftest import Clock
from tests.dossiers.factories import World
from tests.payments.conftest import MERCHANT, SECRET, applicant, awaiting_payment, payment_snapshot


@pytest.fixture
def platform_server() -> Iterator[FakeServer]:
    app = FakePaymentPlatform(merchant_id=MERCHANT, secret=SECRET, callback_delay=None)
    # motcua is not served in these tests: its notify address refuses connections at once.
    with (
        FakeServer(app) as server,
        override_settings(
            PAYMENT_PLATFORM_URL=server.url, PAYMENT_PUBLIC_BASE_URL="http://127.0.0.1:9"
        ),
    ):
        yield server


def start(world: World) -> tuple[Dossier, PaymentAttempt, str]:
    dossier = awaiting_payment(world)
    order = do_open_payment_order(dossier, actor=applicant(), granted={dossier.pk})
    begun = do_start_payment(order, actor=applicant(), granted={dossier.pk})
    return dossier, begun.attempt, begun.checkout_url


def choose(checkout_url: str, action: str) -> httpx.Response:
    """Open the fake's checkout page and press a button, as the applicant would."""
    page = httpx.get(checkout_url, timeout=5)
    assert page.status_code == 200
    assert "Thanh toán, báo kết quả chậm" in page.text
    reference = dict(httpx.QueryParams(urlsplit(checkout_url).query))["reference"]
    base = checkout_url.split("/checkout", 1)[0]
    return httpx.post(f"{base}/checkout/{reference}", data={"action": action}, timeout=5)


def test_a_payment_whose_notification_never_came_is_settled_by_the_reconciliation(
    world: World, frozen: Clock, platform_server: FakeServer
) -> None:
    dossier, attempt, url = start(world)
    back = choose(url, "pay_delayed")
    assert back.status_code == 303
    assert back.headers["location"].startswith("http://127.0.0.1:9/thanh-toan/ket-qua/?")
    assert platform_server.app.sent == []  # held

    early = do_reconcile_payments()
    frozen.set(frozen.moment + dt.timedelta(seconds=61))
    stats = do_reconcile_payments()

    assert early.checked == 0
    assert (stats.checked, stats.settled) == (1, 1)
    attempt.refresh_from_db()
    assert attempt.status == AttemptStatus.PAID
    assert attempt.settled_via == "reconciliation"
    assert attempt.transaction_no == "14000001"
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.IN_PROCESS
    assert PaymentOrder.objects.get().state == OrderState.PAID
    assert OutboxMessage.objects.filter(topic="payments.order.paid").count() == 1


def test_failed_and_abandoned_attempts_are_settled(
    world: World, frozen: Clock, platform_server: FakeServer
) -> None:
    dossier, failed, url = start(world)
    platform_server.app.callback_mode = "bad_signature"  # its notification is refused
    choose(url, "fail")
    order = PaymentOrder.objects.get()
    abandoned = do_start_payment(order, actor=applicant(), granted={dossier.pk}).attempt

    frozen.set(frozen.moment + dt.timedelta(seconds=61))
    first = do_reconcile_payments()
    abandoned.refresh_from_db()
    frozen.set(frozen.moment + dt.timedelta(minutes=20))
    second = do_reconcile_payments()

    failed.refresh_from_db()
    abandoned.refresh_from_db()
    assert (first.checked, first.settled, first.pending) == (2, 1, 1)
    assert (second.checked, second.settled) == (1, 1)
    assert failed.status == AttemptStatus.FAILED
    assert failed.response_code == "51"
    assert abandoned.status == AttemptStatus.EXPIRED
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.AWAITING_PAYMENT
    assert PaymentOrder.objects.get().state == OrderState.PENDING


def test_an_unreachable_platform_is_asked_again_later_and_nothing_changes(
    world: World, frozen: Clock, platform_server: FakeServer
) -> None:
    _dossier, attempt, url = start(world)
    choose(url, "pay_delayed")
    platform_server.app.query_mode = "down"
    frozen.set(frozen.moment + dt.timedelta(seconds=61))
    before = payment_snapshot()

    stats = do_reconcile_payments()

    assert (stats.checked, stats.unavailable) == (1, 1)
    assert payment_snapshot() == before
    attempt.refresh_from_db()
    assert attempt.checks == 1
    assert attempt.next_check_at == frozen.moment + dt.timedelta(seconds=120)
    platform_server.app.query_mode = "ok"
    frozen.set(frozen.moment + dt.timedelta(seconds=121))
    assert do_reconcile_payments().settled == 1


def test_a_platform_answer_with_a_wrong_amount_never_settles(
    world: World, frozen: Clock, platform_server: FakeServer
) -> None:
    _dossier, attempt, url = start(world)
    choose(url, "pay_delayed")
    platform_server.app.transactions[attempt.reference].amount = 70_000
    frozen.set(frozen.moment + dt.timedelta(seconds=61))

    stats = do_reconcile_payments()

    attempt.refresh_from_db()
    assert (stats.checked, stats.unavailable) == (1, 1)
    assert attempt.status == AttemptStatus.STARTED
    assert not OutboxMessage.objects.filter(topic="payments.order.paid").exists()


def test_the_fake_refuses_a_checkout_that_is_not_signed(platform_server: FakeServer) -> None:
    response = httpx.get(
        f"{platform_server.url}/checkout",
        params={"merchant": MERCHANT, "reference": "X", "amount": "1", "signature": "00"},
        timeout=5,
    )
    assert response.status_code == 400
    query = httpx.get(f"{platform_server.url}/api/transactions/X", params={"merchant": MERCHANT})
    assert query.status_code == 401
