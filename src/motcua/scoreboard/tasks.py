"""Background work of the scoreboard (``django.tasks``): the periodic tick.

``tick`` is meant to run every few minutes (a timer, or ``motcua scoreboard tick`` from
cron): it moves dossiers whose due date passed to "overdue" in their live periods and
refreshes the live periods' catalogue figures, then the stored scorecards of the leagues
that changed.
"""

from __future__ import annotations

from django.tasks import task

from motcua.kernel.actors import Actor
from motcua.scoreboard import actions

__all__ = ["tick"]


@task()
def tick() -> int:
    """Apply the passage of time; return how many facts changed."""
    actor = Actor.system("scoreboard-tick")
    swept = actions.do_sweep_facts(actor=actor)
    actions.do_refresh_catalog_figures(actor=actor)
    actions.do_refresh_scorecards()
    return swept
