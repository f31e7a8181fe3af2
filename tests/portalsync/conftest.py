"""Fixtures of the portal sync tests: the dossier world, and a fake portal on a free port."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import override_settings

from motcua.integration.adapters.dvcqg.client import _tokens
from motcua.integration.adapters.dvcqg.fake import PortalFake
from motcua.integration.fakes import FakeServer
from motcua.integration.relay import relay_batch
from tests.dossiers.conftest import fast_pdf, frozen, lan, online, world  # noqa: F401  (fixtures)


@pytest.fixture
def portal() -> Iterator[FakeServer]:
    """The fake portal (no seeded dossiers) with the sync switched on and pointed at it."""
    _tokens.clear()
    with (
        FakeServer(PortalFake()) as server,
        override_settings(DVCQG_SYNC_ENABLED=True, DVCQG_URL=server.url, DVCQG_TIMEOUT_SECONDS=2),
    ):
        yield server
    _tokens.clear()


def drain(limit: int = 50) -> None:
    """Relay until nothing is due (the clock is frozen: retries are not due)."""
    for _ in range(limit):
        if not relay_batch().claimed:
            return
    raise AssertionError("the outbox did not drain")
