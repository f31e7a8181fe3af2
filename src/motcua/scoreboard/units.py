"""Which agencies are evaluated units, and which unit a dossier counts for (§11.2, §14).

A unit is an agency of one of four kinds: a ministry, a provincial People's Committee
(the province), a department or other provincial-level body (vertical-sector agencies
and units of a ministry included), a commune People's Committee. A dossier counts for
the unit of its competent agency — the agency itself or the nearest one above it that
is a unit — and for that unit's parent (a department's or commune's province).
"""

from __future__ import annotations

from dataclasses import dataclass

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
    new units were created).
    """

    def __init__(self) -> None:
        self._map: dict[int, tuple[int, int | None] | None] | None = None

    def reload(self) -> None:
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
        self._map = resolved

    def resolve(self, agency_id: int) -> tuple[int, int | None] | None:
        if self._map is None or agency_id not in self._map:
            self.reload()
        assert self._map is not None
        return self._map.get(agency_id)

    def clear(self) -> None:
        self._map = None
