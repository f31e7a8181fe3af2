"""Factories for catalogue tests: reference rows, and valid ``ProcedureData`` to vary."""

from __future__ import annotations

import datetime as dt
from typing import Any

from motcua.agencies.models import AdminUnit, Agency, AgencyKind, AgencyLevel
from motcua.catalog.schemas import ProcedureData

JUSTICE = "000.00.12.H56"
PROVINCIAL_PC = "000.00.00.H56"
COMMUNE_PC = "000.00.41.H56"


def make_agencies() -> dict[str, Agency]:
    """Create a province, its People's Committee, a department and a commune PC."""
    province = AdminUnit.objects.create(
        scheme="2025",
        code="38",
        level="province",
        name="Tỉnh Thanh Hóa",
        name_folded="tinh thanh hoa",
        valid_from=dt.date(2025, 7, 1),
    )
    AdminUnit.objects.create(
        scheme="2025",
        code="01",
        level="province",
        name="Thành phố Hà Nội",
        name_folded="thanh pho ha noi",
        valid_from=dt.date(2025, 7, 1),
    )
    rows = [
        (
            PROVINCIAL_PC,
            "Ủy ban nhân dân tỉnh Thanh Hóa",
            AgencyKind.PROVINCIAL_PC,
            AgencyLevel.PROVINCE,
        ),
        (JUSTICE, "Sở Tư pháp tỉnh Thanh Hóa", AgencyKind.DEPARTMENT, AgencyLevel.PROVINCE),
        (
            COMMUNE_PC,
            "Ủy ban nhân dân phường Hạc Thành",
            AgencyKind.COMMUNE_PC,
            AgencyLevel.COMMUNE,
        ),
    ]
    return {
        code: Agency.objects.create(
            code=code, name=name, kind=kind, level=level, admin_unit=province
        )
        for code, name, kind, level in rows
    }


def procedure_payload(code: str = "1.001193", **overrides: Any) -> dict[str, Any]:
    """Return the JSON payload of a valid, publishable procedure (birth registration)."""
    payload: dict[str, Any] = {
        "code": code,
        "name": "Đăng ký khai sinh",
        "field_code": "G01-HT",
        "field_name": "Hộ tịch",
        "levels": ["commune"],
        "subjects": ["citizen", "foreigner"],
        "submission_methods": ["counter", "online", "post"],
        "sequence": "Nộp hồ sơ; kiểm tra; cấp Giấy khai sinh.",
        "requirements": "",
        "implementing_agency_codes": [COMMUNE_PC],
        "result_is_document": True,
        "result_name": "Giấy khai sinh",
        "online_level": "full",
        "is_full_online_eligible": True,
        "is_free": False,
        "fee_code": "LP-HT-01",
        "announcement": {
            "number": "1234/QĐ-UBND",
            "issuer": "UBND tỉnh Thanh Hóa",
            "decided_on": "2025-06-20",
            "effective_on": "2025-07-01",
        },
        "cases": [
            {
                "code": "TH1",
                "name": "Khai sinh đúng hạn",
                "time_limit": 1,
                "time_unit": "working_days",
            },
        ],
        "documents": [
            {
                "name": "Tờ khai đăng ký khai sinh",
                "originals": 1,
                "form_code": "TK-KS",
            },
            {
                "name": "Giấy chứng sinh",
                "originals": 1,
                "replaceable_by_data": True,
                "data_source_code": "CSDLHT",
            },
        ],
        "fees": [{"kind": "fee", "name": "Lệ phí đăng ký khai sinh", "amount": 0}],
        "steps": [
            {
                "name": "Tiếp nhận hồ sơ",
                "role": "desk_officer",
                "duration": 2,
                "duration_unit": "hours",
            },
            {
                "name": "Thẩm định, ký",
                "agency_code": COMMUNE_PC,
                "role": "signer",
                "duration": 6,
                "duration_unit": "hours",
            },
        ],
        "legal_bases": [
            {
                "number": "60/2014/QH13",
                "title": "Luật Hộ tịch",
                "issued_on": "2014-11-20",
                "effective_on": "2016-01-01",
            }
        ],
        "forms": [
            {
                "code": "TK-KS",
                "name": "Tờ khai đăng ký khai sinh",
                "url": "https://example.gov.vn/tk-ks.docx",
            }
        ],
    }
    payload.update(overrides)
    return payload


def procedure_data(code: str = "1.001193", **overrides: Any) -> ProcedureData:
    return ProcedureData.model_validate(procedure_payload(code, **overrides))


def announcement(number: str, decided_on: str, effective_on: str) -> dict[str, str]:
    return {
        "number": number,
        "issuer": "UBND tỉnh Thanh Hóa",
        "decided_on": decided_on,
        "effective_on": effective_on,
    }
