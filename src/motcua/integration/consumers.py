"""The registry of outbox consumers: ``@consumer("dossiers.dossier.*")`` on a function.

A consumer receives the ``OutboxMessage`` and must be idempotent on
``message.message_id``: delivery is at least once. A consumer's database writes run in
the same transaction as its ``OutboxDelivery`` row, so for effects inside motcua's
database the relay delivers exactly once; external receivers dedupe on the id.

Options (ADR 0014):

``batch=True``
    the function takes the list of due messages of one relay batch that it has not
    taken yet (in delivery order) and returns ``{message.pk: error}`` for those it could
    not take (an empty mapping or ``None`` when it took them all). Raising fails the
    whole list and undoes its writes. One HTTP request for a hundred messages is what
    lets the national portal sync keep up (``bench/sync_bench.py``).
``ordered=True``
    a message is given to the consumer only once every earlier message of the same
    aggregate that matches the consumer's pattern has been taken by it: a status that
    failed is retried before the next one of the same dossier is sent. Held messages
    wait (without spending an attempt) until their predecessor is due again.
``tracked=False``
    no ``OutboxDelivery`` row is written for this consumer: it is called again when the
    message is retried for another consumer, and must therefore be idempotent by its
    own means (a unique constraint). The webhook fan-out uses it for every topic.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from motcua.integration.models import OutboxMessage

__all__ = [
    "BatchConsumerFn",
    "Consumer",
    "ConsumerFn",
    "consumer",
    "consumers_for",
    "registered_consumers",
    "unregister",
]

ConsumerFn = Callable[[OutboxMessage], None]
BatchConsumerFn = Callable[[list[OutboxMessage]], Mapping[int, str] | None]


@dataclass(frozen=True)
class Consumer:
    name: str
    pattern: str
    fn: Callable[..., Any]
    batch: bool = False
    ordered: bool = False
    tracked: bool = True

    def matches(self, topic: str) -> bool:
        return fnmatch.fnmatchcase(topic, self.pattern)


_registry: dict[str, Consumer] = {}


def consumer(
    pattern: str,
    *,
    name: str | None = None,
    batch: bool = False,
    ordered: bool = False,
    tracked: bool = True,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register the decorated function for topics matching ``pattern`` (shell-style)."""
    if ordered and not tracked:
        raise ValueError("an ordered consumer must be tracked")

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        key = name or f"{fn.__module__}.{fn.__qualname__}"
        _registry[key] = Consumer(
            name=key, pattern=pattern, fn=fn, batch=batch, ordered=ordered, tracked=tracked
        )
        return fn

    return decorate


def unregister(name: str) -> None:
    _registry.pop(name, None)


def registered_consumers() -> list[Consumer]:
    return list(_registry.values())


def consumers_for(topic: str) -> list[Consumer]:
    return [c for c in _registry.values() if c.matches(topic)]
