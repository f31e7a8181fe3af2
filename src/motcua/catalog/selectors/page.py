"""The procedure page: a version with every part, its history and listings, cached."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache
from django.db.models import prefetch_related_objects

from motcua.agencies.models import AdminUnit, Agency
from motcua.catalog.enums import PublicationState
from motcua.catalog.models import (
    ApplicationFormTemplate,
    BoundaryFreeListing,
    FeeItem,
    LegalBasis,
    ProcedureCase,
    ProcedureDocument,
    ProcedureVersion,
    ProcessStep,
)
from motcua.catalog.selectors.versions import get_version, get_version_in_force
from motcua.catalog.serialization import VERSION_PARTS_PREFETCH
from motcua.kernel import clock
from motcua.kernel.actors import Actor

__all__ = ["CaseSection", "ProcedurePage", "get_procedure_page"]


@dataclass
class CaseSection:
    """One case with the documents, fees and steps that apply to it."""

    case: ProcedureCase
    documents: list[ProcedureDocument] = field(default_factory=list)
    fees: list[FeeItem] = field(default_factory=list)
    steps: list[ProcessStep] = field(default_factory=list)


@dataclass
class ProcedurePage:
    """Everything the procedure page shows (see ``get_procedure_page``)."""

    version: ProcedureVersion
    is_in_force: bool
    cases: list[CaseSection]
    common_documents: list[ProcedureDocument]  # documents of every case
    common_fees: list[FeeItem]
    legal_bases: list[LegalBasis]
    forms: list[ApplicationFormTemplate]
    implementing_agencies: list[Agency]
    applying_agencies: list[Agency]
    history: list[ProcedureVersion]  # every published version, newest first
    boundary_free_provinces: list[AdminUnit]  # provinces listing it on the page's date


@dataclass
class _PageParts:
    """What a page shows that depends only on the version and the procedure's revision."""

    version: ProcedureVersion
    cases: list[CaseSection]
    common_documents: list[ProcedureDocument]
    common_fees: list[FeeItem]
    history: list[ProcedureVersion]
    listings: list[BoundaryFreeListing]


def _load_parts(version: ProcedureVersion) -> _PageParts:
    prefetch_related_objects([version], *VERSION_PARTS_PREFETCH)
    sections = {case.pk: CaseSection(case) for case in version.cases.all()}
    common_documents = []
    for document in version.documents.all():
        if document.case_id is None:
            common_documents.append(document)
        else:
            sections[document.case_id].documents.append(document)
    common_fees = []
    for fee in version.fees.all():
        if fee.case_id is None:
            common_fees.append(fee)
        else:
            sections[fee.case_id].fees.append(fee)
    for step in version.steps.all():
        sections[step.case_id].steps.append(step)
    history = list(
        ProcedureVersion.objects.filter(procedure_id=version.procedure_id)
        .exclude(state=PublicationState.DRAFT)
        .only("pk", "code", "number", "state", "valid_from", "valid_to", "published_at")
        .order_by("-number")
    )
    return _PageParts(
        version=version,
        cases=list(sections.values()),
        common_documents=common_documents,
        common_fees=common_fees,
        history=history,
        listings=list(version.procedure.boundary_free_listings.all()),
    )


def _page_cache_key(version: ProcedureVersion) -> str:
    # A published version changes only through transitions, which bump the revision;
    # the content hash guards against a reused primary key.
    return (
        f"catalog:procedure-page:1:{version.pk}:{version.procedure.revision}:"
        f"{version.content_hash[:16]}"
    )


def get_procedure_page(
    code: str,
    version: int | None = None,
    *,
    actor: Actor | None = None,
    at: dt.datetime | None = None,
) -> ProcedurePage:
    """Return the page of procedure ``code``: the version in force at ``at`` (default now)
    or version number ``version`` (drafts only for catalogue admins).

    The version is found in one query; the rest of a published version's page (its
    parts, history and boundary-free listings: ten queries) is cached for
    ``CATALOG_PAGE_CACHE_SECONDS`` (default one hour) under a key that changes with
    every publication, abolition or listing of the procedure. Drafts are never cached.
    Raise ``UnknownProcedure``, ``UnknownVersion`` or ``NoVersionInForce``.
    """
    moment = at or clock.now()
    if version is None:
        found = get_version_in_force(code, moment)
    else:
        found = get_version(code, version, actor=actor)
    if found.state == PublicationState.DRAFT:
        parts = _load_parts(found)
    else:
        key = _page_cache_key(found)
        parts = cache.get(key)
        if parts is None:
            parts = _load_parts(found)
            cache.set(key, parts, getattr(settings, "CATALOG_PAGE_CACHE_SECONDS", 3600))
    loaded = parts.version
    today = clock.local(moment).date()
    return ProcedurePage(
        version=loaded,
        is_in_force=loaded.is_in_force_at(moment),
        cases=parts.cases,
        common_documents=parts.common_documents,
        common_fees=parts.common_fees,
        legal_bases=list(loaded.legal_bases.all()),
        forms=list(loaded.forms.all()),
        implementing_agencies=list(loaded.implementing_agencies.all()),
        applying_agencies=list(loaded.applying_agencies.all()),
        history=parts.history,
        boundary_free_provinces=[
            listing.province for listing in parts.listings if listing.is_valid_on(today)
        ],
    )
