"""Reads of the procedure catalogue: versions in force, search, the procedure page, export.

The catalogue is public: published versions are visible to everyone; drafts only to
catalogue administrators (``actor`` argument). Every selector fetches its related rows
in a fixed number of queries, whatever the size of the catalogue.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, prefetch_related_objects
from django.utils.translation import gettext as _

from motcua.agencies.models import AdminUnit, Agency
from motcua.catalog.enums import ImplementationLevel, OnlineLevel, PublicationState, SubjectType
from motcua.catalog.errors import NoVersionInForce, UnknownProcedure, UnknownVersion
from motcua.catalog.models import (
    IN_FORCE_STATES,
    ApplicationFormTemplate,
    BoundaryFreeListing,
    FeeItem,
    Field,
    LegalBasis,
    Procedure,
    ProcedureCase,
    ProcedureDocument,
    ProcedureVersion,
    ProcessStep,
)
from motcua.catalog.serialization import VERSION_PARTS_PREFETCH, VERSION_RELATED
from motcua.catalog.states import CATALOG_ADMIN_ROLES
from motcua.kernel import clock
from motcua.kernel.actors import Actor
from motcua.kernel.errors import InvalidInput
from motcua.kernel.text import fold

__all__ = [
    "MAX_PAGE_SIZE",
    "CaseSection",
    "ProcedurePage",
    "SearchResult",
    "get_procedure_page",
    "get_version",
    "get_version_in_force",
    "is_boundary_free",
    "iter_versions_for_export",
    "list_fields",
    "search_procedures",
    "versions_in_force",
]

MAX_PAGE_SIZE = 100
ImplementingAgency = ProcedureVersion.implementing_agencies.through
ApplyingAgency = ProcedureVersion.applying_agencies.through


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


@dataclass
class SearchResult:
    """One page of search results and the total number of matches."""

    items: list[ProcedureVersion]
    total: int
    page: int
    page_size: int

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


def _check_choice(name: str, value: str, choices: type) -> None:
    if value not in choices.values:  # type: ignore[attr-defined]
        raise InvalidInput(
            code="catalog.invalid_filter",
            field_errors={name: [_("Giá trị “%(value)s” không hợp lệ.") % {"value": value}]},
        )


def search_procedures(
    *,
    q: str | None = None,
    field: str | None = None,
    agency: str | None = None,
    level: str | None = None,
    online_level: str | None = None,
    subject: str | None = None,
    page: int = 1,
    page_size: int = 20,
    at: dt.datetime | None = None,
) -> SearchResult:
    """Return the versions in force matching every given filter, ordered by code.

    ``q`` matches words of the code, name, field and agency names, with or without
    diacritics ("dang ky khai sinh" finds "Đăng ký khai sinh"); ``field`` is a field
    code, ``agency`` an agency code (implementing or applying), ``level``,
    ``online_level`` and ``subject`` enum values. Items come with their field,
    implementing agencies and cases (two queries for the page, one for the count).
    Raise ``InvalidInput`` for an unknown enum value or a page out of range.
    """
    if page < 1 or not 1 <= page_size <= MAX_PAGE_SIZE:
        raise InvalidInput(
            code="catalog.invalid_page",
            field_errors={"page": [_("Trang phải từ 1; mỗi trang từ 1 đến 100 kết quả.")]},
        )
    versions = versions_in_force(at)
    for token in fold(q or "").split():
        versions = versions.filter(search_text__icontains=token)
    if field:
        versions = versions.filter(field__code=field)
    if agency:
        code = agency.strip().upper()
        versions = versions.filter(
            Exists(
                ImplementingAgency.objects.filter(
                    procedureversion_id=OuterRef("pk"), agency__code=code
                )
            )
            | Exists(
                ApplyingAgency.objects.filter(procedureversion_id=OuterRef("pk"), agency__code=code)
            )
        )
    # levels and subjects are JSON lists of enum values: the quotes make the match exact.
    if level:
        _check_choice("level", level, ImplementationLevel)
        versions = versions.filter(levels__icontains=f'"{level}"')
    if subject:
        _check_choice("subject", subject, SubjectType)
        versions = versions.filter(subjects__icontains=f'"{subject}"')
    if online_level:
        _check_choice("online_level", online_level, OnlineLevel)
        versions = versions.filter(online_level=online_level)
    total = versions.count()
    start = (page - 1) * page_size
    items = list(
        versions.select_related("field")
        .prefetch_related(
            Prefetch("implementing_agencies", queryset=Agency.objects.only("pk", "code", "name")),
            "cases",
        )
        .order_by("code", "number")[start : start + page_size]
    )
    return SearchResult(items=items, total=total, page=page, page_size=page_size)


@dataclass
class CaseSection:
    """One case with the documents, fees and steps that apply to it."""

    case: ProcedureCase
    documents: list[ProcedureDocument] = field(default_factory=list)
    fees: list[FeeItem] = field(default_factory=list)
    steps: list[ProcessStep] = field(default_factory=list)


@dataclass
class ProcedurePage:
    """Everything the procedure page shows, loaded in a fixed number of queries (11)."""

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
    boundary_free_provinces: list[AdminUnit]  # provinces listing it today


def get_procedure_page(
    code: str,
    version: int | None = None,
    *,
    actor: Actor | None = None,
    at: dt.datetime | None = None,
) -> ProcedurePage:
    """Return the page of procedure ``code``: the version in force at ``at`` (default now)
    or version number ``version`` (drafts only for catalogue admins).

    Raise ``UnknownProcedure``, ``UnknownVersion`` or ``NoVersionInForce``.
    """
    moment = at or clock.now()
    if version is None:
        loaded = get_version_in_force(code, moment)
    else:
        loaded = get_version(code, version, actor=actor)
    prefetch_related_objects([loaded], *VERSION_PARTS_PREFETCH)
    sections = {case.pk: CaseSection(case) for case in loaded.cases.all()}
    common_documents = []
    for document in loaded.documents.all():
        if document.case_id is None:
            common_documents.append(document)
        else:
            sections[document.case_id].documents.append(document)
    common_fees = []
    for fee in loaded.fees.all():
        if fee.case_id is None:
            common_fees.append(fee)
        else:
            sections[fee.case_id].fees.append(fee)
    for step in loaded.steps.all():
        sections[step.case_id].steps.append(step)
    history = list(
        ProcedureVersion.objects.filter(procedure_id=loaded.procedure_id)
        .exclude(state=PublicationState.DRAFT)
        .only("pk", "code", "number", "state", "valid_from", "valid_to", "published_at")
        .order_by("-number")
    )
    today = clock.local(moment).date()
    provinces = [
        listing.province
        for listing in loaded.procedure.boundary_free_listings.all()
        if listing.is_valid_on(today)
    ]
    return ProcedurePage(
        version=loaded,
        is_in_force=loaded.is_in_force_at(moment),
        cases=list(sections.values()),
        common_documents=common_documents,
        common_fees=common_fees,
        legal_bases=list(loaded.legal_bases.all()),
        forms=list(loaded.forms.all()),
        implementing_agencies=list(loaded.implementing_agencies.all()),
        applying_agencies=list(loaded.applying_agencies.all()),
        history=history,
        boundary_free_provinces=provinces,
    )


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


def iter_versions_for_export(
    *, latest: bool = False, at: dt.datetime | None = None, chunk_size: int = 500
) -> Iterator[ProcedureVersion]:
    """Yield, by code, the version in force of every procedure (or its latest version,
    drafts included, when ``latest``), with every part prefetched chunk by chunk."""
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
            for v in ProcedureVersion.objects.filter(pk__in=chunk)
            .select_related(*VERSION_RELATED)
            .prefetch_related(*VERSION_PARTS_PREFETCH)
        }
        for pk in chunk:
            yield by_pk[pk]
