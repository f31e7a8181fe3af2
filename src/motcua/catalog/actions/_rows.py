"""Shared write steps of the catalogue actions: permission, version rows and their parts.

Private to ``catalog.actions``: every function here runs inside the transaction of a
``do_*`` action, which writes the audit row. They work on lists so that one action
saving one version and an import saving thousands take the same path, with a fixed
number of queries per list rather than per row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, models
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
from motcua.catalog.serialization import build_search_text, content_of, hash_of
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
    content = content_of(data)
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
        "content": content,
        "content_hash": hash_of(content),
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


def insert_rows(
    model: type[models.Model], columns: Sequence[str], rows: list[tuple[Any, ...]]
) -> None:
    """Insert ``rows`` (values in ``columns`` order, database-ready) into ``model``'s table.

    PostgreSQL gets one ``COPY`` per table — a 6,000-procedure import writes ~150,000
    part rows, and building model instances for ``bulk_create`` was a third of its CPU
    time; other databases get ``bulk_create``. Values are plain ints, strings, booleans,
    dates, decimals or None: nothing here needs a field's conversion.
    """
    if not rows:
        return
    if connection.vendor == "postgresql":
        meta = model._meta
        column_of = {f.attname: f.column or f.attname for f in meta.concrete_fields}
        names = ", ".join(connection.ops.quote_name(column_of[c]) for c in columns)
        table = connection.ops.quote_name(meta.db_table)
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    model._default_manager.bulk_create(
        [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=BATCH_SIZE
    )


def _ids(model: type[models.Model], version_ids: list[int]) -> dict[tuple[int, int], int]:
    rows = model._default_manager.filter(version_id__in=version_ids).values_list(
        "version_id", "position", "pk"
    )
    return {(vid, position): pk for vid, position, pk in rows}


def write_parts(planned: list[Planned], refs: References) -> None:
    """Insert the parts of every planned version (which must already have a pk).

    Cases and forms go first (two inserts, two id lookups): documents, fees and steps
    refer to them by code. Then one insert per table for all the versions together.
    """
    vids = [item.version.pk for item in planned]
    insert_rows(
        ProcedureCase,
        ("version_id", "position", "code", "name", "time_limit", "time_unit", "description"),
        [
            (item.version.pk, pos, c.code, c.name, c.time_limit, c.time_unit, c.description)
            for item in planned
            for pos, c in enumerate(item.data.cases)
        ],
    )
    insert_rows(
        ApplicationFormTemplate,
        ("version_id", "position", "code", "name", "url", "file"),
        [
            (item.version.pk, pos, f.code, f.name, f.url, f.file)
            for item in planned
            for pos, f in enumerate(item.data.forms)
        ],
    )
    case_ids, form_ids = _ids(ProcedureCase, vids), _ids(ApplicationFormTemplate, vids)

    documents, fees, steps, bases, implementing, applying = [], [], [], [], [], []
    for item in planned:
        vid, data = item.version.pk, item.data
        case_pos = {c.code: pos for pos, c in enumerate(data.cases)}
        form_pos = {f.code: pos for pos, f in enumerate(data.forms) if f.code}

        def case_id(code: str, vid: int = vid, case_pos: dict[str, int] = case_pos) -> int | None:
            return case_ids[(vid, case_pos[code])] if code else None

        for pos, d in enumerate(data.documents):
            template = form_ids[(vid, form_pos[d.form_code])] if d.form_code else None
            documents.append(
                (vid, case_id(d.case_code), pos, d.code, d.name, d.originals,
                 d.certified_copies, d.photocopies, d.requirement, d.condition, d.e_form_code,
                 d.replaceable_by_data, d.data_source_code, d.is_present_only, template)
            )  # fmt: skip
        fees += [
            (vid, case_id(f.case_code), pos, f.kind, f.name, f.amount, f.collection_moment,
             f.exemption_basis, f.note)
            for pos, f in enumerate(data.fees)
        ]  # fmt: skip
        steps += [
            (vid, case_id(s.case_code), pos, s.name,
             refs.agency_ids[s.agency_code] if s.agency_code else None, s.agency_name, s.role,
             s.duration, s.duration_unit)
            for pos, s in enumerate(data.steps)
        ]  # fmt: skip
        bases += [
            (vid, pos, b.number, b.title, b.issuer, b.issued_on, b.effective_on)
            for pos, b in enumerate(data.legal_bases)
        ]
        implementing += [(vid, refs.agency_ids[c]) for c in data.implementing_agency_codes]
        applying += [(vid, refs.agency_ids[c]) for c in data.applying_agency_codes]
    insert_rows(
        ProcedureDocument,
        ("version_id", "case_id", "position", "code", "name", "originals", "certified_copies",
         "photocopies", "requirement", "condition", "e_form_code", "replaceable_by_data",
         "data_source_code", "is_present_only", "template_id"),
        documents,
    )  # fmt: skip
    insert_rows(
        FeeItem,
        ("version_id", "case_id", "position", "kind", "name", "amount", "collection_moment",
         "exemption_basis", "note"),
        fees,
    )  # fmt: skip
    insert_rows(
        ProcessStep,
        ("version_id", "case_id", "position", "name", "agency_id", "agency_name", "role",
         "duration", "duration_unit"),
        steps,
    )  # fmt: skip
    insert_rows(
        LegalBasis,
        ("version_id", "position", "number", "title", "issuer", "issued_on", "effective_on"),
        bases,
    )
    insert_rows(ImplementingAgency, ("procedureversion_id", "agency_id"), implementing)
    insert_rows(ApplyingAgency, ("procedureversion_id", "agency_id"), applying)


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
