"""apply_transition(): compare-and-set, permissions, guards, and one audit + one outbox row per move."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import close_old_connections, connection, transaction

from motcua.audit.models import AuditEvent
from motcua.integration.models import OutboxMessage
from motcua.kernel.actors import Actor, ActorKind
from motcua.kernel.errors import ConcurrentTransition, InvalidInput, WrongState
from motcua.workflow.engine import apply_transition
from motcua.workflow.errors import TransitionNotAllowed, UnknownTransition
from tests.testapp.models import Widget
from tests.testapp.states import WIDGET_MACHINE

pytestmark = pytest.mark.django_db


def _move(widget: Widget, name: str, actor: Actor, **kwargs: object) -> None:
    with transaction.atomic():
        apply_transition(widget, WIDGET_MACHINE, name, actor=actor, **kwargs)  # type: ignore[arg-type]


def test_transition_moves_state_and_writes_one_audit_and_one_outbox_row(clerk: Actor) -> None:
    widget = Widget.objects.create()

    _move(widget, "submit", clerk, payload={"note": "x"})

    widget.refresh_from_db()
    assert widget.state == "submitted"
    audit = AuditEvent.objects.get()
    assert audit.action == "testapp.widget.submit"
    assert audit.aggregate_id == str(widget.pk)
    assert audit.actor_ref == "official:8"
    assert audit.data == {"from": "draft", "to": "submitted"}
    message = OutboxMessage.objects.get()
    assert message.topic == "testapp.widget.submit"
    assert message.payload == {
        "from": "draft",
        "to": "submitted",
        "note": "x",
        "actor": "official:8",
    }


def test_transition_from_wrong_state_is_refused_and_writes_nothing(signer: Actor) -> None:
    widget = Widget.objects.create()

    with pytest.raises(WrongState) as err:
        _move(widget, "approve", signer)

    assert err.value.code == "wrong_state"
    assert "Nháp" in err.value.message
    assert Widget.objects.get().state == "draft"
    assert AuditEvent.objects.count() == 0
    assert OutboxMessage.objects.count() == 0


def test_actor_without_role_is_refused(clerk: Actor) -> None:
    widget = Widget.objects.create()
    _move(widget, "submit", clerk)

    with pytest.raises(TransitionNotAllowed) as err:
        _move(widget, "approve", clerk)

    assert err.value.code == "transition_not_allowed"
    assert err.value.status == 403
    assert Widget.objects.get().state == "submitted"
    assert AuditEvent.objects.count() == 1


def test_actor_of_another_agency_is_refused(clerk: Actor) -> None:
    widget = Widget.objects.create(owner_agency_id=2)
    _move(widget, "submit", clerk)
    other_signer = Actor(kind=ActorKind.OFFICIAL, id="9", agency_id=1, roles=frozenset({"signer"}))

    with pytest.raises(TransitionNotAllowed):
        _move(widget, "approve", other_signer)

    assert Widget.objects.get().state == "submitted"


def test_guard_error_is_raised_and_nothing_changes(clerk: Actor, signer: Actor) -> None:
    widget = Widget.objects.create()
    _move(widget, "submit", clerk)

    with pytest.raises(InvalidInput) as err:
        _move(widget, "reject", signer, context={})

    assert err.value.code == "widget.note_required"
    _move(widget, "reject", signer, context={"note": "thiếu giấy tờ"})
    assert Widget.objects.get().state == "rejected"


def test_unknown_transition_has_a_stable_code(clerk: Actor) -> None:
    widget = Widget.objects.create()
    with pytest.raises(UnknownTransition) as err:
        _move(widget, "teleport", clerk)
    assert err.value.code == "unknown_transition"


def test_stale_object_loses_the_compare_and_set(clerk: Actor) -> None:
    first = Widget.objects.create()
    second = Widget.objects.get(pk=first.pk)
    _move(first, "submit", clerk)

    # ``second`` still believes the widget is a draft.
    with pytest.raises(ConcurrentTransition) as err:
        _move(second, "submit", clerk)

    assert err.value.code == "concurrent_transition"
    assert err.value.status == 409
    assert AuditEvent.objects.count() == 1
    assert OutboxMessage.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_apply_transition_outside_a_transaction_is_a_programming_error(clerk: Actor) -> None:
    widget = Widget.objects.create()
    with pytest.raises(RuntimeError):
        apply_transition(widget, WIDGET_MACHINE, "submit", actor=clerk)


def test_available_lists_only_what_the_actor_may_do(clerk: Actor, signer: Actor) -> None:
    widget = Widget.objects.create()
    assert [t.name for t in WIDGET_MACHINE.available(widget, clerk)] == ["submit"]
    _move(widget, "submit", clerk)
    assert [t.name for t in WIDGET_MACHINE.available(widget, clerk)] == []
    assert [t.name for t in WIDGET_MACHINE.available(widget, signer)] == ["approve", "reject"]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_transitions_have_exactly_one_winner(signer: Actor, clerk: Actor) -> None:
    widget = Widget.objects.create()
    _move(widget, "submit", clerk)
    first_updated = threading.Event()
    outcomes: dict[str, object] = {}

    def officer(name: str, transition: str, context: dict[str, str], hold: float) -> None:
        close_old_connections()
        mine = Widget.objects.get(pk=widget.pk)
        try:
            with transaction.atomic():
                apply_transition(mine, WIDGET_MACHINE, transition, actor=signer, context=context)
                first_updated.set()
                time.sleep(hold)  # keep the row locked while the other officer clicks
            outcomes[name] = "ok"
        except ConcurrentTransition as exc:
            outcomes[name] = exc
        finally:
            first_updated.set()
            connection.close()

    a = threading.Thread(target=officer, args=("a", "approve", {}, 0.5))
    a.start()
    first_updated.wait(5)
    b = threading.Thread(target=officer, args=("b", "reject", {"note": "không đủ"}, 0))
    b.start()
    a.join(10)
    b.join(10)

    assert outcomes["a"] == "ok"
    assert isinstance(outcomes["b"], ConcurrentTransition)
    assert Widget.objects.get().state == "approved"
    assert AuditEvent.objects.filter(action__startswith="testapp.widget.").count() == 2
    assert OutboxMessage.objects.count() == 2
