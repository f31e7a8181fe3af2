"""``/api/v1/agencies``: the agencies and administrative units, public and read-only.

Lists use keyset pagination: each page returns ``next_cursor``, passed back as
``after`` to get the next one, so deep pages cost the same as the first.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from ninja import Query, Router

from motcua.agencies import selectors
from motcua.agencies.errors import UnknownAdminUnit
from motcua.agencies.models import AdminUnit, AdminUnitScheme
from motcua.agencies.schemas import AdminUnitOut, AdminUnitPage, AgencyOut, AgencyPage

__all__ = ["router"]

router = Router(tags=["agencies"])

UnitLevel = Literal["province", "district", "commune"]
AgencyKindParam = Literal[
    "ministry", "ministry_unit", "provincial_pc", "department", "commune_pc", "specialised_unit",
    "vertical_sector", "ministry_reception", "provincial_pasc", "commune_pasc", "reception_point",
    "branch",
]  # fmt: skip
AgencyLevelParam = Literal["central", "province", "commune"]


def _parent_unit(code: str, scheme: str | None) -> AdminUnit:
    if scheme is None:
        return selectors.get_admin_unit(code)
    unit = AdminUnit.objects.filter(scheme=scheme, code=code.strip()).first()
    if unit is None:
        raise UnknownAdminUnit(params={"code": code})
    return unit


# The admin-unit routes come before ``/{code}`` so that "admin-units" is never read as a code.
@router.get(
    "/admin-units/",
    response=AdminUnitPage,
    url_name="admin_unit_list",
    summary="Danh sách đơn vị hành chính",
)
def list_admin_units(
    request: HttpRequest,
    level: UnitLevel | None = None,
    parent: str | None = Query(None, description="Mã đơn vị cấp trên, ví dụ 38."),
    q: str | None = Query(None, description="Tìm theo tên, có dấu hoặc không dấu."),
    scheme: Literal["2025", "2004", "all"] = Query(
        "2025", description="Hệ đơn vị: 2025 (mặc định), 2004 hoặc all."
    ),
    after: int | None = Query(None, description="Con trỏ trang (next_cursor của trang trước)."),
    limit: int = Query(50, ge=1, le=500),
) -> AdminUnitPage:
    """Return administrative units, 2025 scheme unless ``scheme`` says otherwise."""
    chosen = None if scheme == "all" else AdminUnitScheme(scheme)
    parent_unit = _parent_unit(parent, chosen) if parent else None
    units = selectors.list_admin_units(scheme=chosen, level=level, parent=parent_unit, q=q)
    if after is not None:
        units = units.filter(id__gt=after)
    page = list(units[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    return AdminUnitPage(
        items=[AdminUnitOut.build(unit) for unit in page],
        next_cursor=str(page[-1].pk) if more else None,
    )


@router.get(
    "/admin-units/{code}",
    response=AdminUnitOut,
    url_name="admin_unit_detail",
    summary="Một đơn vị hành chính",
)
def get_admin_unit(
    request: HttpRequest,
    code: str,
    level: UnitLevel | None = None,
    on: dt.date | None = Query(None, description="Ngày tra cứu (mặc định hôm nay)."),  # noqa: B008
) -> AdminUnitOut:
    """Return the unit with ``code`` in force on ``on``; 404 ``agencies.unknown_admin_unit``."""
    unit = selectors.get_admin_unit(code, level=level, on=on)
    return AdminUnitOut.build(unit)


@router.get("/", response=AgencyPage, url_name="agency_list", summary="Danh sách cơ quan")
def list_agencies(
    request: HttpRequest,
    kind: AgencyKindParam | None = None,
    level: AgencyLevelParam | None = None,
    parent: str | None = Query(None, description="Mã định danh của cơ quan cấp trên."),
    admin_unit: str | None = Query(None, description="Mã đơn vị hành chính hiện hành."),
    q: str | None = Query(None, description="Tìm theo tên (có dấu hoặc không) hoặc đầu mã."),
    include_inactive: bool = False,
    after: str | None = Query(None, description="Con trỏ trang (next_cursor của trang trước)."),
    limit: int = Query(50, ge=1, le=200),
) -> AgencyPage:
    """Return agencies ordered by code; 404 when ``parent`` or ``admin_unit`` is unknown."""
    agencies = selectors.list_agencies(
        kind=kind,
        level=level,
        parent=selectors.get_agency_by_code(parent) if parent else None,
        admin_unit=selectors.get_admin_unit(admin_unit) if admin_unit else None,
        q=q,
        include_inactive=include_inactive,
    )
    if after:
        agencies = agencies.filter(code__gt=after)
    page = list(agencies[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    return AgencyPage(
        items=[AgencyOut.build(agency) for agency in page],
        next_cursor=page[-1].code if more else None,
    )


@router.get("/{code}", response=AgencyOut, url_name="agency_detail", summary="Một cơ quan")
def get_agency(request: HttpRequest, code: str) -> AgencyOut:
    """Return the agency with QCVN 102 code ``code``; 404 ``agencies.unknown_agency``."""
    return AgencyOut.build(selectors.get_agency_by_code(code))
