"""``enqueue()``: the one way a side effect is requested. Call it inside the transaction.

``enqueue_many()`` writes several messages in one ``INSERT`` (a consumer that reacts to
a batch, such as the national portal sync recording acknowledgements).
``insert_statement()`` returns the ``INSERT`` of one message for a caller that sends it
with another write in one round trip (``workflow.journal``: a change's audit row and
its outbox message).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction

from motcua.integration import bulk
from motcua.integration.models import OutboxMessage
from motcua.kernel import clock

__all__ = ["NewMessage", "enqueue", "enqueue_many", "insert_statement"]


@dataclass(frozen=True)
class NewMessage:
    topic: str
    aggregate_type: str
    aggregate_id: object
    payload: dict[str, Any]


def _check_transaction(name: str) -> None:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError(f"outbox.{name}() must be called inside transaction.atomic()")


def _build(message: NewMessage, now: Any) -> OutboxMessage:
    return OutboxMessage(
        topic=message.topic,
        aggregate_type=message.aggregate_type,
        aggregate_id=str(message.aggregate_id),
        payload=json.loads(json.dumps(message.payload, cls=DjangoJSONEncoder)),
        created_at=now,
        available_at=now,
    )


def enqueue(
    *, topic: str, aggregate_type: str, aggregate_id: object, payload: dict[str, Any]
) -> OutboxMessage:
    _check_transaction("enqueue")
    message = _build(NewMessage(topic, aggregate_type, aggregate_id, payload), clock.now())
    message.save(force_insert=True)
    return message


def insert_statement(
    *, topic: str, aggregate_type: str, aggregate_id: object, payload: dict[str, Any]
) -> tuple[str, list[Any]]:
    """Return ``INSERT INTO <outbox> (<columns>)`` and the values of the message that
    ``enqueue()`` would write, for a caller that writes it with another row
    (``audit.record(also=…)``); the values are prepared by the model's fields.
    """
    _check_transaction("insert_statement")
    message = _build(NewMessage(topic, aggregate_type, aggregate_id, payload), clock.now())
    meta = OutboxMessage._meta
    fields = [f for f in meta.concrete_fields if f.name in _COLUMNS]
    values = [
        field.get_db_prep_save(getattr(message, field.attname), connection) for field in fields
    ]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(field.column)) for field in fields)
    return f"INSERT INTO {quote(meta.db_table)} ({columns})", values


def enqueue_many(messages: Iterable[NewMessage]) -> list[OutboxMessage]:
    """Write every message of ``messages`` in one statement, in order."""
    _check_transaction("enqueue_many")
    now = clock.now()
    rows = [_build(message, now) for message in messages]
    if not rows:
        return []
    if not bulk.is_fast_path():
        return OutboxMessage.objects.bulk_create(rows)
    ids = bulk.insert_rows(
        OutboxMessage._meta.db_table,
        _COLUMNS,
        [
            (
                m.message_id,
                m.topic,
                m.aggregate_type,
                m.aggregate_id,
                json.dumps(m.payload),
                m.created_at,
                m.status,
                m.available_at,
                0,
                "",
            )
            for m in rows
        ],
        suffix="RETURNING id",
    )
    for message, (pk,) in zip(rows, ids, strict=True):
        message.pk = pk
        message._state.adding = False
    return rows


_COLUMNS = (
    "message_id", "topic", "aggregate_type", "aggregate_id", "payload", "created_at",
    "status", "available_at", "attempts", "last_error",
)  # fmt: skip
