"""``do_refresh_catalog_figures``: the catalogue's side of the index, per unit and period."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction

from motcua.kernel import clock
from motcua.kernel.actors import Actor
from motcua.scoreboard import counters
from motcua.scoreboard.actions.incremental import _resolve
from motcua.scoreboard.catalog_figures import compute_catalog_figures, load_catalog
from motcua.scoreboard.models import CatalogFigures, ScoreUnit
from motcua.scoreboard.periods import Period, periods_of

__all__ = ["do_refresh_catalog_figures", "live_periods"]


def live_periods(now: dt.datetime) -> list[Period]:
    """Return the periods that contain ``now`` (month, quarter, year)."""
    return list(periods_of(now))


def do_refresh_catalog_figures(
    *, actor: Actor, periods: Iterable[Period] | None = None, now: dt.datetime | None = None
) -> int:
    """Recompute the catalogue figures of ``periods`` (default: the live ones); return rows.

    Runs after a catalogue change (the consumer of ``catalog.procedure_version.*``), from
    ``motcua scoreboard tick`` and from the recomputation. A period that has ended gives
    the same figures each time (validity windows are history), so refreshing it is safe.
    """
    moment = now or clock.now()
    chosen = list(periods) if periods is not None else live_periods(moment)
    figures = compute_catalog_figures(
        chosen, now=moment, versions=load_catalog(), resolve_units=_resolve
    )
    with transaction.atomic():
        CatalogFigures.objects.filter(period__in=[p.key for p in chosen]).delete()
        CatalogFigures.objects.bulk_create(
            CatalogFigures(period=period, unit_id=unit, refreshed_at=moment, **values)
            for (period, unit), values in figures.items()
        )
        units = list(ScoreUnit.objects.values_list("pk", flat=True))
        counters.mark_dirty((p.key, u) for p in chosen for u in units)
    return len(figures)
