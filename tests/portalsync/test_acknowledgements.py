"""What is recorded when the portal acknowledges, refuses or is not asked; the on-time share."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import override_settings

from motcua.dossiers import actions
from motcua.integration.fakes import FakeServer
from motcua.integration.models import OutboxMessage
from motcua.portalsync import payloads
from motcua.portalsync.models import PortalDossierSync, PortalEvent
from motcua.portalsync.selectors import compute_sync_share, reconcile
from tests.dossiers import flows
from tests.dossiers.conftest import Clock, local
from tests.dossiers.factories import World
from tests.portalsync.conftest import drain

pytestmark = pytest.mark.django_db


@override_settings(DVCQG_SYNC_TARGET_SECONDS=300)
def test_each_acknowledged_status_event_is_announced_to_the_scoreboard(
    world: World, portal: FakeServer, frozen: Clock
) -> None:
    dossier = flows.received(world, chain=False)
    frozen.set(local(2025, 10, 6, 9, 10))  # ten minutes later: late for the target
    drain()

    (ack,) = OutboxMessage.objects.filter(topic="integration.portal.acknowledged")
    assert (ack.aggregate_type, ack.aggregate_id) == ("dossiers.dossier", str(dossier.pk))
    assert ack.payload == {
        "dossier_id": dossier.pk,
        "code": dossier.code,
        "national_status": 2,
        "event_at": "2025-10-06T02:00:00+00:00",
        "acknowledged_at": "2025-10-06T02:10:00+00:00",
        "on_time": False,
    }
    assert PortalDossierSync.objects.get(pk=dossier.pk).late_events == 2


def test_a_desk_refusal_without_a_code_is_not_sent(world: World, portal: FakeServer) -> None:
    dossier = actions.do_register_submission(
        world.desk, actor=world.actors["desk"], submission=flows.single_submission(world)
    )
    actions.do_refuse_dossier(dossier, actor=world.actors["desk"], reason="Thiếu giấy tờ")
    drain()

    assert portal.app.state()["requests"] == 0
    assert list(PortalEvent.objects.values_list("event", "status", "last_error")) == [
        ("submit", "skipped", "no dossier code yet"),
        ("refuse", "skipped", "no dossier code yet"),
    ]
    assert not OutboxMessage.objects.filter(topic="integration.portal.acknowledged").exists()
    assert reconcile() == []


def test_an_item_the_portal_refuses_is_recorded_and_retried(
    world: World, portal: FakeServer, frozen: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(payloads, "format_datetime", lambda moment: moment and moment.isoformat())
    dossier = flows.received(world, chain=False)
    drain()

    receive = PortalEvent.objects.get(event="receive")
    assert (receive.status, receive.error_code) == ("rejected", "DINH_DANG_NGAY")
    assert receive.last_error == "Trường NgayNopHoSo phải có dạng dd/MM/yyyy HH:mm:ss."
    message = OutboxMessage.objects.get(topic="dossiers.dossier.receive")
    assert (message.status, message.attempts) == ("pending", 1)
    assert message.last_error.startswith("portalsync.push: DINH_DANG_NGAY")
    (row,) = reconcile()
    assert (row.dossier_id, row.reason, row.owed_events) == (dossier.pk, "owed", 2)

    monkeypatch.undo()
    frozen.set(frozen.moment + dt.timedelta(seconds=10))
    drain()
    assert PortalEvent.objects.get(event="receive").status == "acknowledged"
    assert reconcile() == []


@override_settings(DVCQG_SYNC_TARGET_SECONDS=300)
def test_the_on_time_share_of_a_period(world: World, portal: FakeServer, frozen: Clock) -> None:
    on_time = flows.received(world, chain=False)
    drain()
    late = flows.received(world, chain=False)
    frozen.set(local(2025, 10, 6, 9, 30))
    drain()
    owed = flows.received(world, chain=False)  # never pushed: still in the outbox
    frozen.set(local(2025, 10, 6, 10, 0))

    share = compute_sync_share(local(2025, 10, 1), local(2025, 11, 1))
    before = compute_sync_share(local(2025, 9, 1), local(2025, 10, 1))

    assert (share.dossiers, share.synced_on_time, str(share.percent)) == (3, 1, "33.33")
    assert (before.dossiers, before.synced_on_time, str(before.percent)) == (0, 0, "0.00")
    assert {on_time.pk, late.pk, owed.pk} == set(
        PortalEvent.objects.values_list("dossier_id", flat=True)
    ) | {owed.pk}
