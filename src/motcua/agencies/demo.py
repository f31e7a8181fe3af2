"""Demo data: every administrative unit, and the agencies of Thanh Hóa (NSO 38, block H56).

The agency codes follow QCVN 102 (``000.00.00.H56`` is the provincial People's
Committee) but below the province they are plausible, not the province's official
list. Idempotent: what exists is left alone, so a second run writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from motcua.agencies.actions import do_create_agency, do_load_admin_units
from motcua.agencies.models import Agency, AgencyKind, AgencyLevel
from motcua.kernel.actors import Actor

__all__ = [
    "COMMUNES",
    "DEMO_AGENCIES",
    "JUSTICE_DEPARTMENT_CODE",
    "PROVINCE_CODE",
    "PROVINCIAL_PASC_CODE",
    "PROVINCIAL_PC_CODE",
    "load_demo",
]

PROVINCE_CODE = "38"
PROVINCIAL_PC_CODE = "000.00.00.H56"
PROVINCIAL_OFFICE_CODE = "000.00.01.H56"
PROVINCIAL_PASC_CODE = "000.01.01.H56"
JUSTICE_DEPARTMENT_CODE = "000.00.12.H56"

K, L = AgencyKind, AgencyLevel


@dataclass(frozen=True)
class DemoAgency:
    code: str
    name: str
    kind: str
    level: str
    parent_code: str | None
    admin_unit_code: str
    short_name: str = ""


@dataclass(frozen=True)
class DemoCommune:
    unit_code: str
    unit_name: str  # as in the package, checked by the tests
    pc_code: str
    pasc_code: str

    @property
    def short(self) -> str:
        """Return the name without its kind: "Hạc Thành"."""
        return self.unit_name.split(" ", 1)[1]

    @property
    def in_sentence(self) -> str:
        """Return the name as written inside a sentence: "phường Hạc Thành"."""
        return self.unit_name[:1].lower() + self.unit_name[1:]


COMMUNES = [
    DemoCommune("14797", "Phường Hạc Thành", "000.00.41.H56", "000.01.41.H56"),
    DemoCommune("16531", "Phường Sầm Sơn", "000.00.42.H56", "000.01.42.H56"),
    DemoCommune("15865", "Xã Hoằng Hóa", "000.00.43.H56", "000.01.43.H56"),
]

_DEPARTMENTS = [
    ("000.00.12.H56", "Sở Tư pháp tỉnh Thanh Hóa", "Sở Tư pháp"),
    ("000.00.13.H56", "Sở Xây dựng tỉnh Thanh Hóa", "Sở Xây dựng"),
    ("000.00.14.H56", "Sở Nông nghiệp và Môi trường tỉnh Thanh Hóa", "Sở NN&MT"),
    ("000.00.15.H56", "Sở Tài chính tỉnh Thanh Hóa", "Sở Tài chính"),
    ("000.00.16.H56", "Sở Nội vụ tỉnh Thanh Hóa", "Sở Nội vụ"),
    ("000.00.17.H56", "Sở Y tế tỉnh Thanh Hóa", "Sở Y tế"),
    ("000.00.18.H56", "Sở Giáo dục và Đào tạo tỉnh Thanh Hóa", "Sở GD&ĐT"),
    ("000.00.19.H56", "Sở Công Thương tỉnh Thanh Hóa", "Sở Công Thương"),
]

DEMO_AGENCIES: list[DemoAgency] = [
    DemoAgency(PROVINCIAL_PC_CODE, "Ủy ban nhân dân tỉnh Thanh Hóa", K.PROVINCIAL_PC, L.PROVINCE,
               None, PROVINCE_CODE, "UBND tỉnh"),
    DemoAgency(PROVINCIAL_OFFICE_CODE, "Văn phòng Ủy ban nhân dân tỉnh Thanh Hóa", K.DEPARTMENT,
               L.PROVINCE, PROVINCIAL_PC_CODE, PROVINCE_CODE, "Văn phòng UBND tỉnh"),
    DemoAgency(PROVINCIAL_PASC_CODE, "Trung tâm Phục vụ hành chính công tỉnh Thanh Hóa",
               K.PROVINCIAL_PASC, L.PROVINCE, PROVINCIAL_OFFICE_CODE, PROVINCE_CODE,
               "TTPVHCC tỉnh"),
    *(
        DemoAgency(code, name, K.DEPARTMENT, L.PROVINCE, PROVINCIAL_PC_CODE, PROVINCE_CODE, short)
        for code, name, short in _DEPARTMENTS
    ),
    # A vertical-sector agency: not under the provincial PC, its staff sit at the PASC.
    DemoAgency("000.00.90.H56", "Công an tỉnh Thanh Hóa", K.VERTICAL_SECTOR, L.PROVINCE, None,
               PROVINCE_CODE, "Công an tỉnh"),
    *(
        agency
        for commune in COMMUNES
        for agency in (
            DemoAgency(commune.pc_code, f"Ủy ban nhân dân {commune.in_sentence}", K.COMMUNE_PC,
                       L.COMMUNE, PROVINCIAL_PC_CODE, commune.unit_code, f"UBND {commune.short}"),
            DemoAgency(commune.pasc_code, f"Trung tâm Phục vụ hành chính công {commune.in_sentence}",
                       K.COMMUNE_PASC, L.COMMUNE, commune.pc_code, commune.unit_code,
                       f"TTPVHCC {commune.short}"),
        )
    ),
]  # fmt: skip


def load_demo() -> list[str]:
    """Load every administrative unit and create the Thanh Hóa agencies that are missing."""
    actor = Actor.system("demo")
    report = do_load_admin_units(actor=actor)
    existing = set(
        Agency.objects.filter(code__in=[a.code for a in DEMO_AGENCIES]).values_list(
            "code", flat=True
        )
    )
    created = 0
    for spec in DEMO_AGENCIES:
        if spec.code in existing:
            continue
        do_create_agency(
            actor=actor,
            code=spec.code,
            name=spec.name,
            kind=spec.kind,
            level=spec.level,
            parent_code=spec.parent_code,
            admin_unit_code=spec.admin_unit_code,
            short_name=spec.short_name,
        )
        created += 1
    return [
        f"Đơn vị hành chính: {report.created} mới, {report.updated} cập nhật "
        f"(34 tỉnh, 3.321 xã từ 01/7/2025; 63 tỉnh cũ).",
        f"Cơ quan mẫu tỉnh Thanh Hóa: {created} mới, {len(DEMO_AGENCIES)} tất cả "
        f"(UBND tỉnh {PROVINCIAL_PC_CODE}, TTPVHCC tỉnh {PROVINCIAL_PASC_CODE}, "
        f"{len(COMMUNES)} xã/phường).",
    ]
