"""Fixtures of the portal tests: the dossier world offered online, two citizens."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.dossiers.conftest import (  # noqa: F401  (fixtures shared with the dossier tests)
    fast_pdf,
    frozen,
    real_pdf,
    world,
)
from tests.dossiers.factories import World
from tests.portal.factories import OTHER_PERSONAL_ID, Person, make_citizen, make_online


@pytest.fixture
def online(world: World) -> World:
    make_online(world)
    return world


@pytest.fixture
def lan(db: None) -> Person:
    return make_citizen()


@pytest.fixture
def hung(db: None) -> Person:
    return make_citizen(
        "hung", personal_id=OTHER_PERSONAL_ID, full_name="Lê Văn Hùng", birth_date=dt.date(1990, 3, 2)
    )
