"""Lock-out after repeated failed logins, counted in the database.

After ``settings.LOGIN_FAILURE_LIMIT`` failures for one username (folded: case and
diacritics ignored) within ``LOGIN_FAILURE_WINDOW_MINUTES`` (default: the lock-out
length), further attempts are refused for ``LOGIN_LOCKOUT_MINUTES``, even with the
right password. The counter is one row per username, changed by single conditional
``UPDATE`` statements, so every web process on every machine sees the same count and
two simultaneous failures are both counted. A success deletes the row.

Unknown usernames are counted like real ones, so the lock-out tells an attacker
nothing about which accounts exist; the row holds a keyed hash, not the username.
"""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Q, Value, When
from django.utils.crypto import salted_hmac

from motcua.audit import actions as audit
from motcua.identity.errors import LoginLocked
from motcua.identity.models import LoginThrottle
from motcua.kernel import clock
from motcua.kernel.actors import Actor
from motcua.kernel.logging import get_logger
from motcua.kernel.text import fold

__all__ = ["check_not_locked", "clear_failures", "record_failure", "throttle_key"]

log = get_logger(__name__)


def _limit() -> int:
    return max(1, int(getattr(settings, "LOGIN_FAILURE_LIMIT", 5)))


def _lockout() -> dt.timedelta:
    return dt.timedelta(minutes=int(getattr(settings, "LOGIN_LOCKOUT_MINUTES", 15)))


def _window() -> dt.timedelta:
    minutes = getattr(settings, "LOGIN_FAILURE_WINDOW_MINUTES", None)
    return dt.timedelta(minutes=int(minutes)) if minutes is not None else _lockout()


def throttle_key(username: str) -> str:
    """Return the keyed hash that identifies ``username`` (folded) in ``LoginThrottle``."""
    return salted_hmac("motcua.identity.lockout", fold(username), algorithm="sha256").hexdigest()


def _locked_error(until: dt.datetime, now: dt.datetime) -> LoginLocked:
    minutes = max(1, math.ceil((until - now).total_seconds() / 60))
    return LoginLocked(params={"limit": _limit(), "minutes": minutes})


def check_not_locked(username: str) -> None:
    """Raise ``LoginLocked`` (with the minutes left) while ``username`` is locked out."""
    now = clock.now()
    until = (
        LoginThrottle.objects.filter(key=throttle_key(username), locked_until__gt=now)
        .values_list("locked_until", flat=True)
        .first()
    )
    if until is not None:
        raise _locked_error(until, now)


def _bump(key: str, now: dt.datetime) -> int:
    # One UPDATE; every right-hand side reads the row as it was before this statement.
    window_open = Q(window_started_at__gte=now - _window())
    limit = _limit()
    reaches_limit = Q(pk__isnull=False) if limit == 1 else Q(failures__gte=limit - 1) & window_open
    return LoginThrottle.objects.filter(key=key).update(
        failures=Case(
            When(reaches_limit, then=Value(0)),
            When(window_open, then=F("failures") + 1),
            default=Value(1),
        ),
        window_started_at=Case(
            When(reaches_limit, then=Value(now)),
            When(window_open, then=F("window_started_at")),
            default=Value(now),
        ),
        locked_until=Case(
            When(reaches_limit, then=Value(now + _lockout())), default=F("locked_until")
        ),
    )


def record_failure(username: str) -> None:
    """Count one failed login for ``username``; raise ``LoginLocked`` if it is now locked.

    The count is committed before the error leaves, whatever the caller does next.
    """
    key = throttle_key(username)
    now = clock.now()
    with transaction.atomic():
        if not _bump(key, now):
            try:
                with transaction.atomic():
                    LoginThrottle.objects.create(key=key, failures=1, window_started_at=now)
            except IntegrityError:  # another process created it first: count on its row
                _bump(key, now)
            else:
                if _limit() == 1:
                    _bump(key, now)
        until = LoginThrottle.objects.filter(key=key).values_list("locked_until", flat=True).get()
        just_locked = until is not None and until == now + _lockout()
        if just_locked:
            audit.record(
                actor=Actor.anonymous(),
                action="identity.login.locked",
                aggregate_type="identity.login_throttle",
                aggregate_id=key[:32],
                data={"failures": _limit(), "minutes": int(_lockout().total_seconds() // 60)},
            )
    log.info("identity.login_failed", throttle=key[:12], locked=bool(until and until > now))
    if until is not None and until > now:
        raise _locked_error(until, now)


def clear_failures(username: str) -> None:
    """Forget the failed logins of ``username`` (after a successful login)."""
    LoginThrottle.objects.filter(key=throttle_key(username)).delete()
