"""The write path of the audit log.

``record()`` appends one row to the chain of an aggregate inside the caller's
transaction. It locks the aggregate's last row (``SELECT … FOR UPDATE``) so that two
writers on the same aggregate cannot take the same position; writers on different
aggregates never wait for each other.

On PostgreSQL the lock, the read of the chain head and the insert are one statement:
the database takes the next ``seq`` and the previous hash and computes the row's hash
from the canonical text that Python prepared (``chain.canonical_middle``); Python then
checks the returned hash against its own computation, so the two definitions of the
canonical form cannot drift apart unnoticed. ``also`` adds rows written only with the
event (the outbox message of the same change): one round trip for the whole record.

``record_after()`` goes one step further for a state transition: the compare-and-set
``UPDATE`` of the aggregate's row and the record are one statement, and nothing is
appended when the ``UPDATE`` matched no row. Its chain head is read in the statement's
snapshot, so when another writer appended to the chain while the ``UPDATE`` waited for
the row lock, the insert finds the position taken (``ON CONFLICT DO NOTHING``) and the
record is made again by ``record()``, in a statement that sees that writer's row.
Elsewhere (SQLite) the same steps run one query at a time.
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

__all__ = ["Insert", "Statement", "record", "record_after"]

# ``INSERT INTO table (columns)`` and the values of one row, written with an event.
Insert = tuple[str, Sequence[Any]]
# Any statement and its parameters.
Statement = tuple[str, Sequence[Any]]

_TABLE = AuditEvent._meta.db_table

# The chain head under a row lock, the next position, and the new row whose hash the
# database computes as sha256('[' || seq || ',' || middle || ',"' || prev_hash || '"]').
# ``{gate}`` is empty, or the name of a CTE that must hold a row for anything to happen.
_APPEND = """
head AS (
    SELECT seq, hash FROM {table}
    WHERE aggregate_type = %s AND aggregate_id = %s{gate_exists}
    ORDER BY seq DESC LIMIT 1 FOR UPDATE
),
next AS (
    SELECT COALESCE(MAX(head.seq), 0) + 1 AS seq, COALESCE(MAX(head.hash), '') AS prev_hash
    FROM head{gate_having}
),
event AS (
    INSERT INTO {table}
        (occurred_at, actor_ref, actor_name, action, aggregate_type, aggregate_id,
         seq, data, prev_hash, hash)
    SELECT %s, %s, %s, %s, %s, %s, next.seq, %s::jsonb, next.prev_hash,
        encode(sha256(convert_to(
            '[' || next.seq::text || ',' || %s || ',"' || next.prev_hash || '"]', 'UTF8'
        )), 'hex')
    FROM next{conflict}
    RETURNING id, seq, prev_hash, hash
)"""


def _jsonable(data: dict[str, Any]) -> dict[str, Any]:
    # Round-trip through JSON so the hash covers exactly what the database stores.
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False))


def _check_transaction() -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record() must be called inside transaction.atomic()")


def _draft(
    actor: Actor, action: str, aggregate_type: str, aggregate_id: object, data: dict[str, Any]
) -> tuple[AuditEvent, str]:
    """Return the event to append (without its position) and its canonical text."""
    agg_id = str(aggregate_id)
    payload = _jsonable(data)
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
    return event, middle


def record(
    *,
    actor: Actor,
    action: str,
    aggregate_type: str,
    aggregate_id: object,
    data: dict[str, Any] | None = None,
    also: Sequence[Insert] = (),
) -> AuditEvent:
    """Append an audit event for ``aggregate_type:aggregate_id``; must run in a transaction.

    ``also`` are rows (``INSERT INTO table (columns)`` and their values) written with
    the event, in the same round trip on PostgreSQL.
    """
    _check_transaction()
    event, middle = _draft(actor, action, aggregate_type, aggregate_id, data or {})
    if connection.vendor != "postgresql":
        _append(event, middle, also)
        return event
    ctes, params = _ctes(event, middle, also, gate=None)
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH " + ",\n".join(ctes) + "\nSELECT id, seq, prev_hash, hash FROM event", params
        )
        row = cursor.fetchone()
    _finish(event, middle, row)
    return event


def record_after(
    update: Statement,
    *,
    actor: Actor,
    action: str,
    aggregate_type: str,
    aggregate_id: object,
    data: dict[str, Any] | None = None,
    also: Sequence[Insert] = (),
) -> tuple[int, AuditEvent | None]:
    """Run ``update`` (one ``UPDATE`` of the aggregate's row, PostgreSQL only) and, when it
    matched a row, append the event and ``also`` as ``record()`` does; one statement.

    Return the number of rows ``update`` matched and the event (``None`` when it
    matched none: then nothing was appended).
    """
    _check_transaction()
    if connection.vendor != "postgresql":
        raise RuntimeError("audit.record_after() needs PostgreSQL")
    event, middle = _draft(actor, action, aggregate_type, aggregate_id, data or {})
    update_sql, update_params = update
    ctes, params = _ctes(event, middle, also, gate="changed")
    # The UPDATE comes from the ORM's compiler; every value is a parameter.
    changed = f"changed AS ({update_sql} RETURNING 1)"
    head = "WITH " + ",\n".join([changed, *ctes])
    result = (
        "SELECT (SELECT COUNT(*) FROM changed), event.id, event.seq, event.prev_hash,"
        " event.hash FROM (SELECT 1) AS one LEFT JOIN event ON TRUE"
    )
    sql = f"{head}\n{result}"
    with connection.cursor() as cursor:
        cursor.execute(sql, [*update_params, *params])
        matched, *row = cursor.fetchone()
    if matched != 1:
        return matched, None
    if row[0] is None:
        # The chain moved while the UPDATE waited for the row lock: append in a new
        # statement, whose snapshot holds the other writer's row.
        return matched, record(
            actor=actor,
            action=action,
            aggregate_type=aggregate_type,
            aggregate_id=aggregate_id,
            data=data,
            also=also,
        )
    _finish(event, middle, tuple(row))
    return matched, event


def _ctes(
    event: AuditEvent, middle: str, also: Sequence[Insert], *, gate: str | None
) -> tuple[list[str], list[Any]]:
    """Return the CTEs ``head``, ``next``, ``event`` (and ``also_n``) and their parameters.

    Identifiers and SQL come from this module and the callers' code; values are parameters.
    """
    exists = f"EXISTS (SELECT 1 FROM {gate})"  # noqa: S608  (a CTE name of this module)
    append = _APPEND.format(
        table=_TABLE,
        gate_exists=f" AND {exists}" if gate else "",
        gate_having=f" HAVING {exists}" if gate else "",
        conflict=" ON CONFLICT (aggregate_type, aggregate_id, seq) DO NOTHING" if gate else "",
    )
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
    ctes = [append]
    for index, (insert, values) in enumerate(also):
        # Written only with the event (never without it).
        placeholders = ", ".join(["%s"] * len(values))
        also_sql = f"also_{index} AS ({insert} SELECT {placeholders} FROM event)"  # noqa: S608
        ctes.append(also_sql)
        params.extend(values)
    return ctes, params


def _finish(event: AuditEvent, middle: str, row: tuple[Any, ...] | None) -> None:
    assert row is not None  # the INSERT … SELECT FROM next always returns its row here
    pk, seq, prev_hash, digest = row
    if digest != hash_with(seq, middle, prev_hash):
        # Never reached unless the database's text differs from Python's (an encoding
        # other than UTF-8 on the client side): the caller's transaction must not commit.
        raise RuntimeError(f"audit hash mismatch for {event.aggregate_type}:{event.aggregate_id}")
    event.pk, event.seq, event.prev_hash, event.hash = pk, seq, prev_hash, digest
    event._state.adding = False


def _append(event: AuditEvent, middle: str, also: Sequence[Insert]) -> None:
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
            for insert, values in also:
                placeholders = ", ".join(["%s"] * len(values))
                cursor.execute(f"{insert} VALUES ({placeholders})", values)
