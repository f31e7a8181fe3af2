"""Stored versions ↔ the exchange format (``catalog.schemas.ProcedureData``).

``version_to_data`` reads a version whose parts are prefetched with
``VERSION_PARTS_PREFETCH`` (no query per part) or, faster, from the ``content`` saved
with it; ``content_hash`` is the fingerprint that makes re-importing the same content a
no-op; ``build_search_text`` is the folded
text searched with ``icontains``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

from django.db.models import Prefetch

from motcua.catalog.models import BoundaryFreeListing, ProcedureVersion, ProcessStep
from motcua.catalog.schemas import ProcedureData, ProcedureVersionOut
from motcua.kernel.text import fold

__all__ = [
    "LISTINGS_PREFETCH",
    "VERSION_PARTS_PREFETCH",
    "VERSION_RELATED",
    "build_search_text",
    "content_hash",
    "content_of",
    "hash_of",
    "version_payload",
    "version_to_data",
    "version_to_out",
]

VERSION_RELATED = ("procedure", "field", "announcement")
LISTINGS_PREFETCH = Prefetch(
    "procedure__boundary_free_listings",
    queryset=BoundaryFreeListing.objects.select_related("province"),
)
VERSION_PARTS_PREFETCH = (
    "cases",
    "documents",
    "fees",
    Prefetch("steps", queryset=ProcessStep.objects.select_related("agency")),
    "legal_bases",
    "forms",
    "implementing_agencies",
    "applying_agencies",
    LISTINGS_PREFETCH,
)


def content_of(data: ProcedureData) -> dict[str, Any]:
    """Return ``data`` as stored in ``ProcedureVersion.content`` (JSON types, no listings:
    boundary-free lists belong to the procedure, not to the version)."""
    return data.model_dump(mode="json", exclude={"boundary_free"})


def hash_of(content: dict[str, Any]) -> str:
    """Return the SHA-256 of the canonical JSON of a version's ``content``."""
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def content_hash(data: ProcedureData) -> str:
    """Return the fingerprint of ``data`` that makes re-importing it a no-op."""
    return hash_of(content_of(data))


def build_search_text(
    *, code: str, name: str, field_code: str, field_name: str, agency_names: Iterable[str]
) -> str:
    """Return the folded text a search matches: code, name, field and agency names."""
    return fold(" ".join([code, name, field_code, field_name, *agency_names]))


def _listings(version: ProcedureVersion) -> list[dict[str, Any]]:
    return [
        {
            "province_code": listing.province.code,
            "valid_from": listing.valid_from,
            "valid_to": listing.valid_to,
        }
        for listing in version.procedure.boundary_free_listings.all()
    ]


def version_payload(version: ProcedureVersion) -> dict[str, Any]:
    """Return ``version`` in the exchange format as a plain dict.

    Read from ``content`` (one row) when the version has it, else from its parts, which
    must then be prefetched (``VERSION_PARTS_PREFETCH``). The procedure's boundary-free
    listings must be prefetched either way (``LISTINGS_PREFETCH``).
    """
    if version.content:
        return {**version.content, "boundary_free": _listings(version)}
    return _payload(version)


def version_to_data(version: ProcedureVersion) -> ProcedureData:
    """Return ``version`` in the exchange format (see ``version_payload``)."""
    return ProcedureData.model_validate(version_payload(version))


def _payload(version: ProcedureVersion) -> dict[str, Any]:
    cases = list(version.cases.all())
    case_codes = {case.pk: case.code for case in cases}
    forms = list(version.forms.all())
    form_codes = {form.pk: form.code for form in forms}
    announcement = version.announcement
    payload = {
        "code": version.code,
        "name": version.name,
        "field_code": version.field.code,
        "field_name": version.field.name,
        "levels": version.levels,
        "subjects": version.subjects,
        "submission_methods": version.submission_methods,
        "method_note": version.method_note,
        "sequence": version.sequence,
        "requirements": version.requirements,
        "implementing_agency_codes": [a.code for a in version.implementing_agencies.all()],
        "implementing_agency_names": version.implementing_agency_names,
        "applying_agency_codes": [a.code for a in version.applying_agencies.all()],
        "applying_agency_names": version.applying_agency_names,
        "result_is_document": version.result_is_document,
        "result_name": version.result_name,
        "online_level": version.online_level,
        "is_full_online_eligible": version.is_full_online_eligible,
        "is_online_only": version.is_online_only,
        "is_inter_agency": version.is_inter_agency,
        "is_free": version.is_free,
        "fee_code": version.fee_code,
        "note": version.note,
        "announcement": (
            {
                "number": announcement.number,
                "issuer": announcement.issuer,
                "decided_on": announcement.decided_on,
                "effective_on": announcement.effective_on,
            }
            if announcement is not None
            else None
        ),
        "cases": [
            {
                "code": c.code,
                "name": c.name,
                "time_limit": c.time_limit,
                "time_unit": c.time_unit,
                "description": c.description,
            }
            for c in cases
        ],
        "documents": [
            {
                "case_code": case_codes.get(d.case_id, "") if d.case_id else "",
                "code": d.code,
                "name": d.name,
                "originals": d.originals,
                "certified_copies": d.certified_copies,
                "photocopies": d.photocopies,
                "requirement": d.requirement,
                "condition": d.condition,
                "e_form_code": d.e_form_code,
                "replaceable_by_data": d.replaceable_by_data,
                "data_source_code": d.data_source_code,
                "is_present_only": d.is_present_only,
                "form_code": form_codes.get(d.template_id, "") if d.template_id else "",
            }
            for d in version.documents.all()
        ],
        "fees": [
            {
                "case_code": case_codes.get(f.case_id, "") if f.case_id else "",
                "kind": f.kind,
                "name": f.name,
                "amount": f.amount,
                "collection_moment": f.collection_moment,
                "exemption_basis": f.exemption_basis,
                "note": f.note,
            }
            for f in version.fees.all()
        ],
        "steps": [
            {
                "case_code": case_codes.get(s.case_id, ""),
                "name": s.name,
                "agency_code": s.agency.code if s.agency else "",
                "agency_name": s.agency_name,
                "role": s.role,
                "duration": s.duration,
                "duration_unit": s.duration_unit,
            }
            for s in version.steps.all()
        ],
        "legal_bases": [
            {
                "number": b.number,
                "title": b.title,
                "issuer": b.issuer,
                "issued_on": b.issued_on,
                "effective_on": b.effective_on,
            }
            for b in version.legal_bases.all()
        ],
        "forms": [
            {"code": f.code, "name": f.name, "url": f.url, "file": f.file.name or ""} for f in forms
        ],
        "boundary_free": _listings(version),
    }
    return payload


def version_to_out(version: ProcedureVersion) -> ProcedureVersionOut:
    """Return ``version`` as the API shows it: the exchange format and its publication data."""
    return ProcedureVersionOut.model_validate(
        {
            **version_payload(version),
            "version": version.number,
            "state": version.state,
            "valid_from": version.valid_from,
            "valid_to": version.valid_to,
            "published_at": version.published_at,
        }
    )
