"""``/api/v1/procedures``: search the catalogue, read a procedure's version in force or
any published version. Public and read-only; errors are problem+json with ``catalog.*``
codes (an unknown code is ``catalog.unknown_procedure``, 404)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import BaseModel
from pydantic import Field as F

from motcua.catalog import selectors
from motcua.catalog.actors import actor_of
from motcua.catalog.enums import (
    ImplementationLevel,
    OnlineLevel,
    PublicationState,
    SubjectType,
    TimeUnit,
)
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.schemas import ProcedureVersionOut
from motcua.catalog.serialization import version_to_out

__all__ = ["router"]

router = Router(tags=["Thủ tục hành chính"])

# Responses are plain pydantic models built once here: django-ninja passes a model
# instance through untouched, where a ``ninja.Schema`` would be validated a second time.


class ProblemOut(BaseModel):
    type: str
    title: str
    status: int
    code: str
    detail: str | None = None
    instance: str | None = None


class AgencyRefOut(BaseModel):
    code: str
    name: str


class CaseSummaryOut(BaseModel):
    code: str
    name: str
    time_limit: Decimal
    time_unit: TimeUnit
    time_limit_display: str


class ProcedureSummaryOut(BaseModel):
    code: str
    version: int
    name: str
    field_code: str
    field_name: str
    levels: list[ImplementationLevel]
    subjects: list[SubjectType]
    online_level: OnlineLevel
    is_full_online_eligible: bool
    state: PublicationState
    valid_from: dt.datetime | None
    implementing_agencies: list[AgencyRefOut]
    implementing_agency_names: list[str]
    cases: list[CaseSummaryOut]


class ProcedureListOut(BaseModel):
    items: list[ProcedureSummaryOut]
    total: int
    page: int
    page_size: int
    num_pages: int


class FieldOut(BaseModel):
    code: str
    name: str


class SearchFilters(Schema):
    q: str | None = F(
        None,
        max_length=200,
        description="Words of the name, code, field or agency, with or without diacritics",
    )
    field: str | None = F(None, max_length=40, description="Field code")
    agency: str | None = F(
        None, max_length=20, description="Implementing or applying agency code (QCVN 102)"
    )
    level: ImplementationLevel | None = None
    online_level: OnlineLevel | None = None
    subject: SubjectType | None = None
    page: int = F(1, ge=1, le=100000)
    page_size: int = F(20, ge=1, le=selectors.MAX_PAGE_SIZE)


def _summary(version: ProcedureVersion) -> ProcedureSummaryOut:
    return ProcedureSummaryOut(
        code=version.code,
        version=version.number,
        name=version.name,
        field_code=version.field.code,
        field_name=version.field.name,
        levels=version.levels,
        subjects=version.subjects,
        online_level=OnlineLevel(version.online_level),
        is_full_online_eligible=version.is_full_online_eligible,
        state=PublicationState(version.state),
        valid_from=version.valid_from,
        implementing_agencies=[
            AgencyRefOut(code=a.code, name=a.name) for a in version.implementing_agencies.all()
        ],
        implementing_agency_names=version.implementing_agency_names,
        cases=[
            CaseSummaryOut(
                code=c.code,
                name=c.name,
                time_limit=c.time_limit,
                time_unit=TimeUnit(c.time_unit),
                time_limit_display=c.time_limit_display,
            )
            for c in version.cases.all()
        ],
    )


_ERRORS = {404: ProblemOut, 422: ProblemOut}


@router.get(
    "/", response={200: ProcedureListOut, 422: ProblemOut}, summary="Tìm thủ tục hành chính"
)
def list_procedures(request: HttpRequest, filters: Query[SearchFilters]) -> ProcedureListOut:
    """Search the procedures in force, ordered by code; every filter narrows the result."""
    result = selectors.search_procedures(
        q=filters.q,
        field=filters.field,
        agency=filters.agency,
        level=filters.level,
        online_level=filters.online_level,
        subject=filters.subject,
        page=filters.page,
        page_size=filters.page_size,
    )
    return ProcedureListOut(
        items=[_summary(v) for v in result.items],
        total=result.total,
        page=result.page,
        page_size=result.page_size,
        num_pages=result.num_pages,
    )


@router.get("/fields", response=list[FieldOut], summary="Danh sách lĩnh vực")
def list_fields(request: HttpRequest) -> list[FieldOut]:
    """List every field (lĩnh vực) with its code, by name."""
    return [FieldOut(code=f.code, name=f.name) for f in selectors.list_fields()]


@router.get(
    "/{code}", response={200: ProcedureVersionOut, **_ERRORS}, summary="Thủ tục đang có hiệu lực"
)
def get_procedure(
    request: HttpRequest, code: str, at: dt.datetime | None = None
) -> ProcedureVersionOut:
    """Return the version of procedure ``code`` in force now, or at ``at``.

    404 ``catalog.unknown_procedure`` for an unknown code, ``catalog.no_version_in_force``
    when no version was in force then.
    """
    version = selectors.get_version_in_force(code, at)
    selectors.prefetch_exchange_data([version])
    return version_to_out(version)


@router.get(
    "/{code}/versions/{number}",
    response={200: ProcedureVersionOut, **_ERRORS},
    summary="Một phiên bản của thủ tục",
)
def get_procedure_version(request: HttpRequest, code: str, number: int) -> ProcedureVersionOut:
    """Return version ``number`` of procedure ``code`` (drafts for catalogue admins only).

    404 ``catalog.unknown_procedure`` or ``catalog.unknown_version``.
    """
    version = selectors.get_version(code, number, actor=actor_of(request.user))
    selectors.prefetch_exchange_data([version])
    return version_to_out(version)
