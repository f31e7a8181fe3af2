"""The portal failing: 500, time-outs, an expiring token, a stop — retried, nothing lost, nothing twice."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from motcua.dossiers import actions
from motcua.integration.adapters.dvcqg.fake import PortalFake
from motcua.integration.fakes import FakeServer
from motcua.integration.models import OutboxMessage
from motcua.portalsync.models import PortalDossierSync, PortalEvent
from tests.dossiers import flows
from tests.dossiers.conftest import Clock
from tests.dossiers.factories import World
from tests.portalsync.conftest import drain

pytestmark = pytest.mark.django_db


def _later(frozen: Clock, seconds: int) -> None:
    frozen.set(frozen.moment + dt.timedelta(seconds=seconds))


def _events(fake: PortalFake, code: str) -> list[tuple[str, int]]:
    return [(h["LoaiSuKien"], h["TrangThai"]) for h in fake.history(code)]


RECEIVED = [("receive", 2), ("digitise_document", 2)]


@override_settings(OUTBOX_RETRY_BASE_SECONDS=5)
def test_a_portal_answering_500_is_retried_with_back_off(
    world: World, portal: FakeServer, frozen: Clock
) -> None:
    portal.app.fail_next(1, status=500)
    dossier = flows.received(world, chain=False)

    drain()

    receive = OutboxMessage.objects.get(topic="dossiers.dossier.receive")
    assert (receive.status, receive.attempts) == ("pending", 1)
    assert "UNAVAILABLE HTTP 500" in receive.last_error
    assert receive.available_at == frozen.moment + dt.timedelta(seconds=5)
    sync = PortalDossierSync.objects.get(pk=dossier.pk)
    assert (sync.unacknowledged, sync.consecutive_failures, sync.total_failures) == (2, 2, 2)
    assert sync.last_error == "UNAVAILABLE HTTP 500"
    assert portal.app.history(dossier.code) == []

    _later(frozen, 5)
    drain()

    assert _events(portal.app, dossier.code) == RECEIVED
    sync.refresh_from_db()
    assert (sync.unacknowledged, sync.consecutive_failures, sync.total_failures) == (0, 0, 2)
    assert sync.last_acknowledged_status == 2
    assert set(PortalEvent.objects.values_list("attempts", flat=True)) == {1, 2}


@override_settings(DVCQG_TIMEOUT_SECONDS=0.3)
def test_a_time_out_is_retried_and_the_late_copy_is_taken_once(
    world: World, portal: FakeServer, frozen: Clock
) -> None:
    portal.app.slow_down(0.8, count=1)
    dossier = flows.received(world, chain=False)

    drain()
    receive = OutboxMessage.objects.get(topic="dossiers.dossier.receive")
    assert receive.status == "pending"
    assert "ReadTimeout" in receive.last_error

    _later(frozen, 10)
    drain()

    # The portal had stored the timed-out request; the retry's ids are duplicates.
    assert _events(portal.app, dossier.code) == RECEIVED
    assert portal.app.state()["messages"] == 2
    assert set(PortalEvent.objects.filter(event="receive").values_list("status", flat=True)) == {
        "acknowledged"
    }


def test_a_token_expiring_mid_batch_is_refreshed_without_a_failure(
    world: World, portal: FakeServer
) -> None:
    dossier = flows.received(world, chain=False)
    drain()
    portal.app.expire_tokens()

    actions.do_transfer_dossier(dossier, actor=world.actors["desk"])
    drain()

    assert _events(portal.app, dossier.code) == [*RECEIVED, ("transfer", 4)]
    assert portal.app.state()["tokens_issued"] == 2
    assert not OutboxMessage.objects.exclude(status="delivered").exists()
    assert PortalDossierSync.objects.get(pk=dossier.pk).total_failures == 0


def test_a_later_event_waits_for_an_earlier_one_that_failed(
    world: World, portal: FakeServer, frozen: Clock
) -> None:
    portal.app.fail_next(1)
    dossier = flows.received(world, chain=False)
    drain()
    actions.do_transfer_dossier(dossier, actor=world.actors["desk"])

    drain()  # the transfer is due, its predecessors are not: it is held, not sent

    transfer = OutboxMessage.objects.get(topic="dossiers.dossier.transfer")
    assert (transfer.status, transfer.attempts) == ("pending", 0)
    assert transfer.last_error.startswith("waiting for message")
    assert portal.app.state()["requests"] == 1

    _later(frozen, 10)
    drain()

    assert _events(portal.app, dossier.code) == [*RECEIVED, ("transfer", 4)]


@override_settings(OUTBOX_RETRY_BASE_SECONDS=1, OUTBOX_RETRY_MAX_SECONDS=60)
def test_the_portal_stopped_for_a_while_gets_every_event_exactly_once(
    world: World, frozen: Clock
) -> None:
    fake = PortalFake()
    server = FakeServer(fake).start()
    port = int(server.url.rsplit(":", 1)[1])
    with override_settings(DVCQG_SYNC_ENABLED=True, DVCQG_URL=server.url):
        first = flows.received(world, chain=False)
        drain()
        server.stop()  # the portal goes away

        actions.do_transfer_dossier(first, actor=world.actors["desk"])
        second = flows.received(world, chain=False)
        for _ in range(4):  # a few minutes of failed attempts
            drain()
            _later(frozen, 60)
        assert OutboxMessage.objects.filter(status="pending").count() == 3
        assert PortalDossierSync.objects.get(pk=second.pk).unacknowledged == 2

        server = FakeServer(fake, port=port).start()  # back, same address, same memory
        try:
            _later(frozen, 60)
            drain()
        finally:
            server.stop()

    assert _events(fake, first.code) == [*RECEIVED, ("transfer", 4)]
    assert _events(fake, second.code) == RECEIVED
    sent = OutboxMessage.objects.filter(topic__startswith="dossiers.dossier.").exclude(
        topic="dossiers.dossier.submit"
    )
    assert sorted(fake.messages) == sorted(str(m.message_id) for m in sent)
    assert not OutboxMessage.objects.exclude(status="delivered").exists()
    assert PortalDossierSync.objects.filter(unacknowledged__gt=0).count() == 0
