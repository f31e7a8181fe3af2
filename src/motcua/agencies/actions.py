"""The write path of agencies and administrative units.

Every function validates first (nothing is written when it raises), then writes in
one transaction with one audit row. The transactions are not ``durable``: the demo
loader and the Django admin call these inside their own transaction.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, fields
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from motcua.agencies import loading
from motcua.agencies.checks import AgencyDraft, check_agency, duplicate_code_error
from motcua.agencies.codes import normalize_agency_code, parse_agency_code
from motcua.agencies.errors import (
    AgencyAlreadyInactive,
    AgencyHasActiveChildren,
    InvalidAgency,
    UnknownAdminUnit,
    UnknownAgency,
)
from motcua.agencies.models import (
    REFORM_DATE,
    AdminUnit,
    AdminUnitLevel,
    AdminUnitScheme,
    AdminUnitSuccession,
    Agency,
    AgencyKind,
    AgencyLevel,
)
from motcua.agencies.permissions import check_can_manage_agency, check_can_place_under
from motcua.agencies.selectors import get_admin_unit, get_agency_by_code
from motcua.audit import actions as audit
from motcua.kernel import clock
from motcua.kernel.actors import Actor
from motcua.kernel.text import fold

__all__ = [
    "UPDATABLE_FIELDS",
    "AdminUnitLoadReport",
    "do_create_agency",
    "do_deactivate_agency",
    "do_load_admin_units",
    "do_update_agency",
]

AGENCY = "agencies.agency"
UPDATABLE_FIELDS = frozenset(
    {
        "code", "name", "short_name", "kind", "level", "parent_code", "admin_unit_code",
        "is_vertical_sector", "address", "phone", "email", "portal_department_id",
        "valid_from", "valid_to",
    }
)  # fmt: skip
_UNIT_LEVEL = {
    AgencyLevel.PROVINCE: AdminUnitLevel.PROVINCE,
    AgencyLevel.COMMUNE: AdminUnitLevel.COMMUNE,
}


def _resolve_parent(parent_code: str | None) -> Agency | None:
    if not parent_code:
        return None
    try:
        return get_agency_by_code(parent_code)
    except UnknownAgency as error:
        error.field_errors = {"parent_code": [error.message]}
        raise


def _resolve_admin_unit(code: str | None, *, level: str, on: dt.date) -> AdminUnit | None:
    # Prefer the unit at the agency's level; else take any level, so that the check can
    # say "38 is a province, not a commune" rather than "no such unit".
    if not code:
        return None
    unit_level = _UNIT_LEVEL.get(level)  # type: ignore[call-overload]
    try:
        if unit_level is not None:
            try:
                return get_admin_unit(code, level=unit_level, on=on)
            except UnknownAdminUnit:
                pass
        return get_admin_unit(code, on=on)
    except UnknownAdminUnit as error:
        error.field_errors = {"admin_unit_code": [error.message]}
        raise


def _snapshot(agency: Agency) -> dict[str, Any]:
    return {
        "code": agency.code,
        "name": agency.name,
        "kind": agency.kind,
        "level": agency.level,
        "parent": agency.parent.code if agency.parent else None,
        "admin_unit": agency.admin_unit.code if agency.admin_unit else None,
    }


def do_create_agency(
    *,
    actor: Actor,
    code: str,
    name: str,
    kind: str,
    level: str,
    parent_code: str | None = None,
    admin_unit_code: str | None = None,
    short_name: str = "",
    is_vertical_sector: bool | None = None,
    address: str = "",
    phone: str = "",
    email: str = "",
    portal_department_id: str = "",
    valid_from: dt.date = REFORM_DATE,
    valid_to: dt.date | None = None,
) -> Agency:
    """Create an agency on behalf of ``actor`` and return it.

    ``parent_code`` and ``admin_unit_code`` name the parent agency (QCVN 102 code) and
    the province or commune (NSO code, in force on ``valid_from``). Raise
    ``InvalidAgencyCode``, ``UnknownAgency``, ``UnknownAdminUnit``,
    ``AgencyPermissionDenied`` (only a system administrator, or an agency
    administrator under their own agency), ``InvalidAgency`` (inconsistent fields) or
    ``DuplicateAgencyCode``; nothing is written then.
    """
    code = normalize_agency_code(code)
    parse_agency_code(code)
    draft = AgencyDraft(code=code, name=name.strip(), kind=kind, level=level)
    draft.parent = _resolve_parent(parent_code)
    check_can_place_under(actor, draft.parent)
    draft.admin_unit = _resolve_admin_unit(admin_unit_code, level=level, on=valid_from)
    draft.short_name = short_name.strip()
    draft.is_vertical_sector = (
        kind == AgencyKind.VERTICAL_SECTOR if is_vertical_sector is None else is_vertical_sector
    )
    draft.address, draft.phone, draft.email = address.strip(), phone.strip(), email.strip()
    draft.portal_department_id = portal_department_id.strip()
    draft.valid_from, draft.valid_to = valid_from, valid_to
    check_agency(draft)
    with transaction.atomic():
        agency = Agency(name_folded=fold(draft.name), **_values(draft))
        try:
            with transaction.atomic():
                agency.save(force_insert=True)
        except IntegrityError:
            raise duplicate_code_error(code) from None
        audit.record(
            actor=actor,
            action="agencies.agency.created",
            aggregate_type=AGENCY,
            aggregate_id=agency.pk,
            data=_snapshot(agency),
        )
    return agency


def do_update_agency(agency: Agency, *, actor: Actor, **changes: Any) -> Agency:
    """Apply ``changes`` (keys of ``UPDATABLE_FIELDS``) to ``agency``; return it.

    The whole resulting agency is checked as on creation; the actor must be allowed to
    manage the agency and, when it moves, to place it under the new parent. A change
    that changes nothing writes nothing. Raise the errors of ``do_create_agency``, or
    ``InvalidAgency`` for an unknown field.
    """
    unknown = sorted(set(changes) - UPDATABLE_FIELDS)
    if unknown:
        raise InvalidAgency(
            field_errors={field: [_("Trường này không thể sửa.")] for field in unknown}
        )
    check_can_manage_agency(actor, agency)
    draft = AgencyDraft(**{f.name: getattr(agency, f.name) for f in fields(AgencyDraft)})
    for field, value in changes.items():
        if field in ("parent_code", "admin_unit_code"):
            continue
        setattr(draft, field, value.strip() if isinstance(value, str) else value)
    draft.code = normalize_agency_code(draft.code)
    if "parent_code" in changes:
        draft.parent = _resolve_parent(changes["parent_code"])
        if draft.parent != agency.parent:
            check_can_place_under(actor, draft.parent)
    if "admin_unit_code" in changes:
        draft.admin_unit = _resolve_admin_unit(
            changes["admin_unit_code"], level=draft.level, on=draft.valid_from or REFORM_DATE
        )
    check_agency(draft, instance=agency)
    diff = _diff(agency, draft)
    if not diff:
        return agency
    with transaction.atomic():
        for field in diff:
            setattr(agency, field, getattr(draft, field))
        agency.name_folded = fold(agency.name)
        try:
            with transaction.atomic():
                agency.save(update_fields=[*diff, "name_folded"])
        except IntegrityError:
            raise duplicate_code_error(draft.code) from None
        audit.record(
            actor=actor,
            action="agencies.agency.updated",
            aggregate_type=AGENCY,
            aggregate_id=agency.pk,
            data={
                "changes": {field: [_plain(old), _plain(new)] for field, (old, new) in diff.items()}
            },
        )
    return agency


def _values(draft: AgencyDraft) -> dict[str, Any]:
    # Not dataclasses.asdict(): it would deep-copy the parent and admin-unit instances.
    return {f.name: getattr(draft, f.name) for f in fields(draft)}


def _plain(value: Any) -> Any:
    if isinstance(value, Agency | AdminUnit):
        return value.code
    return value


def _diff(agency: Agency, draft: AgencyDraft) -> dict[str, tuple[Any, Any]]:
    diff: dict[str, tuple[Any, Any]] = {}
    for f in fields(AgencyDraft):
        old, new = getattr(agency, f.name), getattr(draft, f.name)
        if old != new:
            diff[f.name] = (old, new)
    return diff


def do_deactivate_agency(agency: Agency, *, actor: Actor, reason: str = "") -> Agency:
    """Mark ``agency`` as no longer operating from today (Vietnam time); return it.

    Raise ``AgencyPermissionDenied``, ``AgencyAlreadyInactive`` or
    ``AgencyHasActiveChildren`` (deactivate the children first); nothing is written then.
    """
    check_can_manage_agency(actor, agency)
    if not agency.is_active:
        raise AgencyAlreadyInactive()
    active_children = agency.children.filter(is_active=True).count()
    if active_children:
        raise AgencyHasActiveChildren(params={"count": active_children})
    today = clock.local(clock.now()).date()
    with transaction.atomic():
        agency.is_active = False
        update = ["is_active"]
        if agency.valid_to is None and today > agency.valid_from:
            agency.valid_to = today
            update.append("valid_to")
        agency.save(update_fields=update)
        audit.record(
            actor=actor,
            action="agencies.agency.deactivated",
            aggregate_type=AGENCY,
            aggregate_id=agency.pk,
            data={"code": agency.code, "reason": reason, "valid_to": agency.valid_to},
        )
    return agency


@dataclass(frozen=True)
class AdminUnitLoadReport:
    created: int
    updated: int
    successions_created: int
    skipped_successions: int

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.successions_created)


def do_load_admin_units(*, actor: Actor, include_legacy: bool = True) -> AdminUnitLoadReport:
    """Create or refresh the administrative units from the ``vietnam-provinces`` package.

    Load the 2025 scheme (34 provinces, 3,321 communes) and, with ``include_legacy``,
    the 2004 scheme (63 provinces, 696 districts, 10,051 communes) with their
    successors. Idempotent: a second run writes nothing, not even an audit row.
    Conversion pairs that name a unit missing from the package's lists are skipped
    and counted.
    """
    rows = loading.current_units()
    successions: list[loading.SuccessionRow] = []
    if include_legacy:
        rows += loading.legacy_units()
        successions = loading.legacy_successions()
    schemes = sorted({row.scheme for row in rows})
    with transaction.atomic():
        created, updated = _upsert_units(rows)
        ids = _unit_ids(schemes)
        wanted = [s for s in successions if s.predecessor in ids and s.successor in ids]
        existing = set(AdminUnitSuccession.objects.values_list("predecessor_id", "successor_id"))
        new_pairs = [
            AdminUnitSuccession(
                predecessor_id=ids[s.predecessor],
                successor_id=ids[s.successor],
                is_partial=s.is_partial,
            )
            for s in wanted
            if (ids[s.predecessor], ids[s.successor]) not in existing
        ]
        AdminUnitSuccession.objects.bulk_create(new_pairs, batch_size=2000)
        report = AdminUnitLoadReport(
            created, updated, len(new_pairs), len(successions) - len(wanted)
        )
        if report.changed:
            audit.record(
                actor=actor,
                action="agencies.admin_units.loaded",
                aggregate_type="agencies.admin_unit_scheme",
                aggregate_id="+".join(schemes),
                data=asdict(report) | {"source": _package_version()},
            )
    return report


def _package_version() -> str:
    import vietnam_provinces

    return (
        f"vietnam-provinces {vietnam_provinces.__version__} ({vietnam_provinces.__data_version__})"
    )


def _unit_ids(schemes: list[str]) -> dict[loading.UnitKey, int]:
    return {
        (scheme, level, code): pk
        for pk, scheme, level, code in AdminUnit.objects.filter(scheme__in=schemes).values_list(
            "id", "scheme", "level", "code"
        )
    }


def _upsert_units(rows: list[loading.UnitRow]) -> tuple[int, int]:
    # Parents before children and 2025 units before the legacy ones that point to them,
    # so every reference resolves through the id map refreshed after each batch.
    order: dict[tuple[str, str], int] = {
        (AdminUnitScheme.CURRENT, AdminUnitLevel.PROVINCE): 0,
        (AdminUnitScheme.CURRENT, AdminUnitLevel.COMMUNE): 1,
        (AdminUnitScheme.LEGACY, AdminUnitLevel.PROVINCE): 2,
        (AdminUnitScheme.LEGACY, AdminUnitLevel.DISTRICT): 3,
        (AdminUnitScheme.LEGACY, AdminUnitLevel.COMMUNE): 4,
    }
    schemes = sorted({row.scheme for row in rows})
    existing = {
        (u.scheme, u.level, u.code): u
        for u in AdminUnit.objects.filter(scheme__in=schemes).only(
            "id", "scheme", "level", "code", "name", "parent_id", "successor_id"
        )
    }
    ids = {key: unit.pk for key, unit in existing.items()}
    created = 0
    changed: list[AdminUnit] = []
    for batch in sorted({order[(row.scheme, row.level)] for row in rows}):
        new_units = []
        for row in (r for r in rows if order[(r.scheme, r.level)] == batch):
            parent_id = ids[row.parent] if row.parent else None
            successor_id = ids[row.successor] if row.successor else None
            unit = existing.get(row.key)
            if unit is None:
                new_units.append(
                    AdminUnit(
                        scheme=row.scheme, level=row.level, code=row.code, name=row.name,
                        name_folded=fold(row.name), parent_id=parent_id, valid_from=row.valid_from,
                        valid_to=row.valid_to, successor_id=successor_id,
                    )
                )  # fmt: skip
            elif (unit.name, unit.parent_id, unit.successor_id) != (
                row.name,
                parent_id,
                successor_id,
            ):
                unit.name, unit.name_folded = row.name, fold(row.name)
                unit.parent_id, unit.successor_id = parent_id, successor_id
                changed.append(unit)
        AdminUnit.objects.bulk_create(new_units, batch_size=2000)
        created += len(new_units)
        if new_units:
            ids = _unit_ids(schemes)
    AdminUnit.objects.bulk_update(
        changed, ["name", "name_folded", "parent", "successor"], batch_size=2000
    )
    return created, len(changed)
