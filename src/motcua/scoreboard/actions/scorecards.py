"""``do_refresh_scorecards``: score the leagues whose counters changed and store the cards.

A league is every active unit of one kind in one period: its ranks tie the units
together, so a change of one unit's counters re-scores its whole league (166 communes:
a few tens of milliseconds of Python), once for a burst of events. The counter upsert
appends the changed (period, unit) pairs to ``ScorecardDirty``; the refresh runs after
the relay's batch commits (``schedule_refresh``), from the tick, and on read when a page
finds its league dirty or never scored — so the stored cards always catch up with the
counters, and a page read right after an event shows it.

The relay's refresh runs at most once every ``SCOREBOARD_REFRESH_SECONDS`` (30) per
worker process: a paced drain commits twenty small batches a second, and scoring every
dirty league after each one was most of the worker's time (87 % at 100 messages/s);
once a second was still two thirds of it (a refresh of the demo province's leagues
took 0.4–0.6 s of CPU on the bench machine, bench/sync_bench.py). Skipping loses
nothing: the leagues stay marked dirty until the next batch past the interval, the
tick or a reader refreshes them.

Concurrent refreshes of one league are serialised (a transaction-level advisory lock on
PostgreSQL); the dirty rows of a league are deleted *before* it is scored, in the same
transaction, so an event committed after that leaves its row for the next refresh.
"""

from __future__ import annotations

import datetime as dt
import time
import zlib
from collections.abc import Iterable

from django.conf import settings
from django.db import connection, transaction

from motcua.kernel import clock
from motcua.scoreboard.models import ScorecardDirty, ScoreUnit, UnitScorecard
from motcua.scoreboard.periods import Period

__all__ = [
    "dirty_leagues",
    "do_refresh_scorecards",
    "refresh_league",
    "schedule_refresh",
]


def _next(period: Period) -> Period:
    return Period.containing(period.end, period.kind)


def _lock(kind: str, key: str, *, wait: bool) -> bool:
    if connection.vendor != "postgresql":
        return True
    lock = zlib.crc32(f"scoreboard:{kind}:{key}".encode())
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_xact_lock(7660, %s)", [lock - 2**31])
            return True
        cursor.execute("SELECT pg_try_advisory_xact_lock(7660, %s)", [lock - 2**31])
        return bool(cursor.fetchone()[0])


def refresh_league(
    kind: str,
    period: Period,
    *,
    now: dt.datetime | None = None,
    wait: bool = True,
    only_if_dirty: bool = False,
) -> bool:
    """Score every active unit of ``kind`` in ``period`` and store the cards.

    Return False when ``wait`` is off and another process is refreshing it right now
    (its result is as fresh). ``only_if_dirty``: do nothing when, once the lock is held,
    no change is left (a reader or another worker scored it meanwhile).
    """
    from motcua.scoreboard import selectors

    moment = now or clock.now()
    with transaction.atomic():
        if not _lock(kind, period.key, wait=wait):
            return False
        kind_units = ScoreUnit.objects.filter(kind=kind).values("pk")
        claimed, _ = ScorecardDirty.objects.filter(
            period=period.key, unit_id__in=kind_units
        ).delete()
        if only_if_dirty and not claimed:
            return True
        units = list(
            ScoreUnit.objects.filter(kind=kind, is_active=True)
            .select_related("parent")
            .order_by("name")
        )
        previous = period.previous()
        previous_totals: dict[int, float | None] | None = None
        if previous.has_started(moment):
            previous_totals = _stored_totals(kind, previous, len(units))
        rows = selectors.score_league(units, period, now=moment, previous_totals=previous_totals)
        UnitScorecard.objects.filter(period=period.key, kind=kind).delete()
        UnitScorecard.objects.filter(period=period.key, unit__in=units).delete()
        UnitScorecard.objects.bulk_create(
            UnitScorecard(
                period=period.key,
                unit=row.unit,
                kind=kind,
                total=row.total,
                band=row.scorecard.band or "",
                has_data=row.scorecard.has_data,
                groups={g.code: g.score for g in row.scorecard.groups},
                rank=row.rank,
                group_ranks=row.group_ranks,
                previous_total=row.previous_total,
                revision_count=row.revision_count,
                computed_at=moment,
            )
            for row in rows
        )
        # The next period's change is measured against these totals.
        totals = {row.unit.pk: row.total for row in rows}
        following = list(UnitScorecard.objects.filter(period=_next(period).key, kind=kind))
        moved = [card for card in following if card.previous_total != totals.get(card.unit_id)]
        for card in moved:
            card.previous_total = totals.get(card.unit_id)
        if moved:
            UnitScorecard.objects.bulk_update(moved, ["previous_total"])
    return True


def _stored_totals(kind: str, period: Period, expected: int) -> dict[int, float | None] | None:
    """The stored totals of a league if they are complete and current, else None."""
    kind_units = ScoreUnit.objects.filter(kind=kind).values("pk")
    if ScorecardDirty.objects.filter(period=period.key, unit_id__in=kind_units).exists():
        return None
    totals = dict(
        UnitScorecard.objects.filter(period=period.key, kind=kind).values_list("unit_id", "total")
    )
    return totals if len(totals) == expected else None


def dirty_leagues(periods: Iterable[str] | None = None) -> list[tuple[str, str]]:
    """Return the (kind, period key) leagues with changed counters, oldest period first."""
    queryset = ScorecardDirty.objects.all()
    if periods is not None:
        queryset = queryset.filter(period__in=list(periods))
    pairs = set(queryset.values_list("period", "unit_id").distinct())
    if not pairs:
        return []
    kinds = dict(ScoreUnit.objects.filter(pk__in={u for _, u in pairs}).values_list("pk", "kind"))
    leagues = {(kinds[u], p) for p, u in pairs if u in kinds}
    orphans = [u for _, u in pairs if u not in kinds]
    if orphans:  # a unit that no longer exists: nothing to score
        ScorecardDirty.objects.filter(unit_id__in=orphans).delete()
    return sorted(leagues, key=lambda league: (Period.parse(league[1]).start, league))


def do_refresh_scorecards(*, now: dt.datetime | None = None, wait: bool = True) -> int:
    """Refresh every league whose counters changed; return how many were scored."""
    moment = now or clock.now()
    done = 0
    for kind, key in dirty_leagues():
        if refresh_league(kind, Period.parse(key), now=moment, wait=wait, only_if_dirty=True):
            done += 1
    return done


class _Throttle:
    """When this process's relay last refreshed the scorecards (``time.monotonic()``)."""

    last = float("-inf")


def _refresh_after_commit() -> None:
    now = time.monotonic()
    if now - _Throttle.last < getattr(settings, "SCOREBOARD_REFRESH_SECONDS", 0):
        return  # still dirty: the next batch past the interval, the tick or a reader
    _Throttle.last = now
    do_refresh_scorecards()


def schedule_refresh() -> None:
    """Refresh the dirty leagues once the current transaction commits (once per batch)."""
    pending = getattr(connection, "run_on_commit", [])
    if any(item[1] is _refresh_after_commit for item in pending):
        return
    transaction.on_commit(_refresh_after_commit, robust=True)
