"""``record_change()``: the audit row and the outbox message of one change, together;
``change_state()``: the same after a compare-and-set ``UPDATE``, for a transition.

Every transition (``engine.apply_transition``) and every audited change that is not a
transition (``dossiers.actions._common.record_event``) writes both rows. On PostgreSQL
they go in one statement — the chain head's lock, the audit row and the outbox row —
and for a transition the compare-and-set ``UPDATE`` joins that statement too: one round
trip per transition (``audit.record_after`` explains how the chain stays gap-free when
the ``UPDATE`` had to wait). Elsewhere the ``UPDATE``, ``audit.record`` and
``outbox.enqueue`` run one after the other. Either way every row is written in the
caller's transaction, or none is.
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.db.models.sql import UpdateQuery

from motcua.audit import actions as audit
from motcua.audit.models import AuditEvent
from motcua.integration import outbox
from motcua.kernel.actors import Actor

__all__ = ["change_state", "record_change"]


def record_change(
    *,
    actor: Actor,
    aggregate_type: str,
    aggregate_id: object,
    name: str,
    data: dict[str, Any],
    payload: dict[str, Any],
) -> AuditEvent:
    """Write audit event ``<aggregate_type>.<name>`` with ``data`` and outbox message
    ``<aggregate_type>.<name>`` with ``payload``; return the audit event.

    Must run inside a transaction (``RuntimeError`` otherwise, before anything is written).
    """
    topic = f"{aggregate_type}.{name}"
    if connection.vendor != "postgresql":
        event = audit.record(
            actor=actor,
            action=topic,
            aggregate_type=aggregate_type,
            aggregate_id=aggregate_id,
            data=data,
        )
        outbox.enqueue(
            topic=topic, aggregate_type=aggregate_type, aggregate_id=aggregate_id, payload=payload
        )
        return event
    message = outbox.insert_statement(
        topic=topic, aggregate_type=aggregate_type, aggregate_id=aggregate_id, payload=payload
    )
    return audit.record(
        actor=actor,
        action=topic,
        aggregate_type=aggregate_type,
        aggregate_id=aggregate_id,
        data=data,
        also=[message],
    )


def change_state(
    rows: QuerySet[Any],
    values: dict[str, Any],
    *,
    actor: Actor,
    aggregate_type: str,
    aggregate_id: object,
    name: str,
    data: dict[str, Any],
    payload: dict[str, Any],
) -> int:
    """Run ``rows.update(**values)`` (the compare-and-set of one aggregate) and, when it
    matched, ``record_change(...)``; return how many rows matched (nothing is recorded
    unless exactly one did).
    """
    topic = f"{aggregate_type}.{name}"
    update = _update_statement(rows, values) if connection.vendor == "postgresql" else None
    if update is None:
        matched = rows.update(**values)
        if matched == 1:
            record_change(
                actor=actor,
                aggregate_type=aggregate_type,
                aggregate_id=aggregate_id,
                name=name,
                data=data,
                payload=payload,
            )
        return matched
    message = outbox.insert_statement(
        topic=topic, aggregate_type=aggregate_type, aggregate_id=aggregate_id, payload=payload
    )
    matched, _event = audit.record_after(
        update,
        actor=actor,
        action=topic,
        aggregate_type=aggregate_type,
        aggregate_id=aggregate_id,
        data=data,
        also=[message],
    )
    return matched


def _update_statement(rows: QuerySet[Any], values: dict[str, Any]) -> audit.Statement | None:
    """Return the SQL of ``rows.update(**values)``, or ``None`` when it is not one
    ``UPDATE`` of one table (a model with parents)."""
    query = rows.query.chain(UpdateQuery)
    assert isinstance(query, UpdateQuery)
    query.add_update_values(values)
    query.clear_select_clause()
    if query.get_related_updates():
        return None
    sql, params = query.get_compiler(rows.db).as_sql()
    return (sql, params) if sql else None
