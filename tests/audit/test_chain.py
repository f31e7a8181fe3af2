"""The audit log: per-aggregate hash chains, append-only, and ``motcua audit verify``."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from motcua.audit import actions as audit
from motcua.audit.chain import canonical_middle, compute_hash, hash_with
from motcua.audit.models import AuditEvent
from motcua.audit.selectors import list_events_for, verify_chain
from motcua.integration import outbox
from motcua.integration.models import OutboxMessage
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


CANONICAL_DATA: dict[str, object] = {
    "b": 1,
    "a": 'Nguyễn "Văn" \\ é',
    "n": [1, 2.5, None, True],
    "d": {"z": 1, "y": [{"b": 2, "a": 1}]},
}


@pytest.mark.parametrize(
    ("data", "prev_hash", "expected"),
    [
        ({}, "", "3602d205def6de6ba1d81320c5bc1a0ee51664c273c944d6ecc0865268eb7353"),
        ({}, "ab" * 32, "54edc790361173a95f1621df0aca2b26d4bb6f5a347da37fb2f583e2b719ba32"),
        (
            {**CANONICAL_DATA, "a": 'Nguyễn "x" \\ \u0000 é'},
            "",
            "402e9e9b8b96e98bbc34da8ba1ce0b6959991cc0878f4fc71517e3b93c56d910",
        ),
        (
            {**CANONICAL_DATA, "a": 'Nguyễn "x" \\ \u0000 é'},
            "ab" * 32,
            "c2a872f0b347548a0e7568d4c4b09ff1bae454ebeb792e24f356b750a15e7840",
        ),
    ],
)
def test_the_canonical_form_of_existing_rows_is_unchanged(
    data: dict[str, object], prev_hash: str, expected: str
) -> None:
    # Hashes written before the database learnt to compute them: verify must still agree.
    moment = dt.datetime(2026, 1, 2, 3, 4, 5, 6789, tzinfo=dt.UTC)
    digest = compute_hash(
        seq=7,
        occurred_at=moment,
        actor_ref="official:1",
        action="x.y",
        aggregate_type="d.d",
        aggregate_id="12",
        data=data,
        prev_hash=prev_hash,
    )
    assert digest == expected
    middle = canonical_middle(
        occurred_at=moment,
        actor_ref="official:1",
        action="x.y",
        aggregate_type="d.d",
        aggregate_id="12",
        data=data,
    )
    assert hash_with(7, middle, prev_hash) == expected


def test_the_stored_hash_is_the_one_verify_computes(system_actor: Actor) -> None:
    # On PostgreSQL the database computes seq, prev_hash and hash in the INSERT.
    first = _record(system_actor, 5, "created", **CANONICAL_DATA)
    second = _record(system_actor, 5, "renamed", name="Đăng ký kết hôn", at="2026-01-02")

    stored = list(AuditEvent.objects.filter(aggregate_id="5").order_by("seq"))
    assert [(e.pk, e.seq, e.prev_hash, e.hash) for e in stored] == [
        (first.pk, 1, "", first.hash),
        (second.pk, 2, first.hash, second.hash),
    ]
    for event in stored:
        assert event.hash == compute_hash(
            seq=event.seq,
            occurred_at=event.occurred_at,
            actor_ref=event.actor_ref,
            action=event.action,
            aggregate_type=event.aggregate_type,
            aggregate_id=event.aggregate_id,
            data=event.data,
            prev_hash=event.prev_hash,
        )
    assert stored[0].data == CANONICAL_DATA
    assert verify_chain().ok


def test_statements_given_with_the_event_are_written_in_its_transaction(
    system_actor: Actor,
) -> None:
    with transaction.atomic():
        event = audit.record(
            actor=system_actor,
            action="test.thing.create",
            aggregate_type="test.thing",
            aggregate_id=9,
            data={"n": 1},
            also=[
                outbox.insert_statement(
                    topic="test.thing.create",
                    aggregate_type="test.thing",
                    aggregate_id=9,
                    payload={"n": 1, "name": "Hồ sơ"},
                )
            ],
        )
    message = OutboxMessage.objects.get()
    assert (message.topic, message.aggregate_id, message.payload) == (
        "test.thing.create",
        "9",
        {"n": 1, "name": "Hồ sơ"},
    )
    assert (message.status, message.attempts) == ("pending", 0)
    assert AuditEvent.objects.get().pk == event.pk

    with contextlib.suppress(ZeroDivisionError), transaction.atomic():
        audit.record(
            actor=system_actor,
            action="test.thing.update",
            aggregate_type="test.thing",
            aggregate_id=9,
            also=[
                outbox.insert_statement(
                    topic="test.thing.update",
                    aggregate_type="test.thing",
                    aggregate_id=9,
                    payload={},
                )
            ],
        )
        1 / 0  # noqa: B018  (the caller fails after recording: nothing stays)
    assert AuditEvent.objects.count() == 1
    assert OutboxMessage.objects.count() == 1
