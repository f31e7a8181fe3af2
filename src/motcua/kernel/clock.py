"""The one clock: ``now()`` is UTC; ``local()`` converts to Asia/Ho_Chi_Minh for screens.

Tests freeze time by patching ``motcua.kernel.clock.now``; nothing else reads the wall clock.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

__all__ = ["VN_TZ", "local", "now"]

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def now() -> dt.datetime:
    return timezone.now()


def local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(VN_TZ)
