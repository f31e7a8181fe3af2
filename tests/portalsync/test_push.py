"""Every dossier event reaches the fake portal, in order, with the portal's fields."""

from __future__ import annotations

import pytest

from motcua.integration.fakes import FakeServer
from motcua.integration.models import OutboxMessage
from motcua.portalsync.models import PortalDossierSync, PortalEvent
from tests.dossiers import flows
from tests.dossiers.factories import World
from tests.portalsync.conftest import drain

pytestmark = pytest.mark.django_db


def test_a_received_dossier_and_its_steps_reach_the_portal(
    world: World, portal: FakeServer
) -> None:
    dossier = flows.in_process(world, chain=False)

    drain()

    fake = portal.app
    history = fake.history(dossier.code)
    assert [(h["LoaiSuKien"], h["TrangThai"]) for h in history] == [
        ("receive", 2),
        ("digitise_document", 2),
        ("transfer", 4),
        ("assign", 4),
    ]
    assert fake.status_of(dossier.code) == 4
    sync = PortalDossierSync.objects.get(pk=dossier.pk)
    assert (sync.last_acknowledged_event, sync.last_acknowledged_status, sync.unacknowledged) == (
        "assign",
        4,
        0,
    )
    assert list(PortalEvent.objects.order_by("sequence").values_list("event", "status")) == [
        ("submit", "skipped"),
        ("receive", "acknowledged"),
        ("digitise_document", "acknowledged"),
        ("transfer", "acknowledged"),
        ("assign", "acknowledged"),
    ]
    acks = OutboxMessage.objects.filter(topic="integration.portal.acknowledged").order_by("pk")
    assert [a.payload["national_status"] for a in acks] == [2, 4, 4]
