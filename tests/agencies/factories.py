"""Small, exact fixtures for agencies: a few real units and the agencies of one province.

Units are reference data, so they are created directly; agencies go through the action.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from motcua.agencies.actions import do_create_agency
from motcua.agencies.models import AdminUnit, Agency, AgencyKind, AgencyLevel
from motcua.kernel.actors import Actor
from motcua.kernel.text import fold

REFORM = dt.date(2025, 7, 1)
LEGACY_START = dt.date(2004, 7, 8)


def make_unit(
    code: str,
    name: str,
    level: str,
    *,
    parent: AdminUnit | None = None,
    scheme: str = "2025",
    successor: AdminUnit | None = None,
) -> AdminUnit:
    legacy = scheme == "2004"
    return AdminUnit.objects.create(
        scheme=scheme,
        code=code,
        level=level,
        name=name,
        name_folded=fold(name),
        parent=parent,
        valid_from=LEGACY_START if legacy else REFORM,
        valid_to=REFORM if legacy else None,
        successor=successor,
    )


@dataclass
class Units:
    thanh_hoa: AdminUnit
    hac_thanh: AdminUnit
    sam_son: AdminUnit
    ha_noi: AdminUnit
    ba_dinh: AdminUnit
    old_thanh_hoa: AdminUnit
    old_district: AdminUnit
    old_commune: AdminUnit


def make_units() -> Units:
    thanh_hoa = make_unit("38", "Tỉnh Thanh Hóa", "province")
    hac_thanh = make_unit("14797", "Phường Hạc Thành", "commune", parent=thanh_hoa)
    sam_son = make_unit("16531", "Phường Sầm Sơn", "commune", parent=thanh_hoa)
    ha_noi = make_unit("01", "Thành phố Hà Nội", "province")
    ba_dinh = make_unit("00004", "Phường Ba Đình", "commune", parent=ha_noi)
    old_thanh_hoa = make_unit(
        "38", "Tỉnh Thanh Hóa", "province", scheme="2004", successor=thanh_hoa
    )
    old_district = make_unit(
        "380", "Thành phố Thanh Hóa", "district", parent=old_thanh_hoa, scheme="2004"
    )
    old_commune = make_unit(
        "14797",
        "Phường Điện Biên",
        "commune",
        parent=old_district,
        scheme="2004",
        successor=hac_thanh,
    )
    return Units(
        thanh_hoa, hac_thanh, sam_son, ha_noi, ba_dinh, old_thanh_hoa, old_district, old_commune
    )


@dataclass
class Agencies:
    province_pc: Agency
    justice: Agency
    construction: Agency
    commune_pc: Agency
    commune_pasc: Agency
    hanoi_pc: Agency


def make_agencies(actor: Actor | None = None) -> Agencies:
    actor = actor or Actor.system("tests")
    K, L = AgencyKind, AgencyLevel
    province_pc = do_create_agency(
        actor=actor, code="000.00.00.H56", name="Ủy ban nhân dân tỉnh Thanh Hóa",
        kind=K.PROVINCIAL_PC, level=L.PROVINCE, admin_unit_code="38",
    )  # fmt: skip
    justice = do_create_agency(
        actor=actor, code="000.00.12.H56", name="Sở Tư pháp tỉnh Thanh Hóa", kind=K.DEPARTMENT,
        level=L.PROVINCE, parent_code="000.00.00.H56", admin_unit_code="38",
    )  # fmt: skip
    construction = do_create_agency(
        actor=actor, code="000.00.13.H56", name="Sở Xây dựng tỉnh Thanh Hóa", kind=K.DEPARTMENT,
        level=L.PROVINCE, parent_code="000.00.00.H56", admin_unit_code="38",
    )  # fmt: skip
    commune_pc = do_create_agency(
        actor=actor, code="000.00.41.H56", name="Ủy ban nhân dân phường Hạc Thành",
        kind=K.COMMUNE_PC, level=L.COMMUNE, parent_code="000.00.00.H56", admin_unit_code="14797",
    )  # fmt: skip
    commune_pasc = do_create_agency(
        actor=actor, code="000.01.41.H56", name="Trung tâm Phục vụ hành chính công phường Hạc Thành",
        kind=K.COMMUNE_PASC, level=L.COMMUNE, parent_code="000.00.41.H56", admin_unit_code="14797",
    )  # fmt: skip
    hanoi_pc = do_create_agency(
        actor=actor, code="000.00.00.H26", name="Ủy ban nhân dân thành phố Hà Nội",
        kind=K.PROVINCIAL_PC, level=L.PROVINCE, admin_unit_code="01",
    )  # fmt: skip
    return Agencies(province_pc, justice, construction, commune_pc, commune_pasc, hanoi_pc)
