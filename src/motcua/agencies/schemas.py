"""Pydantic schemas of the agencies API: what a client sees of an agency or a unit."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from motcua.agencies.models import AdminUnit, Agency

__all__ = ["AdminUnitOut", "AdminUnitPage", "AgencyOut", "AgencyPage"]


class AdminUnitOut(Schema):
    code: str = Field(description="Mã đơn vị hành chính (Tổng cục Thống kê), ví dụ 38, 14797.")
    name: str
    level: str = Field(description="province, district (chỉ hệ 2004) hoặc commune.")
    scheme: str = Field(description="2025: 34 tỉnh, 2 cấp; 2004: 63 tỉnh, 3 cấp.")
    parent_code: str | None
    valid_from: dt.date
    valid_to: dt.date | None
    successor_code: str | None = Field(description="Đơn vị kế thừa chính (hệ 2025).")

    @staticmethod
    def build(unit: AdminUnit) -> AdminUnitOut:
        return AdminUnitOut(
            code=unit.code,
            name=unit.name,
            level=unit.level,
            scheme=unit.scheme,
            parent_code=unit.parent.code if unit.parent else None,
            valid_from=unit.valid_from,
            valid_to=unit.valid_to,
            successor_code=unit.successor.code if unit.successor else None,
        )


class AdminUnitPage(Schema):
    items: list[AdminUnitOut]
    next_cursor: str | None = Field(
        description="Truyền vào tham số `after` để lấy trang tiếp theo; null khi đã hết."
    )


class AgencyOut(Schema):
    code: str = Field(description="Mã định danh điện tử QCVN 102:2016, ví dụ 000.00.12.H56.")
    name: str
    short_name: str
    kind: str
    kind_label: str
    level: str
    parent_code: str | None
    admin_unit_code: str | None
    admin_unit_name: str | None
    is_vertical_sector: bool
    is_one_stop_desk: bool
    portal_department_id: str
    address: str
    phone: str
    email: str
    is_active: bool
    valid_from: dt.date
    valid_to: dt.date | None

    @staticmethod
    def build(agency: Agency) -> AgencyOut:
        return AgencyOut(
            code=agency.code,
            name=agency.name,
            short_name=agency.short_name,
            kind=agency.kind,
            kind_label=str(agency.get_kind_display()),
            level=agency.level,
            parent_code=agency.parent.code if agency.parent else None,
            admin_unit_code=agency.admin_unit.code if agency.admin_unit else None,
            admin_unit_name=agency.admin_unit.name if agency.admin_unit else None,
            is_vertical_sector=agency.is_vertical_sector,
            is_one_stop_desk=agency.is_one_stop_desk,
            portal_department_id=agency.portal_department_id,
            address=agency.address,
            phone=agency.phone,
            email=agency.email,
            is_active=agency.is_active,
            valid_from=agency.valid_from,
            valid_to=agency.valid_to,
        )


class AgencyPage(Schema):
    items: list[AgencyOut]
    next_cursor: str | None = Field(
        description="Truyền vào tham số `after` để lấy trang tiếp theo; null khi đã hết."
    )
