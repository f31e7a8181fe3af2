"""Batch consumers (one call per batch, per-message outcome) and ordered delivery per aggregate."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.test import override_settings

from motcua.integration import outbox
from motcua.integration.models import OutboxDelivery, OutboxMessage
from motcua.integration.relay import relay_batch
from tests.testapp import consumers as test_consumers
from tests.testapp.models import ConsumedEffect

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reset() -> None:
    test_consumers.BATCHES.clear()
    test_consumers.REFUSE.clear()
    test_consumers.ORDERED_FAILURES.clear()
    test_consumers.ORDERED_SEEN.clear()


def _enqueue(topic: str, values: list[tuple[object, int]]) -> list[OutboxMessage]:
    with transaction.atomic():
        return outbox.enqueue_many(
            outbox.NewMessage(topic, "test", aggregate, {"i": i}) for aggregate, i in values
        )


def _make_due() -> None:
    OutboxMessage.objects.filter(status="pending").update(
        available_at=dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    )


def test_a_batch_consumer_is_called_once_and_failures_are_per_message() -> None:
    test_consumers.REFUSE.add(2)
    messages = _enqueue("testapp.batch.created", [(i, i) for i in range(5)])

    stats = relay_batch()

    assert test_consumers.BATCHES == [[0, 1, 2, 3, 4]]
    assert (stats.claimed, stats.delivered, stats.failed) == (5, 4, 1)
    refused = OutboxMessage.objects.get(pk=messages[2].pk)
    assert (refused.status, refused.attempts) == ("pending", 1)
    assert refused.last_error == "testapp.batch: refused"
    assert OutboxDelivery.objects.filter(consumer="testapp.batch").count() == 4

    test_consumers.REFUSE.clear()
    _make_due()
    relay_batch()
    assert test_consumers.BATCHES[-1] == [2]  # only the one it had refused
    assert ConsumedEffect.objects.count() == 5


def test_enqueue_many_writes_in_order_inside_a_transaction_only() -> None:
    messages = _enqueue("x.y", [(1, 1), (1, 2)])
    assert [m.payload for m in OutboxMessage.objects.order_by("pk")] == [{"i": 1}, {"i": 2}]
    assert messages[0].pk < messages[1].pk


@pytest.mark.django_db(transaction=True)
def test_enqueue_many_outside_a_transaction_is_refused() -> None:
    with pytest.raises(RuntimeError):
        outbox.enqueue_many([outbox.NewMessage("x", "t", 1, {})])


@override_settings(OUTBOX_RETRY_BASE_SECONDS=5)
def test_an_ordered_consumer_gets_an_aggregates_messages_in_order() -> None:
    test_consumers.ORDERED_FAILURES.add(1)
    _enqueue("testapp.ordered.created", [("a", 1), ("b", 10)])
    relay_batch()  # a1 fails, b10 taken
    _enqueue("testapp.ordered.created", [("a", 2), ("b", 11)])

    held = relay_batch()  # a2 waits for a1 (not due), b11 goes

    assert (held.claimed, held.held, held.delivered) == (2, 1, 1)
    waiting = OutboxMessage.objects.get(payload__i=2)
    assert (waiting.status, waiting.attempts) == ("pending", 0)
    assert waiting.last_error.startswith("waiting for message")
    assert test_consumers.ORDERED_SEEN == [10, 11]

    test_consumers.ORDERED_FAILURES.clear()
    _make_due()
    relay_batch()
    assert test_consumers.ORDERED_SEEN == [10, 11, 1, 2]


@override_settings(OUTBOX_MAX_ATTEMPTS=1)
def test_a_message_behind_a_dead_one_fails_too() -> None:
    test_consumers.ORDERED_FAILURES.add(1)
    _enqueue("testapp.ordered.created", [("a", 1)])
    relay_batch()
    _enqueue("testapp.ordered.created", [("a", 2)])

    relay_batch()

    second = OutboxMessage.objects.get(payload__i=2)
    assert (second.status, second.attempts) == ("dead", 1)
    assert "which is dead" in second.last_error
    assert test_consumers.ORDERED_SEEN == []
