"""The events other branches will send (contracts of the brief), enqueued as they will be."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from motcua.dossiers.models import Dossier
from motcua.integration import outbox
from motcua.integration.models import OutboxMessage


def _enqueue(
    topic: str, aggregate: str, aggregate_id: object, payload: dict[str, object]
) -> OutboxMessage:
    with transaction.atomic():
        return outbox.enqueue(
            topic=topic, aggregate_type=aggregate, aggregate_id=aggregate_id, payload=payload
        )


def rated(
    dossier: Dossier, *, at: dt.datetime, criteria: list[int], satisfaction: str
) -> OutboxMessage:
    return _enqueue(
        "dossiers.dossier.rated",
        "dossiers.dossier",
        dossier.pk,
        {
            "code": dossier.code,
            "reference": dossier.reference,
            "criteria": criteria,
            "total": sum(criteria),
            "satisfaction": satisfaction,
            "rated_at": at.isoformat(),
        },
    )


def paid(
    dossier: Dossier, *, at: dt.datetime, amount: int = 75_000, order_id: int = 1
) -> OutboxMessage:
    return _enqueue(
        "payments.order.paid",
        "payments.order",
        order_id,
        {
            "dossier_id": dossier.pk,
            "order_id": order_id,
            "amount": amount,
            "paid_at": at.isoformat(),
            "channel": "online",
        },
    )


def acknowledged(
    dossier: Dossier, *, status: int, event_at: dt.datetime, at: dt.datetime, on_time: bool
) -> OutboxMessage:
    return _enqueue(
        "integration.portal.acknowledged",
        "dossiers.dossier",
        dossier.pk,
        {
            "dossier_id": dossier.pk,
            "code": dossier.code,
            "national_status": status,
            "event_at": event_at.isoformat(),
            "acknowledged_at": at.isoformat(),
            "on_time": on_time,
        },
    )
