"""Signing webhook deliveries, and the check a receiver makes (docs/webhooks.md).

The sender computes ``HMAC-SHA256(secret, f"{timestamp}.".encode() + body)`` over the
exact bytes of the body and sends ``X-Motcua-Signature: t=<timestamp>,v1=<hex digest>``.
A receiver recomputes it with the subscription's secret, compares in constant time, and
rejects a timestamp more than ``tolerance`` seconds away from its clock (a captured
request replayed later fails even though its signature is valid). Within the tolerance,
it dedupes on ``X-Motcua-Message-Id`` (``ReplayGuard``): the same message twice is a
replay or a retry, taken once either way.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
import time
from collections import OrderedDict

__all__ = [
    "MESSAGE_ID_HEADER",
    "SIGNATURE_HEADER",
    "TOPIC_HEADER",
    "BadSignature",
    "ReplayGuard",
    "ReplayedWebhook",
    "StaleWebhook",
    "WebhookRejected",
    "sign",
    "verify_signature",
]

SIGNATURE_HEADER = "X-Motcua-Signature"
MESSAGE_ID_HEADER = "X-Motcua-Message-Id"
TOPIC_HEADER = "X-Motcua-Topic"
DEFAULT_TOLERANCE_SECONDS = 300


class WebhookRejected(ValueError):
    """The delivery must not be processed; ``code`` says why."""

    code = "webhook.rejected"


class BadSignature(WebhookRejected):
    code = "webhook.bad_signature"


class StaleWebhook(WebhookRejected):
    code = "webhook.stale"


class ReplayedWebhook(WebhookRejected):
    code = "webhook.replayed"


def _digest(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return mac.hexdigest()


def sign(secret: str, body: bytes, *, timestamp: int | None = None) -> str:
    """Return the signature header value for ``body`` at ``timestamp`` (default now)."""
    moment = int(time.time()) if timestamp is None else timestamp
    return f"t={moment},v1={_digest(secret, moment, body)}"


def verify_signature(
    secret: str,
    header: str | None,
    body: bytes,
    *,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
    now: float | None = None,
) -> int:
    """Return the signed timestamp; raise ``BadSignature`` or ``StaleWebhook``.

    Several ``v1=`` values are accepted (a sender rotating its secret sends one per key).
    """
    if not header:
        raise BadSignature("missing signature")
    parts = [item.strip().split("=", 1) for item in header.split(",") if "=" in item]
    timestamps = [value for key, value in parts if key == "t"]
    signatures = [value for key, value in parts if key == "v1"]
    if len(timestamps) != 1 or not timestamps[0].isdigit() or not signatures:
        raise BadSignature("malformed signature header")
    timestamp = int(timestamps[0])
    expected = _digest(secret, timestamp, body)
    if not any(hmac.compare_digest(expected, candidate) for candidate in signatures):
        raise BadSignature("signature does not match")
    moment = time.time() if now is None else now
    if abs(moment - timestamp) > tolerance:
        raise StaleWebhook("timestamp outside the tolerance")
    return timestamp


class ReplayGuard:
    """Remember the message ids seen within the tolerance window (in memory).

    A receiver with several processes keeps them in a shared store instead (a unique
    constraint, or Redis ``SET NX EX``); the rule is the same.
    """

    def __init__(self, *, window: int = DEFAULT_TOLERANCE_SECONDS, capacity: int = 100_000):
        self.window = window
        self.capacity = capacity
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def check(self, message_id: str, *, now: float | None = None) -> None:
        """Raise ``ReplayedWebhook`` if ``message_id`` was seen within the window."""
        moment = time.time() if now is None else now
        with self._lock:
            while self._seen and (
                len(self._seen) > self.capacity
                or next(iter(self._seen.values())) < moment - 2 * self.window
            ):
                self._seen.popitem(last=False)
            if message_id in self._seen:
                raise ReplayedWebhook("message already received")
            self._seen[message_id] = moment
