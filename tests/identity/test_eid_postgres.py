"""The first e-ID login of one account in two tabs at once makes one account (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import close_old_connections, connection

from motcua.audit.models import AuditEvent
from motcua.identity.actions import do_record_eid_login
from motcua.identity.models import Citizen
from motcua.kernel.actors import Actor
from tests.identity.test_eid_actions import person

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_simultaneous_first_logins_make_one_account() -> None:
    attempts = 6
    start = threading.Barrier(attempts)
    outcomes: list[int] = []

    def log_in() -> None:
        close_old_connections()
        try:
            start.wait(5)
            outcomes.append(do_record_eid_login(person(), actor=Actor.anonymous()).pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=log_in) for _ in range(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)

    citizen = Citizen.objects.get()
    assert outcomes == [citizen.pk] * attempts
    assert get_user_model().objects.count() == 1
    events = AuditEvent.objects.filter(aggregate_type="identity.citizen").order_by("seq")
    assert [event.seq for event in events] == list(range(1, attempts + 1))
    assert [event.data["first_login"] for event in events] == [True] + [False] * (attempts - 1)
