"""The stored scorecards (``UnitScorecard``) the pages read: they agree exactly with a
scoring of the counters, follow every event (on read, and after the relay's commit), and
the change against the previous period follows a late event of that period."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.scoreboard import selectors
from motcua.scoreboard.actions import scorecards
from motcua.scoreboard.actions.scorecards import dirty_leagues, do_refresh_scorecards
from motcua.scoreboard.models import ScorecardDirty, ScoreUnit, UnitScorecard
from motcua.scoreboard.periods import Period
from tests.dossiers import flows
from tests.dossiers.conftest import Clock, local
from tests.dossiers.factories import World
from tests.scoreboard.conftest import relay

PERIODS = ("2025-10", "2025-Q4", "2025")


def _agrees_with_the_counters(kind: str, key: str) -> list[dict[str, Any]]:
    """Assert that the stored league is what scoring the counters now gives; return it."""
    period = Period.parse(key)
    summary = selectors.get_league_summary(kind, period)
    expected = selectors.get_league_table(kind, period)
    assert [
        (r["code"], r["rank"], r["total"], r["band"], r["has_data"], r["groups"], r["delta"])
        for r in summary["rows"]
    ] == [
        (
            r.unit.code,
            r.rank,
            r.total,
            r.scorecard.band,
            r.scorecard.has_data,
            {g.code: g.score for g in r.scorecard.groups},
            r.delta,
        )
        for r in expected.rows
    ]
    return list(summary["rows"])


@pytest.fixture
def data(world: World, scored: dict[str, Any], frozen: Clock) -> dict[str, Any]:
    flows.result_ready(world)  # Sở Tư pháp, on time
    flows.received(world)  # Sở Tư pháp, open
    relay()
    return scored


def test_stored_cards_agree_with_the_counters_and_follow_each_event(
    world: World, data: dict[str, Any], frozen: Clock
) -> None:
    for key in PERIODS:
        for kind in ("department", "province"):
            _agrees_with_the_counters(kind, key)
    assert ScorecardDirty.objects.count() == 0  # the reads refreshed what the events marked
    before = UnitScorecard.objects.get(unit=data["justice"], period="2025-Q4")
    assert before.total is not None

    flows.received(world)  # one more open dossier at Sở Tư pháp
    relay()
    assert ("department", "2025-Q4") in dirty_leagues()
    rows = _agrees_with_the_counters("department", "2025-Q4")
    justice = next(r for r in rows if r["unit_id"] == data["justice"].pk)
    after = UnitScorecard.objects.get(unit=data["justice"], period="2025-Q4")
    assert after.computed_at >= before.computed_at
    assert justice["total"] == after.total
    unit = selectors.get_unit_score(data["justice"], Period.parse("2025-Q4"))
    assert unit.scorecard.total == after.total
    assert unit.rank == after.rank == 1
    assert unit.figures["received"] == 3


def test_the_relay_refreshes_the_cards_after_its_batch_commits(
    world: World, scored: dict[str, Any], frozen: Clock, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        flows.result_ready(world)
        flows.received(world)
        relay()
    refreshes = [c for c in callbacks if c.__name__ == "_refresh_after_commit"]
    assert len(refreshes) == 1  # once for the batch, not once per event
    assert not ScorecardDirty.objects.exists()
    assert do_refresh_scorecards() == 0  # nothing left to do
    card = UnitScorecard.objects.get(unit=scored["justice"], period="2025-Q4")
    expected = selectors.get_league_table("department", Period.parse("2025-Q4"))
    assert card.total == next(r.total for r in expected.rows if r.unit.pk == scored["justice"].pk)
    assert card.rank == 1


def test_the_relays_refresh_waits_its_interval_and_the_league_stays_dirty_meanwhile(
    world: World,
    scored: dict[str, Any],
    frozen: Clock,
    django_capture_on_commit_callbacks: Any,
    settings: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    settings.SCOREBOARD_REFRESH_SECONDS = 60
    monkeypatch.setattr(scorecards._Throttle, "last", float("-inf"))
    with django_capture_on_commit_callbacks(execute=True):
        flows.received(world)
        relay()  # the first batch of the process refreshes
    assert not ScorecardDirty.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        flows.result_ready(world)
        relay()  # within the interval: left to the next batch, the tick or a reader
    assert ScorecardDirty.objects.exists()
    assert dirty_leagues()
    scorecards._refresh_after_commit()  # another batch, still within the interval
    assert ScorecardDirty.objects.exists()
    monkeypatch.setattr(scorecards._Throttle, "last", float("-inf"))  # the interval passed
    scorecards._refresh_after_commit()  # the next batch scores what waited
    assert not ScorecardDirty.objects.exists()
    assert do_refresh_scorecards() == 0


def test_a_late_event_of_the_previous_period_moves_the_change(
    world: World, data: dict[str, Any], frozen: Clock
) -> None:
    october, november = Period.parse("2025-10"), Period.parse("2025-11")
    _agrees_with_the_counters("department", "2025-10")
    frozen.set(local(2025, 11, 20, 9))
    flows.result_ready(world)  # a November dossier
    relay()
    _agrees_with_the_counters("department", "2025-11")
    stored = UnitScorecard.objects.get(unit=data["justice"], period=november.key)
    october_card = UnitScorecard.objects.get(unit=data["justice"], period=october.key)
    assert stored.previous_total == october_card.total
    # October's counters change (a dossier counted there); November's change follows.
    frozen.set(local(2025, 10, 20, 9))
    flows.received(world)
    frozen.set(local(2025, 11, 21, 9))
    relay()
    do_refresh_scorecards()
    moved = UnitScorecard.objects.get(unit=data["justice"], period=october.key)
    assert moved.total != october_card.total  # one more open dossier in October
    stored = UnitScorecard.objects.get(unit=data["justice"], period=november.key)
    assert stored.previous_total == moved.total
    _agrees_with_the_counters("department", "2025-11")


def test_the_trend_reads_the_stored_month_cards(data: dict[str, Any]) -> None:
    points = selectors.get_unit_trend(data["justice"], 2025)
    months = {p.period.key: p for p in points}
    october = UnitScorecard.objects.get(unit=data["justice"], period="2025-10")
    assert months["2025-10"].total == october.total is not None
    assert months["2025-10"].groups == october.groups
    assert months["2025-01"].total is None  # no dossier, no catalogue: no score


def test_a_unit_sync_rescores_every_league(world: World, data: dict[str, Any]) -> None:
    from motcua.scoreboard.actions import do_sync_units
    from tests.scoreboard.conftest import ACTOR

    selectors.get_league_summary("department", Period.parse("2025-Q4"))
    ScoreUnit.objects.filter(pk=data["construction"].pk).update(name="Tên cũ")
    assert do_sync_units(actor=ACTOR) == 1
    assert not UnitScorecard.objects.exists()
    rows = _agrees_with_the_counters("department", "2025-Q4")
    assert "Sở Xây dựng tỉnh Thanh Hóa" in [r["name"] for r in rows]


def test_the_league_page_shows_a_new_scoring_at_once(
    client: Client, world: World, data: dict[str, Any], settings: Any
) -> None:
    settings.SCOREBOARD_CACHE_SECONDS = 300  # the rendered table is cached per scoring
    url = "/chi-so-phuc-vu/?ky=2025-Q4&loai=department"
    client.get(url)
    flows.received(world)
    relay()
    summary = selectors.get_league_summary("department", Period.parse("2025-Q4"))
    third = client.get(url).content.decode()
    assert summary["stamp"]
    justice = next(r for r in summary["rows"] if r["unit_id"] == data["justice"].pk)
    assert f"{justice['total']:.2f}".replace(".", ",") in third
