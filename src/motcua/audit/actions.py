"""The write path of the audit log.

``record()`` appends one row to the chain of an aggregate inside the caller's
transaction. It locks the aggregate's last row (``SELECT … FOR UPDATE``) so that two
writers on the same aggregate cannot take the same position; writers on different
aggregates never wait for each other.
"""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from motcua.audit.chain import compute_hash
from motcua.audit.models import AuditEvent
from motcua.kernel import clock
from motcua.kernel.actors import Actor

__all__ = ["record"]


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
) -> AuditEvent:
    """Append an audit event for ``aggregate_type:aggregate_id``; must run in a transaction."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit.record() must be called inside transaction.atomic()")
    agg_id = str(aggregate_id)
    payload = _jsonable(data or {})
    last = (
        AuditEvent.objects.select_for_update()
        .filter(aggregate_type=aggregate_type, aggregate_id=agg_id)
        .order_by("-seq")
        .only("seq", "hash")
        .first()
    )
    seq = (last.seq + 1) if last else 1
    prev_hash = last.hash if last else ""
    occurred_at = clock.now()
    event = AuditEvent(
        occurred_at=occurred_at,
        actor_ref=actor.ref,
        actor_name=actor.display_name[:200],
        action=action,
        aggregate_type=aggregate_type,
        aggregate_id=agg_id,
        seq=seq,
        data=payload,
        prev_hash=prev_hash,
    )
    event.hash = compute_hash(
        seq=seq,
        occurred_at=occurred_at,
        actor_ref=event.actor_ref,
        action=action,
        aggregate_type=aggregate_type,
        aggregate_id=agg_id,
        data=payload,
        prev_hash=prev_hash,
    )
    event.save(force_insert=True)
    return event
