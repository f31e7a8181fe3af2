"""record_change(): one audit row and one outbox message per change, in the caller's
transaction; on PostgreSQL in one statement, and still one chain under concurrency."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import close_old_connections, connection, transaction

from motcua.audit.models import AuditEvent
from motcua.audit.selectors import verify_chain
from motcua.integration.models import OutboxMessage
from motcua.kernel.actors import Actor
from motcua.workflow.engine import apply_transition
from motcua.workflow.journal import record_change
from tests.testapp.models import Widget
from tests.testapp.states import WIDGET_MACHINE

pytestmark = pytest.mark.django_db


def _change(actor: Actor, aggregate_id: int, name: str) -> AuditEvent:
    with transaction.atomic():
        return record_change(
            actor=actor,
            aggregate_type="testapp.widget",
            aggregate_id=aggregate_id,
            name=name,
            data={"to": "x"},
            payload={"to": "x", "actor": actor.ref},
        )


def test_a_change_writes_its_audit_row_and_its_outbox_message(clerk: Actor) -> None:
    first = _change(clerk, 3, "note")
    second = _change(clerk, 3, "stamp")

    events = list(AuditEvent.objects.order_by("seq"))
    assert [(e.pk, e.action, e.aggregate_id, e.seq, e.data) for e in events] == [
        (first.pk, "testapp.widget.note", "3", 1, {"to": "x"}),
        (second.pk, "testapp.widget.stamp", "3", 2, {"to": "x"}),
    ]
    assert events[1].prev_hash == events[0].hash
    messages = list(OutboxMessage.objects.order_by("id"))
    assert [(m.topic, m.aggregate_type, m.aggregate_id, m.payload) for m in messages] == [
        ("testapp.widget.note", "testapp.widget", "3", {"to": "x", "actor": "official:8"}),
        ("testapp.widget.stamp", "testapp.widget", "3", {"to": "x", "actor": "official:8"}),
    ]
    assert verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_a_change_outside_a_transaction_writes_nothing(clerk: Actor) -> None:
    with pytest.raises(RuntimeError):
        record_change(
            actor=clerk,
            aggregate_type="testapp.widget",
            aggregate_id=1,
            name="note",
            data={},
            payload={},
        )
    assert AuditEvent.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_a_transition_is_one_statement_on_postgresql(
    clerk: Actor, django_assert_num_queries: object
) -> None:
    widget = Widget.objects.create()
    # The compare-and-set UPDATE, the chain head, the audit row and the outbox message:
    # one statement on PostgreSQL, four elsewhere; plus the savepoint pair.
    expected = 3 if connection.vendor == "postgresql" else 6
    with django_assert_num_queries(expected), transaction.atomic():  # type: ignore[operator]
        apply_transition(widget, WIDGET_MACHINE, "submit", actor=clerk)
    assert Widget.objects.get().state == "submitted"
    assert AuditEvent.objects.get().seq == 1
    assert OutboxMessage.objects.get().topic == "testapp.widget.submit"


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_change_waiting_on_the_row_lock_continues_the_chain(signer: Actor, clerk: Actor) -> None:
    # A non-transition change holds the widget's row lock and appends to its chain; a
    # transition of the same widget waits on its compare-and-set meanwhile. Its
    # statement's snapshot predates the other row, so its insert finds position 2 taken
    # and the record is made again in a new statement: the transition takes position 3.
    widget = Widget.objects.create()
    with transaction.atomic():
        apply_transition(widget, WIDGET_MACHINE, "submit", actor=clerk)
    locked = threading.Event()
    errors: list[BaseException] = []

    def holder() -> None:
        close_old_connections()
        try:
            with transaction.atomic():
                Widget.objects.select_for_update().get(pk=widget.pk)
                record_change(
                    actor=clerk,
                    aggregate_type="testapp.widget",
                    aggregate_id=widget.pk,
                    name="note",
                    data={},
                    payload={},
                )
                locked.set()
                time.sleep(0.5)
        except BaseException as exc:
            errors.append(exc)
        finally:
            locked.set()
            connection.close()

    def mover() -> None:
        close_old_connections()
        try:
            mine = Widget.objects.get(pk=widget.pk)
            with transaction.atomic():
                apply_transition(mine, WIDGET_MACHINE, "approve", actor=signer)
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    a = threading.Thread(target=holder)
    a.start()
    locked.wait(5)
    b = threading.Thread(target=mover)
    b.start()
    a.join(10)
    b.join(10)

    assert errors == []
    assert Widget.objects.get().state == "approved"
    chain = list(
        AuditEvent.objects.filter(aggregate_id=str(widget.pk))
        .order_by("seq")
        .values_list("seq", "action")
    )
    assert chain == [
        (1, "testapp.widget.submit"),
        (2, "testapp.widget.note"),
        (3, "testapp.widget.approve"),
    ]
    assert OutboxMessage.objects.count() == 3
    assert verify_chain().ok
