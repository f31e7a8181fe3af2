"""``record_change()``: the audit row and the outbox message of one change, together.

Every transition (``engine.apply_transition``) and every audited change that is not a
transition (``dossiers.actions._common.record_event``) writes both rows. On PostgreSQL
they go in one statement — the chain head's lock, the audit row and the outbox row — so
a change costs one round trip besides its own ``UPDATE``; elsewhere ``audit.record``
and ``outbox.enqueue`` run one after the other. Either way both rows are written in the
caller's transaction, or neither.
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from motcua.audit import actions as audit
from motcua.audit.models import AuditEvent
from motcua.integration import outbox
from motcua.kernel.actors import Actor

__all__ = ["record_change"]


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
