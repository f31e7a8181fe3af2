"""Notifications racing each other (the platform retries while the first is in flight)
and a notification racing the desk (PostgreSQL: real concurrent transactions)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.db import close_old_connections, connection

from motcua.dossiers import actions as dossier_actions
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import DossierState
from motcua.integration.models import OutboxMessage
from motcua.kernel.errors import ApplicationError
from motcua.payments.actions import do_handle_notification
from motcua.payments.models import PaymentOrder
from motcua.payments.states import OrderState
from tests.dossiers.factories import World
from tests.payments.conftest import notification, started

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def at_once(*calls: Callable[[], object]) -> list[str]:
    start = threading.Barrier(len(calls))
    outcomes: list[str] = []

    def run(call: Callable[[], object]) -> None:
        close_old_connections()
        try:
            start.wait(5)
            call()
            outcomes.append("ok")
        except ApplicationError as exc:
            outcomes.append(exc.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return sorted(outcomes)


def test_the_same_notification_delivered_four_times_at_once_pays_once(world: World) -> None:
    dossier, _order, attempt = started(world)
    fields = notification(attempt)

    outcomes = at_once(*[lambda: do_handle_notification(fields)] * 4)

    assert outcomes == ["ok"] + ["payments.already_confirmed"] * 3
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.IN_PROCESS
    assert OutboxMessage.objects.filter(topic="payments.order.paid").count() == 1


def test_a_notification_racing_the_desk_never_records_the_fees_twice(world: World) -> None:
    dossier, order, attempt = started(world)
    fields = notification(attempt)
    desk = world.actors["desk"]

    outcomes = at_once(
        lambda: do_handle_notification(fields),
        lambda: dossier_actions.do_record_payment(
            Dossier.objects.get(pk=dossier.pk), actor=desk, reference="BL-9"
        ),
    )

    # Exactly one of them recorded the fees; the loser either saw the dossier already paid
    # (the money becomes refund_due) or lost the compare-and-set and changed nothing (the
    # platform retries its notification).
    assert set(outcomes) <= {"ok", "concurrent_transition", "wrong_state"}
    assert OutboxMessage.objects.filter(topic="dossiers.dossier.record_payment").count() == 1
    paid_online = PaymentOrder.objects.filter(pk=order.pk, state=OrderState.PAID).exists()
    paid_at_desk = Dossier.objects.get(pk=dossier.pk).payment_reference == "BL-9"
    assert paid_online != paid_at_desk
