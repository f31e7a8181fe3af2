"""Simultaneous failed logins from several web processes are all counted (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import close_old_connections, connection
from django.test import override_settings

from motcua.audit.models import AuditEvent
from motcua.identity import lockout
from motcua.identity.errors import LoginLocked
from motcua.identity.models import LoginThrottle

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def fail_at_once(username: str, attempts: int) -> list[str]:
    start = threading.Barrier(attempts)
    outcomes: list[str] = []

    def attempt() -> None:
        close_old_connections()
        try:
            start.wait(5)
            lockout.record_failure(username)
            outcomes.append("counted")
        except LoginLocked:
            outcomes.append("locked")
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    return outcomes


@override_settings(LOGIN_FAILURE_LIMIT=100)
def test_every_simultaneous_failure_is_counted_even_on_the_first_insert() -> None:
    outcomes = fail_at_once("thuly", 8)

    assert outcomes == ["counted"] * 8
    assert LoginThrottle.objects.get().failures == 8


def test_simultaneous_failures_lock_exactly_once() -> None:
    outcomes = fail_at_once("thuly", 7)

    assert sorted(outcomes) == ["counted"] * 4 + ["locked"] * 3
    assert AuditEvent.objects.filter(action="identity.login.locked").count() == 1
