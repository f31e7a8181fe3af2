"""Shared write steps of the catalogue actions: permission, version rows and their parts.

Private to ``catalog.actions``: every function here runs inside the transaction of a
``do_*`` action, which writes the audit row. They work on lists so that one action
saving one version and an import saving thousands take the same path, with a fixed
number of queries per list rather than per row.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

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
from motcua.catalog.schemas import ProcedureData
from motcua.catalog.serialization import build_search_text, content_hash
from motcua.catalog.states import CATALOG_ADMIN_ROLES
from motcua.catalog.validation import References
from motcua.kernel import clock
from motcua.kernel.actors import Actor
from motcua.kernel.errors import PermissionDenied

BATCH_SIZE = 500
ImplementingAgency = ProcedureVersion.implementing_agencies.through
ApplyingAgency = ProcedureVersion.applying_agencies.through


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
