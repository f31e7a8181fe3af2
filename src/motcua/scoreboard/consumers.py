"""Outbox consumers that keep the scoreboard current (registered when the app loads).

* ``dossiers.dossier.*`` — the dossier's fact is refreshed after every event that can
  change it (``actions.FACT_TOPICS``); ``dossiers.dossier.rated`` goes to the inbox first.
* ``payments.order.paid`` and ``integration.portal.acknowledged`` — kept in the inbox,
  then the dossier's fact is refreshed.
* ``catalog.procedure_version.*`` — the live periods' catalogue figures are recomputed,
  once for a burst of publications (an import publishes hundreds at once).

Each is idempotent on the message id (see ``actions.incremental``). The stored
scorecards of the leagues whose counters moved are refreshed once the relay's batch
commits (``actions.scorecards.schedule_refresh``).
"""

from __future__ import annotations

from django.db.models import Max

from motcua.integration.consumers import consumer
from motcua.integration.models import OutboxMessage
from motcua.kernel import clock
from motcua.kernel.actors import Actor
from motcua.scoreboard import actions
from motcua.scoreboard.actions.catalog import live_periods
from motcua.scoreboard.actions.scorecards import schedule_refresh
from motcua.scoreboard.models import CatalogFigures

__all__ = ["on_catalog_event", "on_dossier_event", "on_payment", "on_portal_ack"]

ACTOR = Actor.system("scoreboard")


def _apply(messages: list[OutboxMessage]) -> dict[int, str]:
    # One refresh of the batch's dossiers (one lock, one extraction); a payload that breaks
    # its contract fails only its own message.
    changed, failures = actions.do_apply_events(messages, actor=ACTOR)
    if changed:
        schedule_refresh()
    return failures


@consumer("dossiers.dossier.*", name="scoreboard.dossiers", batch=True)
def on_dossier_event(messages: list[OutboxMessage]) -> dict[int, str]:
    return _apply(messages)


@consumer("payments.order.paid", name="scoreboard.payments", batch=True)
def on_payment(messages: list[OutboxMessage]) -> dict[int, str]:
    return _apply(messages)


@consumer("integration.portal.acknowledged", name="scoreboard.portal", batch=True)
def on_portal_ack(messages: list[OutboxMessage]) -> dict[int, str]:
    return _apply(messages)


@consumer("catalog.procedure_version.*", name="scoreboard.catalog")
def on_catalog_event(message: OutboxMessage) -> None:
    now = clock.now()
    keys = [p.key for p in live_periods(now)]
    last = CatalogFigures.objects.filter(period__in=keys).aggregate(at=Max("refreshed_at"))["at"]
    if last is not None and last >= message.created_at:
        return  # already refreshed after this change
    actions.do_refresh_catalog_figures(actor=ACTOR, now=now)
    schedule_refresh()
