"""Outbox consumers used by the relay tests (topics ``testapp.*`` only)."""

import os
import time

from motcua.integration.consumers import consumer
from motcua.integration.models import OutboxMessage
from tests.testapp.models import ConsumedEffect

# Tests set these to make a consumer fail a given number of times, or slow.
FAILURES: dict[str, int] = {}


@consumer("testapp.effect.*", name="testapp.effect")
def record_effect(message: OutboxMessage) -> None:
    delay = float(os.environ.get("MOTCUA_TEST_CONSUMER_DELAY", "0"))
    if delay:
        time.sleep(delay)
    ConsumedEffect.objects.create(message_id=message.message_id, topic=message.topic)


@consumer("testapp.flaky.*", name="testapp.flaky")
def flaky(message: OutboxMessage) -> None:
    remaining = FAILURES.get("flaky", 0)
    if remaining > 0:
        FAILURES["flaky"] = remaining - 1
        ConsumedEffect.objects.create(message_id=message.message_id, topic="should-roll-back")
        raise ConnectionError("receiver unavailable")
    ConsumedEffect.objects.create(message_id=message.message_id, topic=message.topic)


@consumer("testapp.flaky.*", name="testapp.steady")
def steady(message: OutboxMessage) -> None:
    CALLS.append(str(message.message_id))


CALLS: list[str] = []


# A batch consumer and an ordered one (topics ``testapp.batch.*``, ``testapp.ordered.*``).
BATCHES: list[list[int]] = []
REFUSE: set[int] = set()  # payload "i" values the batch consumer refuses


@consumer("testapp.batch.*", name="testapp.batch", batch=True)
def record_batch(messages: list[OutboxMessage]) -> dict[int, str]:
    BATCHES.append([m.payload["i"] for m in messages])
    failures = {}
    for m in messages:
        if m.payload["i"] in REFUSE:
            failures[m.pk] = "refused"
        else:
            ConsumedEffect.objects.create(message_id=m.message_id, topic=m.topic)
    return failures


ORDERED_FAILURES: set[int] = set()
ORDERED_SEEN: list[int] = []


@consumer("testapp.ordered.*", name="testapp.ordered", batch=True, ordered=True)
def record_in_order(messages: list[OutboxMessage]) -> dict[int, str]:
    failures = {}
    for m in messages:
        if m.payload["i"] in ORDERED_FAILURES:
            failures[m.pk] = "not now"
        else:
            ORDERED_SEEN.append(m.payload["i"])
    return failures
