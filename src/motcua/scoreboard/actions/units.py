"""``do_sync_units``: make the evaluated units match the agencies."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from motcua.kernel.actors import Actor
from motcua.scoreboard.models import ScoreUnit, UnitScorecard
from motcua.scoreboard.units import plan_units

__all__ = ["do_sync_units"]


def do_sync_units(*, actor: Actor) -> int:
    """Create the missing units and update names, kinds and parents; return how many changed.

    Safe to run any time (the consumers run it when a dossier's agency has no unit yet).
    Units whose agency stopped being one are kept but marked inactive, so their history
    stays readable.
    """
    from motcua.scoreboard.actions.incremental import resolver

    changed = 0
    with transaction.atomic():
        planned = plan_units()
        existing = {u.agency_id: u for u in ScoreUnit.objects.all()}
        # Parents first: provinces and ministries have none.
        planned.sort(key=lambda p: p.parent_agency_id is not None)
        for item in planned:
            agency = item.agency
            unit = existing.get(agency.pk)
            parent = existing.get(item.parent_agency_id) if item.parent_agency_id else None
            values: dict[str, Any] = {
                "code": agency.code,
                "name": agency.name,
                "short_name": agency.short_name,
                "kind": item.kind,
                "parent_id": parent.pk if parent is not None else None,
                "is_active": True,
            }
            if unit is None:
                unit = ScoreUnit.objects.create(agency=agency, **values)
                existing[agency.pk] = unit
                changed += 1
            elif any(getattr(unit, name) != value for name, value in values.items()):
                ScoreUnit.objects.filter(pk=unit.pk).update(**values)
                changed += 1
        keep = {item.agency.pk for item in planned}
        changed += (
            ScoreUnit.objects.filter(is_active=True)
            .exclude(agency_id__in=keep)
            .update(is_active=False)
        )
        if changed:
            resolver.units_changed()
            # The leagues' members changed: every stored card is scored again on read.
            UnitScorecard.objects.all().delete()
    return changed
