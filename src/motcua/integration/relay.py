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

A batch costs a fixed number of queries whatever its size (ADR 0014): the deliveries
already made are read in one query, a batch consumer is called once with all of its
messages, the new delivery rows are one ``INSERT`` and the delivered messages one
``UPDATE``. Ordered consumers hold a message back while an earlier message of the same
aggregate is still owed to them (``consumers.consumer(ordered=True)``).
"""

from __future__ import annotations

import datetime as dt
import math
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.db.models import F

from motcua.integration import bulk
from motcua.integration.consumers import Consumer, registered_consumers
from motcua.integration.models import OutboxDelivery, OutboxMessage, OutboxStatus
from motcua.kernel import clock
from motcua.kernel.logging import get_logger

__all__ = ["RelayStats", "backoff_seconds", "relay_batch", "run_relay"]

log = get_logger(__name__)

# A held message is looked at again this long after its predecessor is due.
HOLD_STEP = dt.timedelta(seconds=1)


@dataclass
class RelayStats:
    claimed: int = 0
    delivered: int = 0
    failed: int = 0
    held: int = 0


@dataclass
class _Outcome:
    """What happened to the messages of one batch (by primary key)."""

    errors: dict[int, str] = field(default_factory=dict)
    # pk -> (blocking message pk, when it is due again, whether it is dead)
    held: dict[int, tuple[int, dt.datetime, bool]] = field(default_factory=dict)
    deliveries: list[OutboxDelivery] = field(default_factory=list)

    def fail(self, message: OutboxMessage, target: Consumer, error: str) -> None:
        self.errors.setdefault(message.pk, f"{target.name}: {error}"[:2000])


def backoff_seconds(attempts: int) -> float:
    base = settings.OUTBOX_RETRY_BASE_SECONDS
    return float(min(settings.OUTBOX_RETRY_MAX_SECONDS, base * (2 ** max(0, attempts - 1))))


def _taken(batch: list[OutboxMessage]) -> dict[int, set[str]]:
    """Return, per message, the consumers that already took it (one query).

    Every message is looked up, a first attempt too: a message held back for an ordered
    consumer, or a dead one given new attempts, has deliveries whatever its attempt count.
    """
    done: dict[int, set[str]] = defaultdict(set)
    rows = OutboxDelivery.objects.filter(message_id__in=[m.pk for m in batch]).values_list(
        "message_id", "consumer"
    )
    for message_id, name in rows:
        done[message_id].add(name)
    return done


def _hold_back(
    target: Consumer, todo: list[OutboxMessage], batch_ids: set[int], outcome: _Outcome
) -> list[OutboxMessage]:
    """Return the messages of ``todo`` that ``target`` may take now; hold the others.

    A message waits while an earlier message of its aggregate, outside this batch,
    matches the consumer and has not been taken by it (pending in another worker's
    batch, waiting for its retry, or dead).
    """
    if not todo:
        return todo
    keys = {(m.aggregate_type, m.aggregate_id) for m in todo}
    candidates = list(
        OutboxMessage.objects.filter(
            aggregate_type__in={k[0] for k in keys},
            aggregate_id__in={k[1] for k in keys},
            status__in=(OutboxStatus.PENDING, OutboxStatus.DEAD),
            pk__lt=max(m.pk for m in todo),
        )
        .exclude(pk__in=batch_ids)
        .only("pk", "aggregate_type", "aggregate_id", "topic", "status", "available_at")
    )
    candidates = [
        c
        for c in candidates
        if (c.aggregate_type, c.aggregate_id) in keys and target.matches(c.topic)
    ]
    if not candidates:
        return todo
    taken = set(
        OutboxDelivery.objects.filter(
            message_id__in=[c.pk for c in candidates], consumer=target.name
        ).values_list("message_id", flat=True)
    )
    first_blocker: dict[tuple[str, str], OutboxMessage] = {}
    for c in sorted(candidates, key=lambda c: c.pk):
        if c.pk not in taken:
            first_blocker.setdefault((c.aggregate_type, c.aggregate_id), c)
    free = []
    for m in todo:
        blocker = first_blocker.get((m.aggregate_type, m.aggregate_id))
        if blocker is not None and blocker.pk < m.pk:
            outcome.held.setdefault(
                m.pk, (blocker.pk, blocker.available_at, blocker.status == OutboxStatus.DEAD)
            )
        else:
            free.append(m)
    return free


def _run(target: Consumer, todo: list[OutboxMessage], now: dt.datetime, outcome: _Outcome) -> None:
    def failed(message: OutboxMessage, exc: BaseException | str) -> None:
        error = exc if isinstance(exc, str) else f"{type(exc).__name__}: {exc}"
        log.warning(
            "outbox.delivery_failed",
            consumer=target.name,
            topic=message.topic,
            message_id=str(message.message_id),
            attempt=message.attempts + 1,
            error=error.split(":", 1)[0],
        )
        outcome.fail(message, target, error)

    def succeeded(message: OutboxMessage) -> None:
        if target.tracked:
            outcome.deliveries.append(
                OutboxDelivery(message=message, consumer=target.name, delivered_at=now)
            )

    if target.batch:
        try:
            with transaction.atomic():
                failures = target.fn(list(todo)) or {}
        except Exception as exc:
            for message in todo:
                failed(message, exc)
            return
        for message in todo:
            if message.pk in failures:
                failed(message, failures[message.pk])
            else:
                succeeded(message)
        return
    for message in todo:
        try:
            with transaction.atomic():
                target.fn(message)
        except Exception as exc:
            failed(message, exc)
        else:
            succeeded(message)


def _finish(batch: list[OutboxMessage], outcome: _Outcome, now: dt.datetime) -> RelayStats:
    """Write the delivery rows and the new state of every message of the batch."""
    stats = RelayStats(claimed=len(batch))
    if outcome.deliveries and bulk.is_fast_path():
        bulk.insert_rows(
            OutboxDelivery._meta.db_table,
            ("message_id", "consumer", "delivered_at"),
            [(d.message_id, d.consumer, d.delivered_at) for d in outcome.deliveries],
        )
    elif outcome.deliveries:
        OutboxDelivery.objects.bulk_create(outcome.deliveries)
    delivered: list[int] = []
    changed: list[OutboxMessage] = []
    for message in batch:
        error = outcome.errors.get(message.pk)
        hold = outcome.held.get(message.pk)
        if error is None and hold is not None and hold[2]:
            error = f"waiting for message {hold[0]}, which is dead"
        if error is not None:
            message.attempts += 1
            message.last_error = error
            stats.failed += 1
            if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                message.status = OutboxStatus.DEAD
            else:
                message.available_at = now + dt.timedelta(seconds=backoff_seconds(message.attempts))
            changed.append(message)
        elif hold is not None:
            message.available_at = max(hold[1], now) + HOLD_STEP
            message.last_error = f"waiting for message {hold[0]}"
            stats.held += 1
            changed.append(message)
        else:
            delivered.append(message.pk)
    if delivered:
        OutboxMessage.objects.filter(pk__in=delivered).update(
            status=OutboxStatus.DELIVERED,
            delivered_at=now,
            last_error="",
            attempts=F("attempts") + 1,
        )
        stats.delivered = len(delivered)
    if changed:
        OutboxMessage.objects.bulk_update(
            changed, ["status", "attempts", "last_error", "available_at"]
        )
    return stats


def relay_batch(*, batch_size: int | None = None) -> RelayStats:
    """Claim and deliver one batch of due messages; return what happened."""
    size = batch_size or settings.OUTBOX_BATCH_SIZE
    with transaction.atomic():
        now = clock.now()
        batch = list(
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(status=OutboxStatus.PENDING, available_at__lte=now)
            .order_by("available_at", "id")[:size]
        )
        if not batch:
            return RelayStats()
        done = _taken(batch)
        batch_ids = {m.pk for m in batch}
        outcome = _Outcome()
        for target in registered_consumers():
            todo = [m for m in batch if target.matches(m.topic) and target.name not in done[m.pk]]
            if target.ordered:
                todo = _hold_back(target, todo, batch_ids, outcome)
            if todo:
                _run(target, todo, now, outcome)
        return _finish(batch, outcome, now)


def _periodic_jobs() -> list[tuple[Callable[[], object], float]]:
    from django.utils.module_loading import import_string

    return [
        (import_string(path), float(every))
        for path, every in getattr(settings, "WORKER_PERIODIC_JOBS", ())
    ]


def _run_due_jobs(
    jobs: Iterable[tuple[Callable[[], object], float]], last_run: dict[int, float]
) -> None:
    for index, (job, every) in enumerate(jobs):
        now = time.monotonic()
        if now - last_run.get(index, -every) < every:
            continue
        last_run[index] = now
        try:
            # A django.tasks task goes to the task worker; a function runs here.
            enqueue = getattr(job, "enqueue", None)
            if callable(enqueue):
                enqueue()
            else:
                job()
        except Exception as exc:  # a periodic job must never stop the relay
            log.warning("worker.job_failed", job=getattr(job, "__name__", "?"), error=repr(exc))


# A paced relay works in small, evenly spaced batches: a full batch of 200 at 100
# messages/s is a 0.3 s burst on every core every 2 s, and the web requests that fall
# into the burst are the slow tail (the p95 rose by half while the p50 stayed put).
PACED_BATCHES_PER_SECOND = 20


def paced_batch_size(max_rate: float) -> int:
    """Return the batch size of a relay paced at ``max_rate`` messages per second."""
    per_batch = math.ceil(max_rate / PACED_BATCHES_PER_SECOND)
    return max(1, min(settings.OUTBOX_BATCH_SIZE, per_batch))


def _wait(stop: object | None, seconds: float) -> None:
    if stop is not None:
        stop.wait(seconds)  # type: ignore[attr-defined]
    else:
        time.sleep(seconds)


def run_relay(
    *,
    idle_sleep: float = 0.5,
    stop: object | None = None,
    max_batches: int | None = None,
    with_jobs: bool = True,
    max_rate: float | None = None,
) -> None:
    """Relay batches until ``stop.is_set()`` (a ``threading.Event``) or ``max_batches`` ran.

    Between batches it also runs the webhook dispatcher and the periodic jobs of
    ``settings.WORKER_PERIODIC_JOBS`` (dotted path, seconds between runs), such as the
    national portal pull; a job that is a ``django.tasks`` task is enqueued instead.
    ``max_rate`` (messages per second) paces a backlog's drain: batches shrink to
    ``paced_batch_size(max_rate)`` and after a batch of ``n`` messages the relay waits
    until ``n / max_rate`` seconds have passed since the batch began, leaving the CPU it
    would have taken to the web server on the same machine.
    """
    from motcua.integration.webhooks.dispatch import dispatch_batch

    jobs = _periodic_jobs() if with_jobs else []
    last_run: dict[int, float] = {}
    batches = 0
    batch_size = paced_batch_size(max_rate) if max_rate else None
    while stop is None or not stop.is_set():  # type: ignore[attr-defined]
        began = time.monotonic()
        stats = relay_batch(batch_size=batch_size)
        sent = dispatch_batch() if with_jobs else 0
        _run_due_jobs(jobs, last_run)
        batches += 1
        if stats.claimed:
            log.info(
                "outbox.batch",
                claimed=stats.claimed,
                delivered=stats.delivered,
                failed=stats.failed,
                held=stats.held,
            )
        if max_batches is not None and batches >= max_batches:
            return
        if max_rate and stats.claimed:
            pause = stats.claimed / max_rate - (time.monotonic() - began)
            if pause > 0:
                _wait(stop, pause)
        if not stats.claimed and not sent:
            _wait(stop, idle_sleep)
