"""The outbox relay: delivery, retry with back-off, dead letters, idempotency, and a killed worker."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import override_settings

from motcua.integration import outbox
from motcua.integration.models import OutboxDelivery, OutboxMessage, OutboxStatus
from motcua.integration.relay import backoff_seconds, relay_batch
from tests.testapp import consumers as test_consumers
from tests.testapp.models import ConsumedEffect

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _enqueue(topic: str, n: int = 1) -> list[OutboxMessage]:
    with transaction.atomic():
        return [
            outbox.enqueue(topic=topic, aggregate_type="test", aggregate_id=i, payload={"i": i})
            for i in range(n)
        ]


def _make_due() -> None:
    OutboxMessage.objects.filter(status=OutboxStatus.PENDING).update(
        available_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    )


@pytest.mark.django_db(transaction=True)
def test_enqueue_outside_a_transaction_is_refused() -> None:
    with pytest.raises(RuntimeError):
        outbox.enqueue(topic="x", aggregate_type="t", aggregate_id=1, payload={})


def test_messages_are_delivered_once_and_marked() -> None:
    messages = _enqueue("testapp.effect.created", 3)

    stats = relay_batch()
    again = relay_batch()

    assert (stats.claimed, stats.delivered, stats.failed) == (3, 3, 0)
    assert again.claimed == 0
    assert set(ConsumedEffect.objects.values_list("message_id", flat=True)) == {
        m.message_id for m in messages
    }
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"delivered"}
    assert OutboxDelivery.objects.count() == 3


def test_a_message_with_no_consumer_is_simply_marked_delivered() -> None:
    _enqueue("nobody.listens")
    assert relay_batch().delivered == 1


@override_settings(OUTBOX_RETRY_BASE_SECONDS=5, OUTBOX_MAX_ATTEMPTS=4)
def test_failing_consumer_is_retried_with_back_off_and_its_writes_undone() -> None:
    test_consumers.FAILURES["flaky"] = 2
    test_consumers.CALLS.clear()
    (message,) = _enqueue("testapp.flaky.created")

    first = relay_batch()
    message.refresh_from_db()
    assert (first.failed, message.status, message.attempts) == (1, "pending", 1)
    assert "ConnectionError: receiver unavailable" in message.last_error
    assert message.available_at > message.created_at + dt.timedelta(seconds=4)
    assert ConsumedEffect.objects.count() == 0  # the failed attempt's write rolled back
    assert relay_batch().claimed == 0  # not due yet

    _make_due()
    relay_batch()
    _make_due()
    relay_batch()
    message.refresh_from_db()

    assert (message.status, message.attempts, message.last_error) == ("delivered", 3, "")
    assert ConsumedEffect.objects.get().topic == "testapp.flaky.created"
    # The steady consumer succeeded on the first attempt and was not called again.
    assert test_consumers.CALLS == [str(message.message_id)]


@override_settings(OUTBOX_MAX_ATTEMPTS=2)
def test_a_message_that_keeps_failing_becomes_dead_and_visible() -> None:
    test_consumers.FAILURES["flaky"] = 10
    _enqueue("testapp.flaky.created")
    relay_batch()
    _make_due()
    relay_batch()
    message = OutboxMessage.objects.get()
    assert (message.status, message.attempts) == ("dead", 2)
    assert message.last_error
    test_consumers.FAILURES["flaky"] = 0


@override_settings(OUTBOX_RETRY_BASE_SECONDS=5, OUTBOX_RETRY_MAX_SECONDS=60)
def test_backoff_doubles_and_is_capped() -> None:
    assert [backoff_seconds(n) for n in (1, 2, 3, 4, 5, 6)] == [5, 10, 20, 40, 60, 60]


def _worker_env(**extra: str) -> dict[str, str]:
    """Return the environment of a ``motcua worker`` subprocess on the test database."""
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        url = f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    else:
        url = f"sqlite:///{db['NAME']}"
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.settings",
        "DATABASE_URL": url,
        "PYTHONPATH": f"{ROOT}:{ROOT / 'src'}",
        **extra,
    }


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_killing_the_worker_mid_batch_loses_nothing_and_delivers_nothing_twice() -> None:
    total = 120
    expected = {m.message_id for m in _enqueue("testapp.effect.created", total)}
    env = _worker_env(OUTBOX_BATCH_SIZE="40", MOTCUA_TEST_CONSUMER_DELAY="0.02")
    worker = subprocess.Popen(
        [sys.executable, "-m", "motcua.cli", "worker", "--no-tasks"], env=env, cwd=ROOT
    )
    try:
        deadline = time.monotonic() + 60
        while ConsumedEffect.objects.count() == 0:  # the first batch has committed
            assert time.monotonic() < deadline, "worker never delivered"
            time.sleep(0.05)
        time.sleep(0.3)  # well inside the second batch
        worker.send_signal(signal.SIGKILL)
        worker.wait(10)
    finally:
        if worker.poll() is None:
            worker.kill()

    connection.close()
    delivered_before = ConsumedEffect.objects.count()
    assert 0 < delivered_before < total
    assert OutboxMessage.objects.filter(status="pending").count() == total - delivered_before

    while relay_batch().claimed:
        pass

    assert ConsumedEffect.objects.count() == total
    assert set(ConsumedEffect.objects.values_list("message_id", flat=True)) == expected
    assert OutboxDelivery.objects.count() == total
    assert OutboxMessage.objects.filter(status="delivered").count() == total


class _Stop:
    """A stop event that records the waits the relay asks for and never sleeps."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    def is_set(self) -> bool:
        return False

    def wait(self, seconds: float) -> bool:
        self.waits.append(seconds)
        return False


@override_settings(WORKER_PERIODIC_JOBS=[], OUTBOX_BATCH_SIZE=4)
def test_max_rate_paces_a_backlog_and_an_empty_outbox_costs_no_pause() -> None:
    from motcua.integration.relay import run_relay

    _enqueue("testapp.effect.created", 8)
    stop = _Stop()

    # At 40 messages/s batches shrink to 2 (20 a second); each waits until 2/40 s passed.
    run_relay(stop=stop, max_batches=2, max_rate=40.0)

    assert ConsumedEffect.objects.count() == 4
    assert len(stop.waits) == 1  # the last batch returns before pacing
    assert 0.025 < stop.waits[0] <= 0.05
    # Without a cap nothing waits between full batches.
    unpaced = _Stop()
    _enqueue("testapp.effect.created", 4)
    run_relay(stop=unpaced, max_batches=1)
    assert unpaced.waits == []


def test_a_paced_relay_works_in_small_evenly_spaced_batches(settings: Any) -> None:
    from motcua.integration.relay import paced_batch_size

    settings.OUTBOX_BATCH_SIZE = 200
    assert paced_batch_size(100) == 5  # 20 batches a second
    assert paced_batch_size(2) == 1
    assert paced_batch_size(50_000) == 200  # never more than an unpaced batch


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(not hasattr(os, "SCHED_IDLE"), reason="SCHED_IDLE is Linux's")
def test_the_worker_can_run_niced_and_in_the_idle_scheduling_class() -> None:
    worker = subprocess.Popen(
        [sys.executable, "-m", "motcua.cli", "worker", "--no-tasks", "--idle", "--nice", "3"],
        env=_worker_env(),
        cwd=ROOT,
        stdout=subprocess.PIPE,
    )
    try:
        assert worker.stdout is not None
        assert b"relay running" in worker.stdout.readline()  # set up before this line

        assert os.sched_getscheduler(worker.pid) == os.SCHED_IDLE
        assert os.getpriority(os.PRIO_PROCESS, worker.pid) == os.getpriority(os.PRIO_PROCESS, 0) + 3
    finally:
        worker.terminate()
        worker.wait(10)
    assert worker.returncode == 0
