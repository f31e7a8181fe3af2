"""Shared write steps of the catalogue actions: references, fields, parts, publication.

Private to ``catalog.actions``: every function here runs inside the transaction of a
``do_*`` action, which writes the audit row. They work on lists so that one action
saving one version and an import saving thousands take the same path, with a fixed
number of queries per list rather than per row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.files.storage import default_storage
from django.db.models import F
from django.utils.translation import gettext as _

from motcua.agencies.models import AdminUnit, AdminUnitLevel, AdminUnitScheme, Agency
from motcua.catalog.enums import PublicationState
from motcua.catalog.errors import ProcedureAbolished, ValidityOverlap
from motcua.catalog.models import (
    AnnouncementDecision,
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
from motcua.catalog.schemas import AnnouncementData, ProcedureData
from motcua.catalog.serialization import build_search_text, content_hash
from motcua.catalog.states import CATALOG_ADMIN_ROLES, PROCEDURE_VERSION_MACHINE
from motcua.catalog.validation import Issue, References
from motcua.kernel import clock
from motcua.kernel.actors import Actor
from motcua.kernel.errors import PermissionDenied
from motcua.workflow.engine import apply_transition

BATCH_SIZE = 500
ImplementingAgency = ProcedureVersion.implementing_agencies.through
ApplyingAgency = ProcedureVersion.applying_agencies.through


def announcements_of(datas: Iterable[ProcedureData]) -> list[AnnouncementData]:
    return [d.announcement for d in datas if d.announcement is not None]


def require_catalog_admin(actor: Actor) -> None:
    """Raise ``PermissionDenied`` unless ``actor`` administers the catalogue."""
    if not actor.has_role(*CATALOG_ADMIN_ROLES):
        raise PermissionDenied(
            _("Chỉ quản trị danh mục thủ tục hoặc quản trị hệ thống được thay đổi danh mục."),
            code="catalog.permission_denied",
        )


def local_midnight(day: dt.date) -> dt.datetime:
    """Return 00:00 of ``day`` in Vietnam, the moment a decision takes effect."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=clock.VN_TZ)


def load_references(datas: Iterable[ProcedureData]) -> References:
    """Load the agencies, provinces and stored files ``datas`` name (three lookups)."""
    agency_codes: set[str] = set()
    province_codes: set[str] = set()
    files: set[str] = set()
    for data in datas:
        agency_codes.update(data.implementing_agency_codes, data.applying_agency_codes)
        agency_codes.update(s.agency_code for s in data.steps if s.agency_code)
        province_codes.update(b.province_code for b in data.boundary_free)
        files.update(f.file for f in data.forms if f.file)
    refs = References()
    for chunk in _chunks(sorted(agency_codes), 2000):
        for pk, code, name in Agency.objects.filter(code__in=chunk).values_list(
            "pk", "code", "name"
        ):
            refs.agency_ids[code] = pk
            refs.agency_names[code] = name
    if province_codes:
        refs.province_ids = dict(
            AdminUnit.objects.filter(
                scheme=AdminUnitScheme.CURRENT,
                level=AdminUnitLevel.PROVINCE,
                code__in=province_codes,
            ).values_list("code", "pk")
        )
    refs.stored_files = {name for name in files if default_storage.exists(name)}
    return refs


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def ensure_fields(datas: Iterable[ProcedureData]) -> dict[str, Field]:
    """Return the fields ``datas`` name by code, creating the missing ones.

    An existing field keeps its name: the names in a file label new fields only.
    """
    wanted: dict[str, str] = {}
    for data in datas:
        wanted.setdefault(data.field_code, data.field_name)
    fields = {f.code: f for f in Field.objects.filter(code__in=wanted)}
    missing = [Field(code=code, name=name) for code, name in wanted.items() if code not in fields]
    if missing:
        Field.objects.bulk_create(missing, ignore_conflicts=True)
        fields = {f.code: f for f in Field.objects.filter(code__in=wanted)}
    return fields


def _recorded(
    keys: Iterable[tuple[str, dt.date]],
) -> dict[tuple[str, dt.date], AnnouncementDecision]:
    """Return the recorded decisions among ``keys`` (number, decision date)."""
    wanted = set(keys)
    numbers = sorted({number for number, _day in wanted})
    found: dict[tuple[str, dt.date], AnnouncementDecision] = {}
    for chunk in _chunks(numbers, 2000):
        # One indexed lookup by number; the dates are matched here (a big OR is slow to build).
        for decision in AnnouncementDecision.objects.filter(number__in=chunk):
            key = (decision.number, decision.decided_on)
            if key in wanted:
                found[key] = decision
    return found


def announcement_conflicts(
    announcements: Iterable[AnnouncementData],
) -> dict[tuple[str, dt.date], AnnouncementDecision]:
    """Return, by (number, date), the recorded decisions that ``announcements`` contradict."""
    wanted = {(a.number, a.decided_on): a for a in announcements}
    if not wanted:
        return {}
    return {
        key: recorded
        for key, recorded in _recorded(wanted).items()
        if recorded.effective_on != wanted[key].effective_on
    }


def announcement_issue(
    announcement: AnnouncementData | None,
    conflicts: dict[tuple[str, dt.date], AnnouncementDecision],
    path: tuple[str | int, ...] = ("announcement", "effective_on"),
) -> list[Issue]:
    """Return the issue of ``announcement`` if it contradicts a recorded decision."""
    if announcement is None:
        return []
    recorded = conflicts.get((announcement.number, announcement.decided_on))
    if recorded is None:
        return []
    return [
        Issue(
            path,
            _("Quyết định %(number)s đã được ghi với ngày hiệu lực %(date)s.")
            % {"number": recorded.number, "date": f"{recorded.effective_on:%d/%m/%Y}"},
        )
    ]


def ensure_announcements(
    announcements: Iterable[AnnouncementData],
) -> dict[tuple[str, dt.date], AnnouncementDecision]:
    """Return the decisions named by ``announcements``, recording the missing ones."""
    wanted: dict[tuple[str, dt.date], AnnouncementData] = {}
    for ann in announcements:
        wanted.setdefault((ann.number, ann.decided_on), ann)
    if not wanted:
        return {}

    found = _recorded(wanted)
    missing = [
        AnnouncementDecision(
            number=a.number, issuer=a.issuer, decided_on=a.decided_on, effective_on=a.effective_on
        )
        for key, a in wanted.items()
        if key not in found
    ]
    if missing:
        AnnouncementDecision.objects.bulk_create(missing, ignore_conflicts=True)
        found = _recorded(wanted)
    return found


def version_values(
    data: ProcedureData,
    *,
    refs: References,
    fields: dict[str, Field],
    announcements: dict[tuple[str, dt.date], AnnouncementDecision],
) -> dict[str, Any]:
    """Return the column values of a ``ProcedureVersion`` holding ``data``."""
    field = fields[data.field_code]
    agency_names = [
        refs.agency_names[c] for c in (*data.implementing_agency_codes, *data.applying_agency_codes)
    ]
    ann = data.announcement
    return {
        "code": data.code,
        "name": data.name,
        "field": field,
        "levels": list(data.levels),
        "subjects": list(data.subjects),
        "submission_methods": list(data.submission_methods),
        "method_note": data.method_note,
        "sequence": data.sequence,
        "requirements": data.requirements,
        "implementing_agency_names": list(data.implementing_agency_names),
        "applying_agency_names": list(data.applying_agency_names),
        "result_is_document": data.result_is_document,
        "result_name": data.result_name,
        "online_level": data.online_level,
        "is_full_online_eligible": data.is_full_online_eligible,
        "is_online_only": data.is_online_only,
        "is_inter_agency": data.is_inter_agency,
        "is_free": data.is_free,
        "fee_code": data.fee_code,
        "note": data.note,
        "announcement": announcements[(ann.number, ann.decided_on)] if ann else None,
        "search_text": build_search_text(
            code=data.code,
            name=data.name,
            field_code=field.code,
            field_name=field.name,
            agency_names=[
                *agency_names,
                *data.implementing_agency_names,
                *data.applying_agency_names,
            ],
        ),
        "content_hash": content_hash(data),
    }


@dataclass
class Planned:
    """A saved version and the data its parts must hold."""

    version: ProcedureVersion
    data: ProcedureData


def delete_parts(version_ids: list[int]) -> None:
    """Remove every part of the given (draft) versions, before writing them again."""
    for model in (ProcessStep, FeeItem, ProcedureDocument, LegalBasis):
        model.objects.filter(version_id__in=version_ids).delete()
    ApplicationFormTemplate.objects.filter(version_id__in=version_ids).delete()
    ProcedureCase.objects.filter(version_id__in=version_ids).delete()
    ImplementingAgency.objects.filter(procedureversion_id__in=version_ids).delete()
    ApplyingAgency.objects.filter(procedureversion_id__in=version_ids).delete()


def write_parts(planned: list[Planned], refs: References) -> None:
    """Insert the parts of every planned version (which must already have a pk)."""
    cases: dict[tuple[int, str], ProcedureCase] = {}
    forms: dict[tuple[int, str], ApplicationFormTemplate] = {}
    for item in planned:
        vid = item.version.pk
        for pos, c in enumerate(item.data.cases):
            cases[(vid, c.code)] = ProcedureCase(
                version_id=vid,
                position=pos,
                code=c.code,
                name=c.name,
                time_limit=c.time_limit,
                time_unit=c.time_unit,
                description=c.description,
            )
        for pos, f in enumerate(item.data.forms):
            forms[(vid, f.code or f"#{pos}")] = ApplicationFormTemplate(
                version_id=vid, position=pos, code=f.code, name=f.name, url=f.url, file=f.file
            )
    ProcedureCase.objects.bulk_create(cases.values(), batch_size=BATCH_SIZE)
    ApplicationFormTemplate.objects.bulk_create(forms.values(), batch_size=BATCH_SIZE)

    documents, fees, steps, bases, implementing, applying = [], [], [], [], [], []
    for item in planned:
        vid, data = item.version.pk, item.data

        def case_of(code: str, vid: int = vid) -> ProcedureCase | None:
            return cases[(vid, code)] if code else None

        for pos, d in enumerate(data.documents):
            documents.append(
                ProcedureDocument(
                    version_id=vid,
                    case=case_of(d.case_code),
                    position=pos,
                    code=d.code,
                    name=d.name,
                    originals=d.originals,
                    certified_copies=d.certified_copies,
                    photocopies=d.photocopies,
                    requirement=d.requirement,
                    condition=d.condition,
                    e_form_code=d.e_form_code,
                    replaceable_by_data=d.replaceable_by_data,
                    data_source_code=d.data_source_code,
                    is_present_only=d.is_present_only,
                    template=forms.get((vid, d.form_code)) if d.form_code else None,
                )
            )
        for pos, fee in enumerate(data.fees):
            fees.append(
                FeeItem(
                    version_id=vid,
                    case=case_of(fee.case_code),
                    position=pos,
                    kind=fee.kind,
                    name=fee.name,
                    amount=fee.amount,
                    collection_moment=fee.collection_moment,
                    exemption_basis=fee.exemption_basis,
                    note=fee.note,
                )
            )
        for pos, s in enumerate(data.steps):
            steps.append(
                ProcessStep(
                    version_id=vid,
                    case=cases[(vid, s.case_code)],
                    position=pos,
                    name=s.name,
                    agency_id=refs.agency_ids[s.agency_code] if s.agency_code else None,
                    agency_name=s.agency_name,
                    role=s.role,
                    duration=s.duration,
                    duration_unit=s.duration_unit,
                )
            )
        for pos, b in enumerate(data.legal_bases):
            bases.append(
                LegalBasis(
                    version_id=vid,
                    position=pos,
                    number=b.number,
                    title=b.title,
                    issuer=b.issuer,
                    issued_on=b.issued_on,
                    effective_on=b.effective_on,
                )
            )
        implementing += [
            ImplementingAgency(procedureversion_id=vid, agency_id=refs.agency_ids[code])
            for code in data.implementing_agency_codes
        ]
        applying += [
            ApplyingAgency(procedureversion_id=vid, agency_id=refs.agency_ids[code])
            for code in data.applying_agency_codes
        ]
    ProcedureDocument.objects.bulk_create(documents, batch_size=BATCH_SIZE)
    FeeItem.objects.bulk_create(fees, batch_size=BATCH_SIZE)
    ProcessStep.objects.bulk_create(steps, batch_size=BATCH_SIZE)
    LegalBasis.objects.bulk_create(bases, batch_size=BATCH_SIZE)
    ImplementingAgency.objects.bulk_create(implementing, batch_size=BATCH_SIZE)
    ApplyingAgency.objects.bulk_create(applying, batch_size=BATCH_SIZE)


def bump_revisions(procedure_ids: Iterable[int]) -> None:
    """Mark what the public sees of these procedures as changed (new page-cache key)."""
    ids = sorted(set(procedure_ids))
    if ids:
        Procedure.objects.filter(pk__in=ids).update(revision=F("revision") + 1)


def sync_listings(planned: list[tuple[Procedure, ProcedureData]], refs: References) -> set[int]:
    """Add the boundary-free listings the data names and the procedure lacks; return the
    ids of the procedures whose listings changed.

    Existing listings are kept (a province's list changes by its own decisions); a
    listing with the same province and start gets the end date of the data.
    """
    wanted = {
        (proc.pk, refs.province_ids[b.province_code], b.valid_from): b.valid_to
        for proc, data in planned
        for b in data.boundary_free
    }
    if not wanted:
        return set()
    existing = {
        (row.procedure_id, row.province_id, row.valid_from): row
        for row in BoundaryFreeListing.objects.filter(procedure_id__in={k[0] for k in wanted})
    }
    new, changed = [], []
    for key, valid_to in wanted.items():
        row = existing.get(key)
        if row is None:
            new.append(
                BoundaryFreeListing(
                    procedure_id=key[0], province_id=key[1], valid_from=key[2], valid_to=valid_to
                )
            )
        elif row.valid_to != valid_to:
            row.valid_to = valid_to
            changed.append(row)
    BoundaryFreeListing.objects.bulk_create(new, batch_size=BATCH_SIZE)
    BoundaryFreeListing.objects.bulk_update(changed, ["valid_to"], batch_size=BATCH_SIZE)
    return {row.procedure_id for row in (*new, *changed)}


def latest_published(
    procedure: Procedure, *, exclude: int | None = None
) -> ProcedureVersion | None:
    """Return the version of ``procedure`` with the latest validity start, if any."""
    versions = ProcedureVersion.objects.filter(procedure=procedure).exclude(
        state=PublicationState.DRAFT
    )
    if exclude is not None:
        versions = versions.exclude(pk=exclude)
    return versions.order_by("-valid_from").first()


def check_publishable(
    procedure: Procedure, valid_from: dt.datetime, previous: ProcedureVersion | None
) -> None:
    """Raise when a version of ``procedure`` cannot take effect at ``valid_from``."""
    if procedure.abolished_at is not None or (
        previous is not None and previous.state == PublicationState.ABOLISHED
    ):
        raise ProcedureAbolished(params={"code": procedure.code})
    if (
        previous is not None
        and previous.valid_from is not None
        and previous.valid_from >= valid_from
    ):
        raise ValidityOverlap(
            params={
                "number": previous.number,
                "current": f"{clock.local(previous.valid_from):%d/%m/%Y %H:%M}",
            }
        )


def publish(
    version: ProcedureVersion,
    *,
    actor: Actor,
    valid_from: dt.datetime,
    previous: ProcedureVersion | None,
    audit_extra: dict[str, Any] | None = None,
) -> None:
    """Publish ``version`` from ``valid_from`` and close ``previous`` at that moment.

    The caller has checked ``check_publishable``, holds the transaction and bumps the
    procedure's revision (``bump_revisions``, in bulk for an import); ``audit_extra`` joins the publication's audit row (an import records its outcome
    there rather than in a second row).
    """
    announcement = version.announcement
    apply_transition(
        version,
        PROCEDURE_VERSION_MACHINE,
        "publish",
        actor=actor,
        updates={"valid_from": valid_from, "valid_to": None, "published_at": clock.now()},
        audit_data={
            "code": version.code,
            "number": version.number,
            "valid_from": valid_from,
            "announcement": announcement.number if announcement else "",
            **(audit_extra or {}),
        },
        payload={"code": version.code, "number": version.number, "valid_from": valid_from},
    )
    if previous is not None and previous.state == PublicationState.PUBLISHED:
        apply_transition(
            previous,
            PROCEDURE_VERSION_MACHINE,
            "supersede",
            actor=actor,
            updates={"valid_to": valid_from},
            audit_data={"code": previous.code, "number": previous.number, "by": version.number},
            payload={"code": previous.code, "number": previous.number, "by": version.number},
        )
