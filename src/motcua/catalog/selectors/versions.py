"""Versions in force, versions by number, fields, boundary-free listings, export reads."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.db.models import Q, QuerySet, prefetch_related_objects

from motcua.catalog.enums import PublicationState
from motcua.catalog.errors import NoVersionInForce, UnknownProcedure, UnknownVersion
from motcua.catalog.models import (
    IN_FORCE_STATES,
    BoundaryFreeListing,
    Field,
    Procedure,
    ProcedureVersion,
)
from motcua.catalog.serialization import (
    LISTINGS_PREFETCH,
    VERSION_PARTS_PREFETCH,
    VERSION_RELATED,
)
from motcua.catalog.states import CATALOG_ADMIN_ROLES
from motcua.kernel import clock
from motcua.kernel.actors import Actor

__all__ = [
    "get_version",
    "get_version_in_force",
    "is_boundary_free",
    "iter_versions_for_export",
    "list_fields",
    "prefetch_exchange_data",
    "versions_in_force",
]


def _in_force_at(at: dt.datetime) -> Q:
    return Q(state__in=IN_FORCE_STATES, valid_from__lte=at) & (
        Q(valid_to__isnull=True) | Q(valid_to__gt=at)
    )


def versions_in_force(at: dt.datetime | None = None) -> QuerySet[ProcedureVersion]:
    """Return the versions in force at ``at`` (default now): one per procedure at most."""
    return ProcedureVersion.objects.filter(_in_force_at(at or clock.now()))


def get_version_in_force(code: str, at: dt.datetime | None = None) -> ProcedureVersion:
    """Return the version of procedure ``code`` in force at ``at`` (default now).

    This is the version a dossier received at ``at`` keeps for its whole life. Raise
    ``UnknownProcedure`` for a code not in the catalogue and ``NoVersionInForce`` when
    no version was in force then (not yet published, or abolished before ``at``).
    """
    moment = at or clock.now()
    version = (
        versions_in_force(moment)
        .filter(code=code)
        .select_related(*VERSION_RELATED)
        .order_by("-valid_from")
        .first()
    )
    if version is not None:
        return version
    if not Procedure.objects.filter(code=code).exists():
        raise UnknownProcedure(params={"code": code})
    raise NoVersionInForce(params={"code": code, "at": f"{clock.local(moment):%d/%m/%Y %H:%M}"})


def _may_see_drafts(actor: Actor | None) -> bool:
    return actor is not None and actor.has_role(*CATALOG_ADMIN_ROLES)


def get_version(code: str, number: int, *, actor: Actor | None = None) -> ProcedureVersion:
    """Return version ``number`` of procedure ``code``; drafts only for catalogue admins.

    Raise ``UnknownProcedure`` or ``UnknownVersion``.
    """
    versions = ProcedureVersion.objects.filter(code=code, number=number)
    if not _may_see_drafts(actor):
        versions = versions.exclude(state=PublicationState.DRAFT)
    version = versions.select_related(*VERSION_RELATED).first()
    if version is not None:
        return version
    if not Procedure.objects.filter(code=code).exists():
        raise UnknownProcedure(params={"code": code})
    raise UnknownVersion(params={"code": code, "number": number})


def list_fields() -> QuerySet[Field]:
    """Return every field, by name (for the search filter)."""
    return Field.objects.order_by("name")


def is_boundary_free(code: str, province_code: str, on: dt.date | None = None) -> bool:
    """Return whether procedure ``code`` is on the boundary-free list of a province on ``on``."""
    day = on or clock.local(clock.now()).date()
    return BoundaryFreeListing.objects.filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=day),
        procedure__code=code,
        province__code=province_code,
        province__level="province",
        valid_from__lte=day,
    ).exists()


def prefetch_exchange_data(versions: list[ProcedureVersion]) -> None:
    """Load what ``serialization.version_payload`` reads: the procedures' listings, and the
    parts of any version saved before ``content`` existed (one query per kind)."""
    prefetch_related_objects(versions, LISTINGS_PREFETCH)
    legacy = [v for v in versions if not v.content]
    if legacy:
        prefetch_related_objects(legacy, *VERSION_PARTS_PREFETCH)


def iter_versions_for_export(
    *, latest: bool = False, at: dt.datetime | None = None, chunk_size: int = 500
) -> Iterator[ProcedureVersion]:
    """Yield, by code, the version in force of every procedure (or its latest version,
    drafts included, when ``latest``), ready for ``version_payload``, chunk by chunk."""
    if latest:
        ids = list(
            ProcedureVersion.objects.order_by("procedure_id", "-number").values_list(
                "procedure_id", "pk", "code"
            )
        )
        seen: dict[int, tuple[str, int]] = {}
        for procedure_id, pk, code in ids:
            seen.setdefault(procedure_id, (code, pk))
        pks = [pk for _code, pk in sorted(seen.values())]
    else:
        pks = list(versions_in_force(at).order_by("code").values_list("pk", flat=True))
    for start in range(0, len(pks), chunk_size):
        chunk = pks[start : start + chunk_size]
        by_pk = {
            v.pk: v
            for v in ProcedureVersion.objects.filter(pk__in=chunk).select_related(*VERSION_RELATED)
        }
        prefetch_exchange_data(list(by_pk.values()))
        for pk in chunk:
            yield by_pk[pk]
