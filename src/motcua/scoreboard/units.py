"""Which agencies are evaluated units, and which unit a dossier counts for (§11.2, §14).

A unit is an agency of one of four kinds: a ministry, a provincial People's Committee
(the province), a department or other provincial-level body (vertical-sector agencies
and units of a ministry included), a commune People's Committee. A dossier counts for
the unit of its competent agency — the agency itself or the nearest one above it that
is a unit — and for that unit's parent (a department's or commune's province).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from motcua.agencies.models import AdminUnitLevel, Agency, AgencyKind
from motcua.scoreboard.enums import UnitKind
from motcua.scoreboard.models import ScoreUnit

__all__ = ["PlannedUnit", "UnitResolver", "plan_units", "unit_kind_of"]

_KINDS: dict[str, str] = {
    AgencyKind.MINISTRY: UnitKind.MINISTRY,
    AgencyKind.PROVINCIAL_PC: UnitKind.PROVINCE,
    AgencyKind.DEPARTMENT: UnitKind.DEPARTMENT,
    AgencyKind.VERTICAL_SECTOR: UnitKind.DEPARTMENT,
    AgencyKind.MINISTRY_UNIT: UnitKind.DEPARTMENT,
    AgencyKind.COMMUNE_PC: UnitKind.COMMUNE,
}
_TOP = frozenset({UnitKind.MINISTRY, UnitKind.PROVINCE})


def unit_kind_of(kind: str) -> str | None:
    return _KINDS.get(kind)


@dataclass(frozen=True)
class PlannedUnit:
    agency: Agency
    kind: str
    parent_agency_id: int | None


def plan_units() -> list[PlannedUnit]:
    """Return every agency that is a unit, with the agency of its parent unit."""
    agencies = {a.pk: a for a in Agency.objects.select_related("admin_unit__parent")}
    province_pc: dict[int, int] = {}
    for agency in agencies.values():
        if agency.kind == AgencyKind.PROVINCIAL_PC and agency.admin_unit_id is not None:
            province_pc[agency.admin_unit_id] = agency.pk
    planned: list[PlannedUnit] = []
    for agency in agencies.values():
        kind = unit_kind_of(agency.kind)
        if kind is None or not agency.is_active:
            continue
        parent: int | None = None
        if kind not in _TOP:
            cursor = agencies.get(agency.parent_id) if agency.parent_id else None
            while cursor is not None:
                if unit_kind_of(cursor.kind) in _TOP:
                    parent = cursor.pk
                    break
                cursor = agencies.get(cursor.parent_id) if cursor.parent_id else None
            if parent is None and agency.admin_unit is not None:
                unit = agency.admin_unit
                province = unit if unit.level == AdminUnitLevel.PROVINCE else unit.parent
                if province is not None:
                    parent = province_pc.get(province.pk)
        planned.append(PlannedUnit(agency, kind, parent))
    return planned


class UnitResolver:
    """Agency id → (unit id, parent unit id), read once from the units and agencies.

    ``resolve`` answers None for an agency outside every unit; ``reload`` re-reads (after
    new units were created). The map is shared by the threads of a process, so it only
    ever holds committed units: after ``units_changed()`` (units written by the current
    transaction) this thread resolves from a fresh, uncached read until that transaction
    ends, and the shared map is dropped when it commits. A rolled-back transaction
    therefore leaves no unit id behind that a later counter row would point to.
    """

    def __init__(self) -> None:
        self._map: dict[int, tuple[int, int | None] | None] | None = None
        self._flux = threading.local()

    @staticmethod
    def _read() -> dict[int, tuple[int, int | None] | None]:
        units = {
            agency_id: (pk, parent_id)
            for pk, agency_id, parent_id in ScoreUnit.objects.filter(is_active=True).values_list(
                "pk", "agency_id", "parent_id"
            )
        }
        parents = dict(Agency.objects.values_list("pk", "parent_id"))
        resolved: dict[int, tuple[int, int | None] | None] = {}
        for agency_id in parents:
            cursor: int | None = agency_id
            seen = 0
            while cursor is not None and cursor not in units and seen < 20:
                cursor = parents.get(cursor)
                seen += 1
            resolved[agency_id] = units.get(cursor) if cursor is not None else None
        return resolved

    def reload(self) -> None:
        self._map = self._read()

    def units_changed(self) -> None:
        """Note that the current transaction wrote units (call inside it)."""
        self._flux.block = _outermost_block()
        transaction.on_commit(self._settled)

    def _settled(self) -> None:
        self._flux.block = None
        self.clear()

    def _in_flux(self) -> bool:
        block = getattr(self._flux, "block", None)
        if block is None:
            return False
        if block is _outermost_block():
            return True
        # That transaction ended without commit: what it wrote is gone, nothing was cached.
        self._flux.block = None
        return False

    def resolve(self, agency_id: int) -> tuple[int, int | None] | None:
        if self._in_flux():
            return self._read().get(agency_id)
        current = self._map
        if current is None or agency_id not in current:
            self.reload()
            current = self._map
        assert current is not None
        return current.get(agency_id)

    def clear(self) -> None:
        self._map = None


def _outermost_block() -> Any:
    blocks = connection.atomic_blocks
    return blocks[0] if blocks else None
