"""Send due webhook deliveries: claim with a lease, POST outside the transaction, log.

``dispatch_batch()`` claims up to ``WEBHOOK_BATCH_SIZE`` due deliveries with
``SELECT … FOR UPDATE SKIP LOCKED`` and pushes their ``next_attempt_at`` forward by a
lease, then commits: no lock is held while a receiver is slow. A worker that dies
while sending leaves the deliveries to be taken again when the lease ends (delivery is
at least once; receivers dedupe on the message id). Each attempt is logged
(``WebhookAttempt``: status code, duration, error). A 2xx answer delivers; anything
else is retried after ``WEBHOOK_RETRY_BASE_SECONDS`` × 2^(attempts−1), capped at
``WEBHOOK_RETRY_MAX_SECONDS``; after ``WEBHOOK_MAX_ATTEMPTS`` the delivery is dead and
shows in the admin, where it can be retried. The defaults keep trying for more than
eight hours, so a receiver down for an hour loses nothing.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from dataclasses import dataclass

import httpx
from django.conf import settings
from django.db import transaction

from motcua.integration.models import (
    OutboxMessage,
    WebhookAttempt,
    WebhookDelivery,
    WebhookDeliveryStatus,
)
from motcua.integration.webhooks.signing import (
    MESSAGE_ID_HEADER,
    SIGNATURE_HEADER,
    TOPIC_HEADER,
    sign,
)
from motcua.kernel import clock
from motcua.kernel.logging import get_logger

__all__ = ["body_of", "dispatch_batch", "retry_delay_seconds"]

log = get_logger(__name__)


@dataclass(frozen=True)
class _Result:
    status_code: int | None
    duration_ms: int
    error: str

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def retry_delay_seconds(attempts: int) -> float:
    base = float(getattr(settings, "WEBHOOK_RETRY_BASE_SECONDS", 10))
    cap = float(getattr(settings, "WEBHOOK_RETRY_MAX_SECONDS", 1800))
    return min(cap, base * (2 ** max(0, attempts - 1)))


def body_of(message: OutboxMessage) -> bytes:
    """Return the JSON body POSTed for ``message`` (the same bytes on every attempt)."""
    envelope = {
        "id": str(message.message_id),
        "topic": message.topic,
        "created_at": message.created_at.astimezone(dt.UTC).isoformat(),
        "aggregate": {"type": message.aggregate_type, "id": message.aggregate_id},
        "data": message.payload,
    }
    return json.dumps(envelope, ensure_ascii=False, separators=(",", ":")).encode()


def _send(client: httpx.Client, delivery: WebhookDelivery) -> _Result:
    message = delivery.message
    body = body_of(message)
    headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": "motcua-webhooks/1",
        MESSAGE_ID_HEADER: str(message.message_id),
        TOPIC_HEADER: message.topic,
        SIGNATURE_HEADER: sign(delivery.subscription.secret, body),
    }
    started = time.perf_counter()
    try:
        response = client.post(delivery.subscription.url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        took = int((time.perf_counter() - started) * 1000)
        return _Result(None, took, f"{type(exc).__name__}: {exc}"[:1000])
    took = int((time.perf_counter() - started) * 1000)
    error = "" if 200 <= response.status_code < 300 else f"HTTP {response.status_code}"
    return _Result(response.status_code, took, error)


def _claim(size: int) -> list[WebhookDelivery]:
    with transaction.atomic():
        now = clock.now()
        rows = list(
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(status=WebhookDeliveryStatus.PENDING, next_attempt_at__lte=now)
            .select_related("subscription", "message")
            .order_by("next_attempt_at", "id")[:size]
        )
        if rows:
            timeout = float(getattr(settings, "WEBHOOK_TIMEOUT_SECONDS", 10))
            lease = dt.timedelta(seconds=timeout * len(rows) + 30)
            WebhookDelivery.objects.filter(pk__in=[r.pk for r in rows]).update(
                next_attempt_at=now + lease
            )
        return rows


def _record(delivery: WebhookDelivery, result: _Result, at: dt.datetime) -> None:
    attempts = delivery.attempts + 1
    values: dict[str, object] = {
        "attempts": attempts,
        "last_status_code": result.status_code,
        "last_error": result.error,
    }
    if result.ok:
        values |= {"status": WebhookDeliveryStatus.DELIVERED, "delivered_at": at}
    elif attempts >= int(getattr(settings, "WEBHOOK_MAX_ATTEMPTS", 25)):
        values["status"] = WebhookDeliveryStatus.DEAD
    else:
        values["next_attempt_at"] = at + dt.timedelta(seconds=retry_delay_seconds(attempts))
    WebhookDelivery.objects.filter(pk=delivery.pk, status=WebhookDeliveryStatus.PENDING).update(
        **values
    )
    WebhookAttempt.objects.create(
        delivery=delivery,
        attempted_at=at,
        status_code=result.status_code,
        duration_ms=result.duration_ms,
        error=result.error,
    )
    if not result.ok:
        log.warning(
            "webhook.delivery_failed",
            subscription=delivery.subscription_id,
            message_id=str(delivery.message.message_id),
            attempt=attempts,
            status_code=result.status_code,
            error=result.error.split(":", 1)[0],
        )


def dispatch_batch(*, batch_size: int | None = None) -> int:
    """Send one batch of due deliveries; return how many were attempted."""
    if not getattr(settings, "WEBHOOKS_ENABLED", True):
        return 0
    size = batch_size or int(getattr(settings, "WEBHOOK_BATCH_SIZE", 20))
    rows = _claim(size)
    if not rows:
        return 0
    timeout = float(getattr(settings, "WEBHOOK_TIMEOUT_SECONDS", 10))
    results = []
    with httpx.Client(timeout=timeout, follow_redirects=False) as client:
        for delivery in rows:
            results.append((delivery, _send(client, delivery), clock.now()))
    with transaction.atomic():
        for delivery, result, at in results:
            _record(delivery, result, at)
    return len(rows)
