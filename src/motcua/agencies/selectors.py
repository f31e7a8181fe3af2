"""Reads of administrative units and agencies.

Everything here is public reference data (the list of communes, the agencies and their
codes), so no selector takes an actor; what an official may *do* to an agency is
decided in ``agencies.permissions`` and ``identity.permissions``.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from motcua.agencies.codes import normalize_agency_code
from motcua.agencies.errors import UnknownAdminUnit, UnknownAgency
from motcua.agencies.models import AdminUnit, AdminUnitLevel, AdminUnitScheme, Agency
from motcua.kernel import clock
from motcua.kernel.text import fold

__all__ = [
    "ancestor_ids",
    "descendant_ids",
    "descendants_of",
    "get_admin_unit",
    "get_agency",
    "get_agency_by_code",
    "list_admin_units",
    "list_agencies",
    "list_communes",
    "search_admin_units",
]

# Order of levels from the top, to pick one unit when a code exists at several levels.
_LEVEL_ORDER = [AdminUnitLevel.PROVINCE, AdminUnitLevel.DISTRICT, AdminUnitLevel.COMMUNE]


def _today() -> dt.date:
    return clock.local(clock.now()).date()


def _valid_on(day: dt.date) -> Q:
    return Q(valid_from__lte=day) & (Q(valid_to__isnull=True) | Q(valid_to__gt=day))


# --- administrative units -------------------------------------------------------------


def get_admin_unit(code: str, *, level: str | None = None, on: dt.date | None = None) -> AdminUnit:
    """Return the unit with ``code`` in force on ``on`` (default: today, Vietnam time).

    The same NSO code may name a legacy unit and its 2025 successor; the date picks
    one. Raise ``UnknownAdminUnit`` when no unit with that code (and ``level``) was in
    force on that day.
    """
    code = (code or "").strip()
    day = on or _today()
    units = AdminUnit.objects.select_related("parent").filter(_valid_on(day), code=code)
    if level is not None:
        units = units.filter(level=level)
    found = sorted(units, key=lambda unit: _LEVEL_ORDER.index(AdminUnitLevel(unit.level)))
    if not found:
        raise UnknownAdminUnit(params={"code": code})
    return found[0]


def list_admin_units(
    *,
    scheme: str | None = AdminUnitScheme.CURRENT,
    level: str | None = None,
    parent: AdminUnit | None = None,
    q: str | None = None,
) -> QuerySet[AdminUnit]:
    """Return units filtered by scheme (``None`` = both), level, parent and folded name.

    Ordered by ``id``, which is the package's order (provinces, then communes by code),
    so that callers can page with ``id__gt``.
    """
    units = AdminUnit.objects.select_related("parent", "successor").order_by("id")
    if scheme:
        units = units.filter(scheme=scheme)
    if level:
        units = units.filter(level=level)
    if parent is not None:
        units = units.filter(parent=parent)
    if q and fold(q):
        units = units.filter(Q(name_folded__contains=fold(q)) | Q(code=q.strip()))
    return units


def search_admin_units(
    q: str, *, level: str | None = None, scheme: str | None = AdminUnitScheme.CURRENT
) -> QuerySet[AdminUnit]:
    """Return units whose name contains ``q`` with or without diacritics, by name.

    ``search_admin_units("hac thanh")`` finds "Phường Hạc Thành"; an empty query finds
    nothing rather than everything.
    """
    folded = fold(q or "")
    if not folded:
        return AdminUnit.objects.none()
    units = AdminUnit.objects.select_related("parent").filter(name_folded__contains=folded)
    if scheme:
        units = units.filter(scheme=scheme)
    if level:
        units = units.filter(level=level)
    return units.order_by("name_folded", "id")


def list_communes(province_code: str, *, on: dt.date | None = None) -> QuerySet[AdminUnit]:
    """Return the communes, wards and special zones of a province in force on ``on``.

    For a legacy province the communes are found through its districts. Raise
    ``UnknownAdminUnit`` when the province does not exist on that day.
    """
    day = on or _today()
    province = get_admin_unit(province_code, level=AdminUnitLevel.PROVINCE, on=day)
    return (
        AdminUnit.objects.filter(_valid_on(day), level=AdminUnitLevel.COMMUNE)
        .filter(Q(parent=province) | Q(parent__parent=province))
        .order_by("code")
    )


# --- agencies -------------------------------------------------------------------------


def _agencies() -> QuerySet[Agency]:
    return Agency.objects.select_related("parent", "admin_unit")


def get_agency_by_code(code: str) -> Agency:
    """Return the agency with QCVN 102 code ``code``; raise ``UnknownAgency`` otherwise."""
    normalized = normalize_agency_code(code or "")
    try:
        return _agencies().get(code=normalized)
    except Agency.DoesNotExist:
        raise UnknownAgency(params={"code": code}) from None


def get_agency(agency_id: int) -> Agency:
    """Return the agency with primary key ``agency_id``; raise ``UnknownAgency`` otherwise."""
    try:
        return _agencies().get(pk=agency_id)
    except Agency.DoesNotExist:
        raise UnknownAgency(params={"code": agency_id}) from None


def list_agencies(
    *,
    kind: str | None = None,
    level: str | None = None,
    parent: Agency | None = None,
    admin_unit: AdminUnit | None = None,
    q: str | None = None,
    include_inactive: bool = False,
) -> QuerySet[Agency]:
    """Return agencies ordered by code, filtered as asked.

    ``q`` matches the folded name (``"tu phap"`` finds "Sở Tư pháp") or a code prefix.
    Inactive agencies are left out unless ``include_inactive``.
    """
    agencies = _agencies().order_by("code")
    if not include_inactive:
        agencies = agencies.filter(is_active=True)
    if kind:
        agencies = agencies.filter(kind=kind)
    if level:
        agencies = agencies.filter(level=level)
    if parent is not None:
        agencies = agencies.filter(parent=parent)
    if admin_unit is not None:
        agencies = agencies.filter(admin_unit=admin_unit)
    if q and fold(q):
        agencies = agencies.filter(
            Q(name_folded__contains=fold(q)) | Q(code__startswith=normalize_agency_code(q))
        )
    return agencies


def descendant_ids(agency_id: int) -> set[int]:
    """Return the ids of every agency below ``agency_id`` (not itself), one query per level."""
    found: set[int] = set()
    frontier = {agency_id}
    while frontier:
        children = (
            set(Agency.objects.filter(parent_id__in=frontier).values_list("id", flat=True))
            - found
            - {agency_id}
        )
        found |= children
        frontier = children
    return found


def descendants_of(agency: Agency) -> QuerySet[Agency]:
    """Return every agency below ``agency`` (children, their children…), ordered by code."""
    return _agencies().filter(id__in=descendant_ids(agency.pk)).order_by("code")


def ancestor_ids(agency_id: int) -> list[int]:
    """Return the ids above ``agency_id``, nearest first (parent, grandparent…)."""
    chain: list[int] = []
    current: int | None = (
        Agency.objects.filter(pk=agency_id).values_list("parent_id", flat=True).first()
    )
    while current is not None and current not in chain and current != agency_id:
        chain.append(current)
        current = Agency.objects.filter(pk=current).values_list("parent_id", flat=True).first()
    return chain
