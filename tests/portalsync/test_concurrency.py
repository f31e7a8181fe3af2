"""Two relay workers share the outbox (SKIP LOCKED): every event once, each dossier in order."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from django.db import connection
from django.test import override_settings

from motcua.dossiers import actions
from motcua.integration.fakes import FakeServer
from motcua.integration.models import OutboxMessage
from motcua.integration.relay import relay_batch
from tests.dossiers import flows
from tests.dossiers.conftest import Clock
from tests.dossiers.factories import World


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@override_settings(OUTBOX_BATCH_SIZE=3)
def test_two_workers_push_every_event_once_and_in_order(
    world: World, portal: FakeServer, frozen: Clock
) -> None:
    dossiers = []
    for _ in range(8):
        dossier = flows.received(world, chain=False)
        actions.do_transfer_dossier(dossier, actor=world.actors["desk"])
        dossiers.append(dossier)
    errors: list[BaseException] = []
    lock = threading.Lock()

    def work() -> None:
        try:
            deadline = time.monotonic() + 30
            owed = OutboxMessage.objects.filter(topic__startswith="dossiers.", status="pending")
            while owed.exists() and time.monotonic() < deadline:
                if not relay_batch().claimed:
                    time.sleep(0.05)
                    with lock:  # a held event is due again a second later
                        frozen.set(frozen.moment + dt.timedelta(seconds=1))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    for dossier in dossiers:
        history = [(h["LoaiSuKien"], h["TrangThai"]) for h in portal.app.history(dossier.code)]
        assert history == [("receive", 2), ("digitise_document", 2), ("transfer", 4)]
    assert portal.app.state()["messages"] == 24
    pending = OutboxMessage.objects.exclude(status="delivered")
    assert not pending.filter(topic__startswith="dossiers.").exists()
