"""Fixtures shared by every test: actors, and the database vendor switch."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection

from motcua.kernel.actors import Actor, ActorKind


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (run with DATABASE_URL=postgres://…)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def system_actor() -> Actor:
    return Actor.system("tests")


@pytest.fixture
def signer() -> Actor:
    return Actor(
        kind=ActorKind.OFFICIAL,
        id="7",
        display_name="Lãnh đạo",
        agency_id=1,
        roles=frozenset({"signer"}),
    )


@pytest.fixture
def clerk() -> Actor:
    return Actor(
        kind=ActorKind.OFFICIAL,
        id="8",
        display_name="Chuyên viên",
        agency_id=1,
        roles=frozenset({"handler"}),
    )


@pytest.fixture(autouse=True)
def _fresh_process_caches() -> Iterator[None]:
    """Never let a test read a calendar or ids cached by an earlier, rolled-back test."""
    from motcua.catalog.selectors import clear_parts_cache
    from motcua.scoreboard.actions.incremental import resolver
    from motcua.scoreboard.facts import _version_cache
    from motcua.workdays.selectors import invalidate_calendar_cache

    def clear() -> None:
        cache.clear()  # the process's Django cache (locmem in tests): filter lists, pages
        invalidate_calendar_cache()
        # Per-process maps of ids (agency → unit, version → flags): a rolled-back test's
        # ids are reused by the next one.
        resolver.clear()
        _version_cache.clear()
        clear_parts_cache()  # a version's parts, by its id

    clear()
    yield
    clear()


@pytest.fixture(scope="session")
def _fake_eid_server() -> Iterator[Any]:
    from tests.identity.eid import serving_fake_eid

    with serving_fake_eid() as fake:
        yield fake


@pytest.fixture
def fake_eid(_fake_eid_server: Any, settings: Any) -> Iterator[Any]:
    """The local national e-ID provider, motcua's e-ID settings pointed at it.

    Yields ``tests.identity.eid.FakeEid`` (``.provider.faults`` makes it misbehave), one
    server for the test session, reset for every test. Log in with
    ``tests.identity.eid.log_in_with_eid(client, LEVEL2.login)``.
    """
    _fake_eid_server.reset()
    _fake_eid_server.point_settings(settings)
    yield _fake_eid_server
    _fake_eid_server.reset()
