"""The national portal's wire format: dates, codes and the checks both ends make.

Dates are ``dd/MM/yyyy HH:mm:ss`` (dates alone ``dd/MM/yyyy``) in Vietnam's local time
without an offset (one-stop rules §10). Status codes are 1–10 (§4.2); ``KenhThucHien``
1 in person, 2 online, 3 public post (R9); the flags of §8.1.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

__all__ = [
    "ALLOWED_STATUS_MOVES",
    "CHANNEL_CODES",
    "DATETIME_FORMAT",
    "DATE_FORMAT",
    "format_date",
    "format_datetime",
    "is_portal_datetime",
    "parse_datetime",
]

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DATETIME_FORMAT = "%d/%m/%Y %H:%M:%S"
DATE_FORMAT = "%d/%m/%Y"
_DATETIME_RE = re.compile(r"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}$")

# KenhThucHien (R9): in person, online, public post.
CHANNEL_CODES = frozenset({1, 2, 3})

# §4.2 "Allowed transitions" of the national status (a repeated status is always allowed).
ALLOWED_STATUS_MOVES: frozenset[tuple[int, int]] = frozenset(
    {
        (1, 2), (1, 3), (1, 7),
        (2, 4), (2, 5), (2, 6), (2, 7), (2, 8),
        (4, 5), (4, 6), (4, 8), (4, 9), (4, 7),
        (5, 4), (5, 8), (5, 7),
        (6, 4), (6, 9), (6, 10),
        (9, 10),
    }
)  # fmt: skip


def format_datetime(moment: dt.datetime | None) -> str | None:
    """Return ``moment`` as ``dd/MM/yyyy HH:mm:ss`` in Vietnam's time, or ``None``."""
    if moment is None:
        return None
    return moment.astimezone(VN_TZ).strftime(DATETIME_FORMAT)


def format_date(day: dt.date | None) -> str | None:
    return None if day is None else day.strftime(DATE_FORMAT)


def is_portal_datetime(value: object) -> bool:
    """Return whether ``value`` is a valid ``dd/MM/yyyy HH:mm:ss`` string."""
    if not isinstance(value, str) or not _DATETIME_RE.match(value):
        return False
    try:
        dt.datetime.strptime(value, DATETIME_FORMAT)
    except ValueError:
        return False
    return True


def parse_datetime(value: str) -> dt.datetime:
    """Return the aware datetime of a ``dd/MM/yyyy HH:mm:ss`` string; raise ``ValueError``."""
    if not _DATETIME_RE.match(value):
        raise ValueError(f"not dd/MM/yyyy HH:mm:ss: {value!r}")
    return dt.datetime.strptime(value, DATETIME_FORMAT).replace(tzinfo=VN_TZ)
