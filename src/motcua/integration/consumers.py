"""The registry of outbox consumers: ``@consumer("dossiers.dossier.*")`` on a function.

A consumer receives the ``OutboxMessage`` and must be idempotent on
``message.message_id``: delivery is at least once. A consumer's database writes run in
the same transaction as its ``OutboxDelivery`` row, so for effects inside motcua's
database the relay delivers exactly once; external receivers dedupe on the id.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable
from dataclasses import dataclass

from motcua.integration.models import OutboxMessage

__all__ = ["Consumer", "consumer", "consumers_for", "registered_consumers", "unregister"]

ConsumerFn = Callable[[OutboxMessage], None]


@dataclass(frozen=True)
class Consumer:
    name: str
    pattern: str
    fn: ConsumerFn

    def matches(self, topic: str) -> bool:
        return fnmatch.fnmatchcase(topic, self.pattern)


_registry: dict[str, Consumer] = {}


def consumer(pattern: str, *, name: str | None = None) -> Callable[[ConsumerFn], ConsumerFn]:
    """Register the decorated function for topics matching ``pattern`` (shell-style)."""

    def decorate(fn: ConsumerFn) -> ConsumerFn:
        key = name or f"{fn.__module__}.{fn.__qualname__}"
        _registry[key] = Consumer(name=key, pattern=pattern, fn=fn)
        return fn

    return decorate


def unregister(name: str) -> None:
    _registry.pop(name, None)


def registered_consumers() -> list[Consumer]:
    return list(_registry.values())


def consumers_for(topic: str) -> list[Consumer]:
    return [c for c in _registry.values() if c.matches(topic)]
