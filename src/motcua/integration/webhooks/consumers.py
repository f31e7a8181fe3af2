"""The outbox fan-out: every message owed to every active subscription whose topics match."""

from __future__ import annotations

from django.conf import settings

from motcua.integration.consumers import consumer
from motcua.integration.models import (
    OutboxMessage,
    WebhookDelivery,
    WebhookSubscription,
)
from motcua.kernel import clock

__all__ = ["fan_out"]


@consumer("*", name="integration.webhooks", batch=True, tracked=False)
def fan_out(messages: list[OutboxMessage]) -> None:
    """Create the pending deliveries of ``messages`` (once per subscription and message)."""
    if not getattr(settings, "WEBHOOKS_ENABLED", True):
        return
    subscriptions = list(WebhookSubscription.objects.filter(is_active=True))
    if not subscriptions:
        return
    now = clock.now()
    rows = [
        WebhookDelivery(subscription=s, message=m, next_attempt_at=now, created_at=now)
        for m in messages
        for s in subscriptions
        if s.matches(m.topic)
    ]
    if rows:
        WebhookDelivery.objects.bulk_create(rows, ignore_conflicts=True)
