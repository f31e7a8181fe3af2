"""The write path of the audit log.

``record()`` appends one row to the chain of an aggregate inside the caller's
transaction. It locks the aggregate's last row (``SELECT … FOR UPDATE``) so that two
writers on the same aggregate cannot take the same position; writers on different
aggregates never wait for each other.

On PostgreSQL the lock, the read of the chain head and the insert are one statement:
the database takes the next ``seq`` and the previous hash and computes the row's hash
from the canonical text that Python prepared (``chain.canonical_middle``); Python then
checks the returned hash against its own computation, so the two definitions of the
canonical form cannot drift apart unnoticed. ``also`` lets a caller add other ``INSERT``
statements (the outbox message of the same change) to that statement: one round trip
for the whole record. Elsewhere (SQLite) the same steps run one query at a time.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

from motcua.audit.chain import canonical_middle, hash_with
from motcua.audit.models import AuditEvent
from motcua.kernel import clock
from motcua.kernel.actors import Actor

__all__ = ["Statement", "record"]

# An ``INSERT`` (no ``RETURNING``, no trailing semicolon) and its parameters.
Statement = tuple[str, Sequence[Any]]

_TABLE = AuditEvent._meta.db_table

# The chain head under a row lock, the next position, and the new row whose hash the
# database computes as sha256('[' || seq || ',' || middle || ',"' || prev_hash || '"]').
_APPEND = f"""
head AS (
    SELECT seq, hash FROM {_TABLE}
    WHERE aggregate_type = %s AND aggregate_id = %s
    ORDER BY seq DESC LIMIT 1 FOR UPDATE
),
next AS (
    SELECT COALESCE(MAX(seq), 0) + 1 AS seq, COALESCE(MAX(hash), '') AS prev_hash FROM head
),
event AS (
    INSERT INTO {_TABLE}
        (occurred_at, actor_ref, actor_name, action, aggregate_type, aggregate_id,
         seq, data, prev_hash, hash)
    SELECT %s, %s, %s, %s, %s, %s, next.seq, %s::jsonb, next.prev_hash,
        encode(sha256(convert_to(
            '[' || next.seq::text || ',' || %s || ',"' || next.prev_hash || '"]', 'UTF8'
        )), 'hex')
    FROM next
    RETURNING id, seq, prev_hash, hash
)"""  # noqa: S608  (the table name is the model's; every value is a parameter)


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    # Round-trip through JSON so the hash covers exactly what the database stores.
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False))


def record(
    *,
    actor: Actor,
    action: str,
    aggregate_type: str,
    aggregate_id: object,
    data: dict[str, Any] | None = None,
    also: Sequence[Statement] = (),
) -> AuditEvent:
    """Append an audit event for ``aggregate_type:aggregate_id``; must run in a transaction.

    ``also`` are ``INSERT`` statements written with the event, in the same round trip
    on PostgreSQL (one after the other elsewhere).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record() must be called inside transaction.atomic()")
    agg_id = str(aggregate_id)
    payload = _jsonable(data or {})
    occurred_at = clock.now()
    event = AuditEvent(
        occurred_at=occurred_at,
        actor_ref=actor.ref,
        actor_name=actor.display_name[:200],
        action=action,
        aggregate_type=aggregate_type,
        aggregate_id=agg_id,
        data=payload,
    )
    middle = canonical_middle(
        occurred_at=occurred_at,
        actor_ref=event.actor_ref,
        action=action,
        aggregate_type=aggregate_type,
        aggregate_id=agg_id,
        data=payload,
    )
    if connection.vendor == "postgresql":
        _append_in_one_statement(event, middle, also)
    else:
        _append(event, middle, also)
    return event


def _append_in_one_statement(event: AuditEvent, middle: str, also: Sequence[Statement]) -> None:
    params: list[Any] = [
        event.aggregate_type,
        event.aggregate_id,
        event.occurred_at,
        event.actor_ref,
        event.actor_name,
        event.action,
        event.aggregate_type,
        event.aggregate_id,
        json.dumps(event.data, ensure_ascii=False),
        middle,
    ]
    ctes = [_APPEND]
    for index, (sql, values) in enumerate(also):
        ctes.append(f"also_{index} AS ({sql})")
        params.extend(values)
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH " + ",\n".join(ctes) + "\nSELECT id, seq, prev_hash, hash FROM event", params
        )
        pk, seq, prev_hash, digest = cursor.fetchone()
    expected = hash_with(seq, middle, prev_hash)
    if digest != expected:
        # Never reached unless the database's text differs from Python's (an encoding
        # other than UTF-8 on the client side): the caller's transaction must not commit.
        raise RuntimeError(f"audit hash mismatch for {event.aggregate_type}:{event.aggregate_id}")
    event.pk, event.seq, event.prev_hash, event.hash = pk, seq, prev_hash, digest
    event._state.adding = False


def _append(event: AuditEvent, middle: str, also: Sequence[Statement]) -> None:
    last = (
        AuditEvent.objects.select_for_update()
        .filter(aggregate_type=event.aggregate_type, aggregate_id=event.aggregate_id)
        .order_by("-seq")
        .only("seq", "hash")
        .first()
    )
    event.seq = (last.seq + 1) if last else 1
    event.prev_hash = last.hash if last else ""
    event.hash = hash_with(event.seq, middle, event.prev_hash)
    event.save(force_insert=True)
    if also:
        with connection.cursor() as cursor:
            for sql, values in also:
                cursor.execute(sql, values)
