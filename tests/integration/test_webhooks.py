"""Webhooks: subscriptions, signed deliveries, retries while a receiver is down, replays."""

from __future__ import annotations

import datetime as dt
import json
import time

import httpx
import pytest
from django.db import transaction
from django.test import override_settings

from motcua.audit.models import AuditEvent
from motcua.integration import actions, outbox
from motcua.integration.errors import InvalidSubscription
from motcua.integration.fakes import FakeServer
from motcua.integration.models import (
    OutboxMessage,
    WebhookAttempt,
    WebhookDelivery,
    WebhookSubscription,
)
from motcua.integration.relay import relay_batch
from motcua.integration.webhooks import dispatch
from motcua.integration.webhooks.receiver import WebhookReceiver
from motcua.integration.webhooks.signing import (
    BadSignature,
    ReplayedWebhook,
    ReplayGuard,
    StaleWebhook,
    sign,
    verify_signature,
)
from motcua.kernel import clock
from motcua.kernel.actors import Actor

pytestmark = pytest.mark.django_db

SECRET = "a-shared-secret-of-some-length"
ADMIN = Actor.system("tests")


def _subscribe(url: str, topics: str = "dossiers.dossier.*") -> WebhookSubscription:
    return actions.do_create_webhook_subscription(
        actor=ADMIN, name="Hệ thống thống kê", url=url, topics=topics, secret=SECRET
    )


def _event(topic: str = "dossiers.dossier.receive", aggregate: int = 1) -> OutboxMessage:
    with transaction.atomic():
        return outbox.enqueue(
            topic=topic, aggregate_type="dossiers.dossier", aggregate_id=aggregate,
            payload={"code": f"H56-{aggregate}", "national_status": 2},
        )  # fmt: skip


class Clock:
    def __init__(self) -> None:
        self.moment = dt.datetime(2026, 1, 5, 2, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.moment


@pytest.fixture
def frozen(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(clock, "now", fake)
    return fake


def test_a_subscription_is_validated_and_audited_without_its_secret() -> None:
    with pytest.raises(InvalidSubscription) as error:
        actions.do_create_webhook_subscription(
            actor=ADMIN, name=" ", url="ftp://x", topics="bad topic!", secret="short"
        )
    assert set(error.value.field_errors) == {"name", "url", "topics", "secret"}
    assert WebhookSubscription.objects.count() == AuditEvent.objects.count() == 0

    subscription = _subscribe("https://thongke.example.vn/hook", "dossiers.dossier.*, documents.*")
    assert subscription.patterns == ["dossiers.dossier.*", "documents.*"]
    audit = AuditEvent.objects.get()
    assert audit.action == "integration.webhooksubscription.create"
    assert SECRET not in json.dumps(audit.data)


def test_the_fan_out_owes_each_message_to_each_matching_active_subscription() -> None:
    wanted = _subscribe("https://a.example.vn/hook")
    _subscribe("https://b.example.vn/hook", "documents.*")
    off = _subscribe("https://c.example.vn/hook")
    actions.do_update_webhook_subscription(
        off, actor=ADMIN, name=off.name, url=off.url, topics=off.topics, secret=SECRET,
        is_active=False,
    )  # fmt: skip
    message = _event()

    relay_batch()

    (delivery,) = WebhookDelivery.objects.all()
    assert (delivery.subscription_id, delivery.message_id, delivery.status) == (
        wanted.pk, message.pk, "pending",
    )  # fmt: skip
    assert OutboxMessage.objects.get().status == "delivered"


def test_a_delivery_is_signed_and_logged(frozen: Clock) -> None:
    receiver = WebhookReceiver(SECRET)
    with FakeServer(receiver) as server:
        _subscribe(server.url + "/motcua")
        message = _event()
        relay_batch()
        assert dispatch.dispatch_batch() == 1

    (envelope,) = receiver.received
    assert envelope == {
        "id": str(message.message_id),
        "topic": "dossiers.dossier.receive",
        "created_at": "2026-01-05T02:00:00+00:00",
        "aggregate": {"type": "dossiers.dossier", "id": "1"},
        "data": {"code": "H56-1", "national_status": 2},
    }
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("delivered", 1, 204)
    attempt = WebhookAttempt.objects.get()
    assert (attempt.status_code, attempt.error) == (204, "")


@override_settings(WEBHOOK_RETRY_BASE_SECONDS=10, WEBHOOK_RETRY_MAX_SECONDS=1800)
def test_a_receiver_down_for_an_hour_loses_nothing(frozen: Clock) -> None:
    receiver = WebhookReceiver(SECRET)
    server = FakeServer(receiver).start()
    port = int(server.url.rsplit(":", 1)[1])
    _subscribe(server.url + "/hook")
    server.stop()  # down: connection refused
    messages = [_event(aggregate=i) for i in range(3)]
    relay_batch()

    start = frozen.moment
    while frozen.moment < start + dt.timedelta(hours=1):
        dispatch.dispatch_batch()
        frozen.moment += dt.timedelta(seconds=30)

    attempts = WebhookAttempt.objects.filter(delivery__message=messages[0])
    delays = [10, 20, 40, 80, 160, 320, 640, 1280]
    assert attempts.count() == 1 + len(
        [d for d in delays if sum(delays[: delays.index(d) + 1]) < 3600]
    )
    assert all(a.status_code is None and "ConnectError" in a.error for a in attempts)
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"pending"}

    server = FakeServer(receiver, port=port).start()  # back after an hour
    try:
        frozen.moment += dt.timedelta(seconds=1800)
        dispatch.dispatch_batch()
    finally:
        server.stop()

    assert sorted(e["id"] for e in receiver.received) == sorted(str(m.message_id) for m in messages)
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_a_receiver_answering_503_is_retried_with_the_status_logged(frozen: Clock) -> None:
    receiver = WebhookReceiver(SECRET)
    receiver.is_down = True
    with FakeServer(receiver) as server:
        _subscribe(server.url)
        _event()
        relay_batch()
        dispatch.dispatch_batch()
        delivery = WebhookDelivery.objects.get()
        assert (delivery.status, delivery.last_status_code, delivery.last_error) == (
            "pending", 503, "HTTP 503",
        )  # fmt: skip
        assert delivery.next_attempt_at == frozen.moment + dt.timedelta(seconds=10)

        receiver.is_down = False
        frozen.moment += dt.timedelta(seconds=10)
        dispatch.dispatch_batch()

    assert list(WebhookAttempt.objects.values_list("status_code", flat=True)) == [503, 204]
    assert len(receiver.received) == 1


def test_a_replayed_or_tampered_webhook_is_detected() -> None:
    body = b'{"id":"m-1","topic":"dossiers.dossier.receive"}'
    now = time.time()
    header = sign(SECRET, body, timestamp=int(now))

    assert verify_signature(SECRET, header, body, now=now) == int(now)
    with pytest.raises(StaleWebhook):  # the same request captured and replayed 10 minutes later
        verify_signature(SECRET, header, body, now=now + 600)
    with pytest.raises(BadSignature):
        verify_signature(SECRET, header, body.replace(b"m-1", b"m-2"), now=now)
    with pytest.raises(BadSignature):
        verify_signature("another-secret-entirely", header, body, now=now)
    guard = ReplayGuard()
    guard.check("m-1", now=now)
    with pytest.raises(ReplayedWebhook):  # replayed within the tolerance: the id gives it away
        guard.check("m-1", now=now + 60)


def test_the_reference_receiver_rejects_a_replay_over_http() -> None:
    receiver = WebhookReceiver(SECRET)
    body = b'{"id":"m-9","topic":"t","created_at":"x","aggregate":{"type":"t","id":"1"},"data":{}}'
    headers = {
        "X-Motcua-Signature": sign(SECRET, body),
        "X-Motcua-Message-Id": "m-9",
        "Content-Type": "application/json",
    }
    with FakeServer(receiver) as server:
        first = httpx.post(server.url, content=body, headers=headers)
        again = httpx.post(server.url, content=body, headers=headers)
        forged = httpx.post(
            server.url, content=body, headers={**headers, "X-Motcua-Signature": "t=1,v1=00"}
        )

    assert (first.status_code, again.status_code, forged.status_code) == (204, 400, 400)
    assert again.json() == {"code": "webhook.replayed"}
    assert forged.json() == {"code": "webhook.bad_signature"}
    assert len(receiver.received) == 1


def test_the_admin_creates_and_edits_a_subscription_through_the_actions() -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client

    admin = get_user_model().objects.create_superuser("root", password="x")
    browser = Client()
    browser.force_login(admin)
    form = {
        "name": "Hệ thống thống kê",
        "url": "https://thongke.example.vn/hook",
        "topics": "dossiers.dossier.*",
        "secret": SECRET,
        "is_active": "on",
    }

    bad = browser.post("/admin/integration/webhooksubscription/add/", {**form, "url": "x"})
    created = browser.post("/admin/integration/webhooksubscription/add/", form)

    assert bad.status_code == 200
    assert "Địa chỉ nhận phải là một URL" in bad.content.decode()
    assert created.status_code == 302
    subscription = WebhookSubscription.objects.get()
    assert (subscription.url, subscription.secret) == ("https://thongke.example.vn/hook", SECRET)
    edited = browser.post(
        f"/admin/integration/webhooksubscription/{subscription.pk}/change/",
        {**form, "topics": "documents.*"},
    )
    assert edited.status_code == 302
    assert WebhookSubscription.objects.get().topics == "documents.*"
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == [
        "integration.webhooksubscription.create",
        "integration.webhooksubscription.update",
    ]
