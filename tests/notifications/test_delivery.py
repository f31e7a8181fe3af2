"""Sending: e-mail with Form 01 attached, SMS through the gateway; a gateway or an SMTP
server that is down is retried with back-off, logged without personal data, nothing is
lost and nothing is sent twice."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.test import override_settings

from motcua.integration.fakes import FakeServer
from motcua.notifications.actions import (
    STALE_SENDING,
    do_deliver_notification,
    do_send_due_notifications,
)
from motcua.notifications.fakes import FakeSmsGateway, MailCatcher, free_port
from motcua.notifications.models import Notification, NotificationStatus
from tests.dossiers.conftest import Clock
from tests.dossiers.factories import PERSONAL_ID, World
from tests.notifications.conftest import EMAIL, NAME, PHONE, receive, relay_all


@pytest.fixture
def gateway() -> Iterator[FakeSmsGateway]:
    app = FakeSmsGateway(token="test-sms-token")
    with FakeServer(app) as server, override_settings(SMS_GATEWAY_URL=server.url):
        yield app


def planned(world: World, channel: str) -> Notification:
    receive(world)
    relay_all()
    return Notification.objects.get(channel=channel)


def test_the_receipt_email_carries_form_01_and_no_personal_data(world: World) -> None:
    notification = planned(world, "email")

    done = do_deliver_notification(notification.pk)

    assert done is not None
    assert (done.status, done.attempts, done.last_error) == ("sent", 1, "")
    assert done.provider_ref == f"<notification-{done.pk}.{done.message_id}@motcua>"
    [message] = mail.outbox
    code = done.dossier.code
    assert message.to == [EMAIL]
    assert message.subject == f"Hồ sơ {code} đã được tiếp nhận"
    assert f"Hồ sơ {code} (Cấp giấy phép xây dựng nhà ở riêng lẻ) đã được tiếp nhận" in message.body
    assert f"https://motcua.example.vn/tra-cuu-ho-so/?ma={code}" in message.body
    assert "https://motcua.example.vn/thong-bao/huy-nhan/" in message.body
    assert NAME not in message.body
    assert PERSONAL_ID not in message.body
    [(filename, content, mimetype)] = message.attachments
    assert filename == f"mau-01-giay-tiep-nhan-{code}.pdf"
    assert mimetype == "application/pdf"
    assert content.startswith(b"%PDF")
    assert do_deliver_notification(notification.pk) is None
    assert len(mail.outbox) == 1


def test_an_english_speaker_gets_english(world: World) -> None:
    notification = planned(world, "email")
    Notification.objects.filter(pk=notification.pk).update(language="en")

    do_deliver_notification(notification.pk)

    assert mail.outbox[0].subject == f"Dossier {notification.dossier.code} has been received"


def test_an_sms_gateway_that_is_down_is_retried_and_sends_once(
    world: World, frozen: Clock, gateway: FakeSmsGateway, caplog: pytest.LogCaptureFixture
) -> None:
    notification = planned(world, "sms")
    gateway.mode = "down"

    with caplog.at_level(logging.WARNING):
        failed = do_deliver_notification(notification.pk)

    assert failed is not None
    assert (failed.status, failed.attempts, failed.last_error) == ("failed", 1, "sms.http_503")
    assert failed.next_attempt_at == frozen.moment + dt.timedelta(seconds=30)
    assert "notifications.send_failed" in caplog.text
    assert PHONE not in caplog.text
    assert do_deliver_notification(notification.pk) is None  # not due yet
    gateway.mode = "ok"
    frozen.set(frozen.moment + dt.timedelta(seconds=31))

    stats = do_send_due_notifications()

    notification.refresh_from_db()
    assert (stats.due, stats.sent) == (2, 2)  # the e-mail of the same event was due too
    assert (notification.status, notification.attempts) == ("sent", 2)
    assert notification.provider_ref == "SMS-000001"
    assert do_send_due_notifications().due == 0
    [sms] = gateway.messages
    assert sms["to"] == PHONE
    assert sms["text"].startswith(
        f"Hồ sơ {notification.dossier.code} đã được tiếp nhận, hẹn trả kết quả"
    )
    assert gateway.requests == 2


def test_a_send_interrupted_midway_is_retried_and_the_gateway_dedupes_it(
    world: World, frozen: Clock, gateway: FakeSmsGateway
) -> None:
    notification = planned(world, "sms")
    do_send_due_notifications()
    # A worker that sent and died before recording it: the row says "sending".
    Notification.objects.filter(pk=notification.pk).update(
        status=NotificationStatus.SENDING, claimed_at=frozen.moment, attempts=0
    )
    assert do_send_due_notifications().due == 0
    frozen.set(frozen.moment + STALE_SENDING + dt.timedelta(seconds=1))

    stats = do_send_due_notifications()

    notification.refresh_from_db()
    assert (stats.due, stats.sent) == (1, 1)
    assert notification.status == "sent"
    assert len(gateway.messages) == 1


def test_an_smtp_server_that_is_down_is_retried_until_it_is_back(
    world: World, frozen: Clock
) -> None:
    port = free_port()
    smtp = {
        "default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"},
        "notifications": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        },
    }
    notification = planned(world, "email")
    catcher = MailCatcher(smtp_port=port)
    with override_settings(MAILERS=smtp):
        failed = do_deliver_notification(notification.pk)
        assert failed is not None
        assert (failed.status, failed.attempts) == ("failed", 1)
        assert failed.last_error == "smtp.ConnectionRefusedError"
        catcher.start_smtp()
        try:
            frozen.set(frozen.moment + dt.timedelta(seconds=31))
            stats = do_send_due_notifications()
            again = do_send_due_notifications()
        finally:
            catcher.stop_smtp()

    notification.refresh_from_db()
    assert (stats.sent, again.due) == (1, 0)
    assert (notification.status, notification.attempts) == ("sent", 2)
    [caught] = catcher.messages
    assert caught.recipients == [EMAIL]
    assert caught.subject == f"Hồ sơ {notification.dossier.code} đã được tiếp nhận"
    assert caught.attachments == [f"mau-01-giay-tiep-nhan-{notification.dossier.code}.pdf"]


def test_a_send_that_keeps_failing_stops_after_the_last_attempt(
    world: World, frozen: Clock, gateway: FakeSmsGateway
) -> None:
    notification = planned(world, "sms")
    gateway.mode = "down"

    with override_settings(NOTIFICATIONS_MAX_ATTEMPTS=2):
        do_deliver_notification(notification.pk)
        frozen.set(frozen.moment + dt.timedelta(hours=1))
        do_deliver_notification(notification.pk)

    notification.refresh_from_db()
    assert (notification.status, notification.attempts) == ("dead", 2)
    assert notification.next_attempt_at is None
    assert gateway.messages == []


def test_an_opt_out_after_planning_is_respected_at_sending(world: World) -> None:
    from motcua.kernel.actors import Actor
    from motcua.notifications.actions import do_set_contact_preference
    from motcua.notifications.selectors import contact_key

    notification = planned(world, "email")
    do_set_contact_preference(
        contact_key("email", EMAIL.upper()), actor=Actor.anonymous(), channel="email", enabled=False
    )

    done = do_deliver_notification(notification.pk)

    assert done is not None
    assert (done.status, done.skip_reason) == ("skipped", "opted_out")
    assert mail.outbox == []


def test_a_batch_of_new_notifications_is_one_task_that_sends_each(
    world: World, gateway: FakeSmsGateway, django_capture_on_commit_callbacks: Any
) -> None:
    from django_tasks_db.models import DBTaskResult

    from motcua.notifications.tasks import deliver_notifications

    receive(world)
    with django_capture_on_commit_callbacks(execute=True):
        relay_all()

    [task_row] = DBTaskResult.objects.filter(task_path__endswith="deliver_notifications")
    ids = task_row.args_kwargs["args"][0]
    assert sorted(ids) == sorted(Notification.objects.values_list("pk", flat=True))
    assert not DBTaskResult.objects.filter(task_path__endswith=".deliver_notification").exists()

    outcome = deliver_notifications.call(ids)

    assert outcome == {"sent": 2}
    assert set(Notification.objects.values_list("status", flat=True)) == {"sent"}
    assert len(mail.outbox) == 1
