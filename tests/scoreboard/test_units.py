"""Which unit a dossier counts for: the shared agency → unit map holds committed units only."""

from __future__ import annotations

import contextlib

import pytest
from django.db import transaction

from motcua.kernel.actors import Actor
from motcua.scoreboard.actions import do_sync_units
from motcua.scoreboard.actions.incremental import resolver
from motcua.scoreboard.models import ScoreUnit
from tests.dossiers.factories import World

pytestmark = pytest.mark.django_db

ACTOR = Actor.system("tests")


class Undo(Exception):
    pass


def test_units_written_by_a_rolled_back_transaction_leave_no_id_behind(world: World) -> None:
    agency = world.justice
    assert resolver.resolve(agency.pk) is None  # no unit yet

    with contextlib.suppress(Undo), transaction.atomic():
        assert do_sync_units(actor=ACTOR) > 0
        # The transaction that wrote the units resolves to them …
        unit_id, _parent = resolver.resolve(agency.pk) or (None, None)
        assert unit_id == ScoreUnit.objects.get(agency=agency).pk
        raise Undo

    # … and after its rollback neither the rows nor their ids remain.
    assert not ScoreUnit.objects.exists()
    assert resolver.resolve(agency.pk) is None


def test_committed_units_are_resolved_from_the_shared_map(world: World) -> None:
    do_sync_units(actor=ACTOR)
    unit = ScoreUnit.objects.get(agency=world.justice)

    assert resolver.resolve(world.justice.pk) == (unit.pk, unit.parent_id)
