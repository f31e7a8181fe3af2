"""``enqueue()``: the one way a side effect is requested. Call it inside the transaction."""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction

from motcua.integration.models import OutboxMessage
from motcua.kernel import clock

__all__ = ["enqueue"]


def enqueue(
    *, topic: str, aggregate_type: str, aggregate_id: object, payload: dict[str, Any]
) -> OutboxMessage:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("outbox.enqueue() must be called inside transaction.atomic()")
    now = clock.now()
    return OutboxMessage.objects.create(
        topic=topic,
        aggregate_type=aggregate_type,
        aggregate_id=str(aggregate_id),
        payload=json.loads(json.dumps(payload, cls=DjangoJSONEncoder)),
        created_at=now,
        available_at=now,
    )
