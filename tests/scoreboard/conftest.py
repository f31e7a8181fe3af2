"""Fixtures of the scoreboard tests: the dossier world with its provincial People's
Committee (the province unit), the outbox relayed on demand, and counter read-outs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from motcua.agencies.models import Agency, AgencyKind, AgencyLevel
from motcua.integration.models import OutboxMessage, OutboxStatus
from motcua.integration.relay import relay_batch
from motcua.kernel.actors import Actor
from motcua.scoreboard import actions
from motcua.scoreboard.actions.incremental import resolver
from motcua.scoreboard.models import COUNTER_FIELDS, ScoreCounter, ScoreUnit
from tests.dossiers.conftest import Clock, fast_pdf, frozen, local, world  # noqa: F401
from tests.dossiers.factories import World

ACTOR = Actor.system("tests")


def relay() -> int:
    """Deliver every pending outbox message (what ``motcua worker`` does); return how many."""
    delivered = 0
    while True:
        stats = relay_batch(batch_size=500)
        delivered += stats.delivered
        assert stats.failed == 0, list(
            OutboxMessage.objects.exclude(last_error="").values_list("topic", "last_error")
        )
        if not stats.claimed:
            return delivered


def counters(unit: ScoreUnit | int, period: str, procedure: str = "") -> dict[str, int]:
    """Return the non-zero counters of one row (empty when the row does not exist)."""
    unit_id = unit if isinstance(unit, int) else unit.pk
    row = (
        ScoreCounter.objects.filter(unit_id=unit_id, period=period, procedure_code=procedure)
        .values(*COUNTER_FIELDS)
        .first()
    )
    return {k: v for k, v in (row or {}).items() if v}


def pending() -> int:
    return OutboxMessage.objects.filter(status=OutboxStatus.PENDING).count()


@pytest.fixture
def scored(world: World) -> Iterator[dict[str, Any]]:  # noqa: F811
    """The world with its province (UBND tỉnh) and every unit created."""
    province_pc = Agency.objects.create(
        code="000.00.00.H56",
        name="Ủy ban nhân dân tỉnh Thanh Hóa",
        kind=AgencyKind.PROVINCIAL_PC,
        level=AgencyLevel.PROVINCE,
        admin_unit=world.province,
    )
    resolver.clear()
    actions.do_sync_units(actor=ACTOR)
    units = {u.agency_id: u for u in ScoreUnit.objects.all()}
    yield {
        "province": units[province_pc.pk],
        "justice": units[world.justice.pk],
        "construction": units[world.construction.pk],
        "commune_b": units[world.commune_pc_b.pk],
    }
    resolver.clear()


@pytest.fixture(autouse=True)
def _no_page_cache(settings: Any) -> None:
    """Every test reads fresh figures (the pages keep the league for a few seconds)."""
    settings.SCOREBOARD_CACHE_SECONDS = 0
