"""End to end over HTTP: motcua served (live server), the fake platform in its thread; a
citizen pays and the dossier moves on; misbehaving notifications change nothing."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from django.test import Client, override_settings

from motcua.dossiers.models import Dossier
from motcua.dossiers.states import DossierState
from motcua.integration.fakes import FakeServer
from motcua.payments.fake import FakePaymentPlatform
from motcua.payments.models import AttemptStatus, PaymentAttempt, PaymentOrder
from motcua.payments.states import OrderState
from tests.dossiers.factories import World
from tests.payments.conftest import MERCHANT, PHONE, SECRET, awaiting_payment

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def served(live_server: object) -> Iterator[FakePaymentPlatform]:
    app = FakePaymentPlatform(merchant_id=MERCHANT, secret=SECRET, callback_delay=None)
    with (
        FakeServer(app) as server,
        override_settings(
            PAYMENT_PLATFORM_URL=server.url,
            PAYMENT_PUBLIC_BASE_URL=live_server.url,  # type: ignore[attr-defined]
        ),
    ):
        yield app


def go_to_platform(client: Client, dossier: Dossier) -> str:
    order_page = client.post("/thanh-toan/", {"code": dossier.code, "phone": PHONE})["Location"]
    return str(client.post(order_page + "thanh-toan/")["Location"])


def press(checkout_url: str, action: str) -> httpx.Response:
    assert httpx.get(checkout_url, timeout=10).status_code == 200
    reference = dict(httpx.QueryParams(urlsplit(checkout_url).query))["reference"]
    base = checkout_url.split("/checkout", 1)[0]
    return httpx.post(f"{base}/checkout/{reference}", data={"action": action}, timeout=30)


def test_a_citizen_pays_on_the_platform_and_the_dossier_moves_on(
    world: World, served: FakePaymentPlatform, client: Client
) -> None:
    dossier = awaiting_payment(world)

    back = press(go_to_platform(client, dossier), "pay")

    assert next(iter(served.transactions.values())).notifications == ["00"]
    dossier.refresh_from_db()
    assert dossier.state == DossierState.IN_PROCESS
    assert PaymentOrder.objects.get().state == OrderState.PAID
    returned = urlsplit(back.headers["location"])
    page = client.get(returned.path, dict(httpx.QueryParams(returned.query)))
    assert "Thanh toán thành công" in page.content.decode()


@pytest.mark.parametrize(("mode", "answer"), [("bad_signature", "97"), ("wrong_amount", "04")])
def test_a_tampered_notification_is_refused_over_http(
    world: World, served: FakePaymentPlatform, client: Client, mode: str, answer: str
) -> None:
    dossier = awaiting_payment(world)
    served.callback_mode = mode

    press(go_to_platform(client, dossier), "pay")

    assert next(iter(served.transactions.values())).notifications == [answer]
    dossier.refresh_from_db()
    assert dossier.state == DossierState.AWAITING_PAYMENT
    assert PaymentAttempt.objects.get().status == AttemptStatus.STARTED


def test_a_delayed_notification_shows_processing_until_it_arrives(
    world: World, served: FakePaymentPlatform, client: Client
) -> None:
    dossier = awaiting_payment(world)
    back = press(go_to_platform(client, dossier), "pay_delayed")
    returned = urlsplit(back.headers["location"])
    query = dict(httpx.QueryParams(returned.query))

    waiting = client.get(returned.path, query).content.decode()
    reference = PaymentAttempt.objects.get().reference
    assert served.send_notification(reference) == "00"
    done = client.get(returned.path, query).content.decode()

    assert "Đang xử lý." in waiting
    assert "Thanh toán thành công" in done
    assert served.send_notification(reference) == "02"  # a replay is acknowledged, once
    dossier.refresh_from_db()
    assert dossier.state == DossierState.IN_PROCESS
