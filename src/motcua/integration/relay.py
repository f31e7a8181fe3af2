"""The outbox relay: claim a batch, deliver it to its consumers, record what happened.

Workers on any number of machines share the outbox without a coordinator: each batch
is claimed with ``SELECT … FOR UPDATE SKIP LOCKED`` (PostgreSQL; SQLite serialises
writers anyway) and held until the batch's transaction commits. A worker killed
mid-batch loses its transaction: the messages stay pending, the deliveries it had
made inside the database roll back with it, and the next worker takes them again.

Each consumer runs in a savepoint: when it raises, its writes are undone, the error
is stored on the message, and the message is retried after an exponential back-off
(``OUTBOX_RETRY_BASE_SECONDS`` × 2^attempts, capped); after ``OUTBOX_MAX_ATTEMPTS`` it
is marked dead and shows on the operations page. Consumers that succeeded are not
called again on retry.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction

from motcua.integration.consumers import consumers_for
from motcua.integration.models import OutboxDelivery, OutboxMessage, OutboxStatus
from motcua.kernel import clock
from motcua.kernel.logging import get_logger

__all__ = ["RelayStats", "backoff_seconds", "relay_batch", "run_relay"]

log = get_logger(__name__)


@dataclass
class RelayStats:
    claimed: int = 0
    delivered: int = 0
    failed: int = 0


def backoff_seconds(attempts: int) -> float:
    base = settings.OUTBOX_RETRY_BASE_SECONDS
    return float(min(settings.OUTBOX_RETRY_MAX_SECONDS, base * (2 ** max(0, attempts - 1))))


def _deliver(message: OutboxMessage, now: dt.datetime) -> str | None:
    """Deliver one message to every consumer that has not taken it; return the error or None."""
    done = set(message.deliveries.values_list("consumer", flat=True))
    for target in consumers_for(message.topic):
        if target.name in done:
            continue
        try:
            with transaction.atomic():
                target.fn(message)
                OutboxDelivery.objects.create(
                    message=message, consumer=target.name, delivered_at=now
                )
        except Exception as exc:
            log.warning(
                "outbox.delivery_failed",
                consumer=target.name,
                topic=message.topic,
                message_id=str(message.message_id),
                attempt=message.attempts + 1,
                error=type(exc).__name__,
            )
            return f"{target.name}: {type(exc).__name__}: {exc}"[:2000]
    return None


def relay_batch(*, batch_size: int | None = None) -> RelayStats:
    """Claim and deliver one batch of due messages; return what happened."""
    size = batch_size or settings.OUTBOX_BATCH_SIZE
    stats = RelayStats()
    with transaction.atomic():
        now = clock.now()
        batch = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(status=OutboxStatus.PENDING, available_at__lte=now)
            .order_by("available_at", "id")[:size]
        )
        stats.claimed = len(batch)
        for message in batch:
            error = _deliver(message, now)
            message.attempts += 1
            if error is None:
                message.status = OutboxStatus.DELIVERED
                message.delivered_at = now
                message.last_error = ""
                stats.delivered += 1
            else:
                message.last_error = error
                stats.failed += 1
                if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                    message.status = OutboxStatus.DEAD
                else:
                    message.available_at = now + dt.timedelta(
                        seconds=backoff_seconds(message.attempts)
                    )
            message.save(
                update_fields=["status", "attempts", "last_error", "delivered_at", "available_at"]
            )
    return stats


def run_relay(
    *, idle_sleep: float = 0.5, stop: object | None = None, max_batches: int | None = None
) -> None:
    """Relay batches until ``stop.is_set()`` (a ``threading.Event``) or ``max_batches`` ran."""
    batches = 0
    while stop is None or not stop.is_set():  # type: ignore[attr-defined]
        stats = relay_batch()
        batches += 1
        if stats.claimed:
            log.info(
                "outbox.batch",
                claimed=stats.claimed,
                delivered=stats.delivered,
                failed=stats.failed,
            )
        if max_batches is not None and batches >= max_batches:
            return
        if not stats.claimed:
            if stop is not None:
                stop.wait(idle_sleep)  # type: ignore[attr-defined]
            else:
                time.sleep(idle_sleep)
