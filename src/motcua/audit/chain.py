"""The hash of an audit row: SHA-256 over a canonical JSON of its content and the previous hash.

The canonical text is ``[seq,"moment","actor_ref","action","aggregate_type","aggregate_id",
data,"prev_hash"]`` (sorted keys, no spaces, UTF-8). ``canonical_middle`` is the part
that does not depend on the row's position in its chain, so that the database can add
``seq`` and ``prev_hash`` when it appends the row (``audit.actions.record`` on
PostgreSQL); ``compute_hash`` builds the same text in Python (``motcua audit verify``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

__all__ = ["canonical_middle", "compute_hash", "hash_with"]


def _default(value: Any) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def canonical_middle(
    *,
    occurred_at: dt.datetime,
    actor_ref: str,
    action: str,
    aggregate_type: str,
    aggregate_id: str,
    data: Any,
) -> str:
    """Return the canonical JSON of a row's content between ``seq,`` and ``,prev_hash``."""
    # Microsecond ISO in UTC so that the value survives every database round trip.
    moment = occurred_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    text = json.dumps(
        [moment, actor_ref, action, aggregate_type, aggregate_id, data],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=_default,
    )
    return text[1:-1]


def hash_with(seq: int, middle: str, prev_hash: str) -> str:
    """Return the hash of the row at ``seq`` whose content is ``middle`` after ``prev_hash``.

    ``prev_hash`` is a hex digest (or empty), so its JSON form is the text in quotes —
    the same text the database builds when it appends a row.
    """
    canonical = f'[{seq},{middle},"{prev_hash}"]'
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


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
    middle = canonical_middle(
        occurred_at=occurred_at,
        actor_ref=actor_ref,
        action=action,
        aggregate_type=aggregate_type,
        aggregate_id=aggregate_id,
        data=data,
    )
    return hash_with(seq, middle, prev_hash)
