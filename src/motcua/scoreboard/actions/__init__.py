"""The scoreboard's write path (every write of its tables goes through these).

``do_apply_event`` (the outbox consumers), ``do_refresh_facts``, ``do_sweep_facts``,
``do_sync_units``, ``do_refresh_catalog_figures``, ``do_create_profile`` and
``do_recompute_year`` (the audit recomputation), ``do_refresh_scorecards`` (the stored
cards the pages read).
"""

from motcua.scoreboard.actions.catalog import do_refresh_catalog_figures
from motcua.scoreboard.actions.incremental import (
    FACT_TOPICS,
    do_apply_event,
    do_apply_events,
    do_refresh_facts,
    do_sweep_facts,
    resolver,
)
from motcua.scoreboard.actions.profiles import do_create_profile
from motcua.scoreboard.actions.recompute import RecomputeReport, do_recompute_year
from motcua.scoreboard.actions.scorecards import do_refresh_scorecards
from motcua.scoreboard.actions.units import do_sync_units

__all__ = [
    "FACT_TOPICS",
    "RecomputeReport",
    "do_apply_event",
    "do_apply_events",
    "do_create_profile",
    "do_recompute_year",
    "do_refresh_catalog_figures",
    "do_refresh_facts",
    "do_refresh_scorecards",
    "do_sweep_facts",
    "do_sync_units",
    "resolver",
]
