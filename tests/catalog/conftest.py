"""Fixtures of the catalogue tests: reference agencies and the actors who act."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from motcua.agencies.models import Agency
from motcua.identity.roles import Role
from motcua.kernel.actors import Actor, ActorKind
from tests.catalog.factories import make_agencies


@pytest.fixture
def agencies(db: None) -> dict[str, Agency]:
    return make_agencies()


@pytest.fixture
def catalog_admin() -> Actor:
    return Actor(
        kind=ActorKind.OFFICIAL,
        id="21",
        display_name="Quản trị danh mục",
        roles=frozenset({Role.CATALOG_ADMIN.value}),
    )


@pytest.fixture
def desk_officer() -> Actor:
    return Actor(
        kind=ActorKind.OFFICIAL,
        id="22",
        display_name="Cán bộ một cửa",
        agency_id=1,
        roles=frozenset({Role.DESK_OFFICER.value}),
    )


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Start every test with an empty cache (procedure pages are cached)."""
    cache.clear()
