"""Fixtures of the portal tests: the dossier world offered online, two citizens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from motcua.workdays.selectors import invalidate_calendar_cache
from tests.dossiers.conftest import Clock, fast_pdf, frozen, real_pdf  # noqa: F401
from tests.dossiers.factories import World, make_world
from tests.portal.factories import OTHER_PERSONAL_ID, Person, make_citizen, make_online


@pytest.fixture
def world(db: None, frozen: Clock) -> Iterator[World]:  # noqa: F811
    invalidate_calendar_cache()
    world = make_world()
    make_online(world)
    yield world
    invalidate_calendar_cache()


@pytest.fixture
def online(world: World) -> World:
    return world


@pytest.fixture
def lan(db: None) -> Person:
    return make_citizen()


@pytest.fixture
def hung(db: None) -> Person:
    return make_citizen(
        "hung",
        personal_id=OTHER_PERSONAL_ID,
        full_name="Lê Văn Hùng",
        birth_date=dt.date(1990, 3, 2),
    )
