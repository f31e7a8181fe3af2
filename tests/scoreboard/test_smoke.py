from __future__ import annotations

from tests.dossiers import flows
from tests.scoreboard.conftest import counters, relay


def test_a_received_dossier_is_counted(world, scored) -> None:
    flows.received(world, chain=False)
    relay()
    justice = scored["justice"]
    print(counters(justice, "2025-10"))
    print(counters(scored["province"], "2025-Q4"))
    assert counters(justice, "2025-10")["received"] == 1
