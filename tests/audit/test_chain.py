"""The audit log: per-aggregate hash chains, append-only, and ``motcua audit verify``."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from motcua.audit import actions as audit
from motcua.audit.models import AuditEvent
from motcua.audit.selectors import list_events_for, verify_chain
from motcua.kernel.actors import Actor

pytestmark = pytest.mark.django_db


def _record(actor: Actor, aggregate_id: int, action: str, **data: object) -> AuditEvent:
    with transaction.atomic():
        return audit.record(
            actor=actor,
            action=action,
            aggregate_type="test.thing",
            aggregate_id=aggregate_id,
            data=data,
        )


@contextlib.contextmanager
def _tampering() -> Iterator[None]:
    """Switch the append-only trigger off (PostgreSQL), as an intruder with DBA rights would."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER audit_append_only")
    yield


def test_events_are_chained_per_aggregate(system_actor: Actor) -> None:
    a1 = _record(system_actor, 1, "created", name="Đăng ký khai sinh")
    b1 = _record(system_actor, 2, "created")
    a2 = _record(system_actor, 1, "renamed", name="Đăng ký kết hôn")

    assert (a1.seq, a1.prev_hash) == (1, "")
    assert (b1.seq, b1.prev_hash) == (1, "")
    assert (a2.seq, a2.prev_hash) == (2, a1.hash)
    assert [e.action for e in list_events_for("test.thing", 1)] == ["created", "renamed"]
    report = verify_chain()
    assert report.ok
    assert (report.checked, report.chains) == (3, 2)


def test_rows_cannot_be_changed_or_deleted_through_the_model(system_actor: Actor) -> None:
    event = _record(system_actor, 1, "created")
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()


@pytest.mark.postgres
def test_the_database_refuses_updates_and_deletes(system_actor: Actor) -> None:
    event = _record(system_actor, 1, "created")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="forged")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_verify_reports_the_first_altered_row(system_actor: Actor) -> None:
    _record(system_actor, 1, "created", amount=100)
    altered = _record(system_actor, 1, "paid", amount=100)
    _record(system_actor, 1, "returned")

    with _tampering():
        AuditEvent.objects.filter(pk=altered.pk).update(data={"amount": 1})

    report = verify_chain()
    assert not report.ok
    assert report.first_break is not None
    assert report.first_break.event_id == altered.pk
    assert report.first_break.reason == "content_altered"
    with pytest.raises(CommandError, match=f"id={altered.pk}"):
        call_command("audit", "verify")


def test_verify_reports_a_deleted_row(system_actor: Actor) -> None:
    _record(system_actor, 1, "created")
    deleted = _record(system_actor, 1, "paid")
    after = _record(system_actor, 1, "returned")

    with _tampering():
        AuditEvent.objects.filter(pk=deleted.pk).delete()

    report = verify_chain()
    assert report.first_break is not None
    assert (report.first_break.event_id, report.first_break.reason) == (
        after.pk,
        "missing_row_before",
    )


def test_verify_command_says_ok(system_actor: Actor, capsys: pytest.CaptureFixture[str]) -> None:
    _record(system_actor, 1, "created")
    call_command("audit", "verify")
    assert "OK: 1 audit events in 1 chains verified." in capsys.readouterr().out


@pytest.mark.django_db(transaction=True)
def test_record_outside_a_transaction_is_refused(system_actor: Actor) -> None:
    with pytest.raises(RuntimeError):
        audit.record(actor=system_actor, action="x", aggregate_type="t", aggregate_id=1)
