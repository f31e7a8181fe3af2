"""Reads the screens need that ``dossiers.selectors`` does not offer (yet).

Scoped exactly like the selectors (an official sees the dossiers their agency received,
holds or decides), read-only, one query each (one per tab for the counts). Candidates to move into
``dossiers.selectors`` when its owner takes them: ``count_worklists`` (the count on each
worklist tab, a handler's "to process" being only their own) and
``search_dossiers_by_code`` (the worklist's search box).
"""

from __future__ import annotations

from typing import Any

from django.db import connection
from django.db.models import F, Q

from motcua.dossiers.models import Dossier
from motcua.dossiers.selectors import Worklist
from motcua.kernel.actors import Actor

__all__ = ["COUNT_CAP", "count_worklists", "search_dossiers_by_code"]


def _worklist_filter(actor: Actor, name: str) -> Q:
    spec = Worklist.SPECS[name]
    scope = "receiving_desk_id" if spec.desk else "current_agency_id"
    condition = Q(state__in=spec.states, **{scope: actor.agency_id})
    if Worklist.holds_own_only(actor, name):
        condition &= Q(assignee_id=actor.user_id)
    return condition


# A tab shows "99+" past this (the usual badge): counting every open dossier of a large
# agency (tens of thousands) on every page view costs more than the number tells; with 1 M
# dossiers a capped count reads about 100 index entries (0.1–0.5 ms) where 1,000 took
# 0.5–4 ms a tab.
COUNT_CAP = 99


def count_worklists(actor: Actor) -> dict[str, int]:
    """Return the number of dossiers on each of ``actor``'s worklists, up to ``COUNT_CAP + 1``.

    One statement for every tab, ``SELECT (SELECT COUNT(*) FROM (… LIMIT n) …), …``: each
    count is an index range of the worklist's states (``(agency|desk, state, …)``,
    ``(assignee, agency, state, …)``) read for at most ``COUNT_CAP + 1`` entries, whatever
    the size of the agency, and a desk's four tabs cost one round trip, not four.
    """
    names = Worklist.for_actor(actor)
    if actor.agency_id is None or not names:
        return dict.fromkeys(names, 0)
    counts: list[str] = []
    params: list[Any] = []
    for name in names:
        capped = Dossier.objects.filter(_worklist_filter(actor, name)).values("pk")
        sql, sql_params = capped[: COUNT_CAP + 1].query.sql_with_params()
        counts.append(f"(SELECT COUNT(*) FROM ({sql}) AS capped)")  # noqa: S608 — ORM SQL, params apart
        params.extend(sql_params)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(counts)}", params)
        row = cursor.fetchone()
    return dict(zip(names, (int(value) for value in row), strict=True))


def search_dossiers_by_code(
    actor: Actor, text: str, *, fields: tuple[str, ...], limit: int = 50
) -> list[dict[str, Any]]:
    """Return the dossiers of ``actor``'s agency whose code contains ``text``, as dicts of
    ``fields`` (the worklist's row columns).

    A submission refused before it had a code is found by its exact reference.
    """
    needle = text.strip().upper()
    if actor.agency_id is None or not needle:
        return []
    agency = actor.agency_id
    visible = (
        Q(receiving_desk_id=agency) | Q(current_agency_id=agency) | Q(competent_agency_id=agency)
    )
    if actor.is_superuser:
        visible = Q()
    matches = Q(code__icontains=needle) | Q(reference=needle)
    return list(
        Dossier.objects.values(*fields)
        .filter(visible, matches)
        .order_by(F("due_at").asc(nulls_last=True), "pk")[:limit]
    )
