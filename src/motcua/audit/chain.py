"""The hash of an audit row: SHA-256 over a canonical JSON of its content and the previous hash."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

__all__ = ["compute_hash"]


def _default(value: Any) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def compute_hash(
    *,
    seq: int,
    occurred_at: dt.datetime,
    actor_ref: str,
    action: str,
    aggregate_type: str,
    aggregate_id: str,
    data: Any,
    prev_hash: str,
) -> str:
    # Microsecond ISO in UTC so that the value survives every database round trip.
    moment = occurred_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    canonical = json.dumps(
        [seq, moment, actor_ref, action, aggregate_type, aggregate_id, data, prev_hash],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=_default,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
