"""Which dossier events become which messages, once, with the applicant's choices."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from motcua.dossiers import actions
from motcua.dossiers.actions import SupplementItem
from motcua.dossiers.models import Dossier
from motcua.kernel.actors import Actor, ActorKind
from motcua.notifications.actions import (
    do_plan_notifications,
    do_set_account_preference,
    do_set_contact_preference,
)
from motcua.notifications.models import Notification
from motcua.notifications.selectors import contact_key
from tests.dossiers import flows
from tests.dossiers.conftest import digitise_all
from tests.dossiers.factories import World
from tests.notifications.conftest import EMAIL, PHONE, message_of, receive, relay_all


def rows() -> list[tuple[str, str, str, str, str]]:
    return list(
        Notification.objects.order_by("id").values_list(
            "event", "channel", "status", "skip_reason", "recipient_masked"
        )
    )


def test_a_received_dossier_is_announced_by_email_and_sms_once(world: World) -> None:
    dossier = receive(world)

    relay_all()

    assert rows() == [
        ("received", "email", "pending", "", "la***@example.vn"),
        ("received", "sms", "pending", "", "0912***678"),
    ]
    first = Notification.objects.first()
    assert first is not None
    assert first.dossier_id == dossier.pk
    assert first.language == "vi"
    assert first.data == {}
    assert do_plan_notifications(message_of("dossiers.dossier.receive")) == []
    assert Notification.objects.count() == 2


def test_events_the_applicant_need_not_know_send_nothing(world: World) -> None:
    dossier = receive(world)
    relay_all()
    digitise_all(dossier, world.actors["desk"])
    actions.do_transfer_dossier(dossier, actor=world.actors["desk"])

    relay_all()

    assert {event for event, *_ in rows()} == {"received"}


def test_missing_contacts_and_opt_outs_are_recorded_as_skipped(world: World) -> None:
    do_set_contact_preference(
        contact_key("sms", "+84912345678"), actor=Actor.anonymous(), channel="sms", enabled=False
    )
    receive(world, email="")

    relay_all()

    assert rows() == [
        ("received", "email", "skipped", "no_contact", ""),
        ("received", "sms", "skipped", "opted_out", "0912***678"),
    ]


def test_the_citizen_accounts_choices_apply(world: World) -> None:
    user = get_user_model().objects.create_user("vneid-lan", password=None)
    citizen = Actor(kind=ActorKind.CITIZEN, id=str(user.pk), user_id=user.pk)
    do_set_account_preference(
        user.pk, actor=citizen, email_enabled=True, sms_enabled=False, language="en"
    )
    dossier = receive(world)
    # No action sets the filing account yet (online intake comes with the portal sync).
    Dossier.objects.filter(pk=dossier.pk).update(applicant_user_id=user.pk)
    Notification.objects.all().delete()
    do_plan_notifications(message_of("dossiers.dossier.receive"))

    assert rows() == [
        ("received", "email", "pending", "", "la***@example.vn"),
        ("received", "sms", "skipped", "opted_out", "0912***678"),
    ]
    assert Notification.objects.get(channel="email").language == "en"


def test_each_event_keeps_what_its_message_needs(world: World, frozen: object) -> None:
    dossier = flows.in_process(world)
    a = world.actors
    actions.do_request_supplement(
        dossier,
        actor=a["justice_handler"],
        items=[SupplementItem("Bản sao giấy khai sinh", "Bản chụp không rõ năm sinh")],
    )
    actions.do_receive_supplement(dossier, actor=a["desk"])
    actions.do_request_payment(dossier, actor=a["justice_handler"])
    actions.do_record_payment(dossier, actor=a["desk"], reference="BL-1")
    new_due = dossier.due_at + dt.timedelta(days=7)  # type: ignore[operator]
    while new_due.weekday() >= 5:
        new_due += dt.timedelta(days=1)
    actions.do_issue_apology(
        dossier, actor=a["justice_reviewer"], reason="Chờ ý kiến Sở Xây dựng", new_due_at=new_due
    )

    relay_all()

    data = dict(Notification.objects.filter(channel="sms").values_list("event", "data"))
    assert data["supplement_requested"] == {
        "items": [["Bản sao giấy khai sinh", "Bản chụp không rõ năm sinh"]]
    }
    assert data["payment_requested"] == {"amount": 75000}
    assert data["apology"]["reason"] == "Chờ ý kiến Sở Xây dựng"
    assert dt.datetime.fromisoformat(data["apology"]["due_at"]) == new_due
    assert EMAIL not in str(data)
    assert PHONE not in str(data)


def test_a_batch_of_events_is_planned_in_a_fixed_number_of_queries(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from motcua.integration.models import OutboxMessage
    from motcua.notifications.actions import do_plan_notifications_many

    def planned_with_queries(count: int) -> tuple[int, int]:
        for _ in range(count):
            receive(world)
        messages = list(
            OutboxMessage.objects.filter(topic="dossiers.dossier.receive").order_by("-id")[:count]
        )
        with CaptureQueriesContext(connection) as queries:
            planned = do_plan_notifications_many(messages)
        return len(planned), len(queries)

    one = planned_with_queries(1)
    four = planned_with_queries(4)

    assert (one[0], four[0]) == (2, 8)  # e-mail and SMS of each received dossier
    assert one[1] == four[1]
