"""Bad input is refused with a clear message naming the field, and nothing is saved."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from motcua.audit.models import AuditEvent
from motcua.catalog.actions import do_create_procedure
from motcua.catalog.errors import InvalidProcedure
from motcua.catalog.models import Procedure
from motcua.catalog.schemas import ProcedureData
from motcua.catalog.validation import check_procedure_data, issues_from_pydantic
from tests.catalog.factories import (
    COMMUNE_PC,
    JUSTICE,
    announcement,
    procedure_data,
    procedure_payload,
)


def messages_of(data: ProcedureData) -> dict[str, str]:
    return {issue.dotted: issue.message for issue in check_procedure_data(data)}


def format_errors(payload: dict) -> dict[str, str]:
    with pytest.raises(ValidationError) as excinfo:
        ProcedureData.model_validate(payload)
    return {i.dotted: i.message for i in issues_from_pydantic(excinfo.value.errors())}


def test_a_valid_procedure_has_no_issue():
    assert messages_of(procedure_data()) == {}


def test_time_shares_must_add_up_to_the_time_limit_and_the_message_names_the_numbers():
    data = procedure_data(
        cases=[{"code": "TH1", "name": "Khai sinh đúng hạn", "time_limit": 5}],
        steps=[
            {"name": "Tiếp nhận", "role": "desk_officer", "duration": 4, "duration_unit": "hours"},
            {"name": "Thẩm định", "role": "handler", "duration": 2.5},
        ],
    )

    assert messages_of(data) == {
        "steps[0].duration": (
            "Tổng thời gian của các bước (3 ngày làm việc) không bằng thời hạn giải quyết của "
            "trường hợp “Khai sinh đúng hạn” (5 ngày làm việc)."
        )
    }


def test_working_hours_convert_to_working_days():
    data = procedure_data(
        cases=[{"code": "TH1", "name": "A", "time_limit": 3}],
        steps=[
            {"name": "Tiếp nhận", "role": "desk_officer", "duration": 4, "duration_unit": "hours"},
            {"name": "Thẩm định", "role": "handler", "duration": 2.5},
        ],
    )
    assert messages_of(data) == {}


def test_calendar_days_do_not_convert_to_working_days():
    data = procedure_data(
        steps=[{"name": "Niêm yết", "role": "handler", "duration": 1, "duration_unit": "days"}]
    )
    assert messages_of(data) == {
        "steps[0].duration_unit": (
            "Thời gian của bước “Niêm yết” tính bằng ngày, không quy đổi được sang ngày làm việc "
            "của trường hợp “Khai sinh đúng hạn”."
        )
    }


def test_inter_agency_procedures_name_two_agencies_in_order():
    one_agency = procedure_data(is_inter_agency=True)
    assert "steps[1].agency_code" not in messages_of(one_agency)
    assert list(messages_of(one_agency)) == ["steps[0].agency_code"]

    two = procedure_data(
        is_inter_agency=True,
        steps=[
            {"name": "UBND xã xác nhận", "agency_code": COMMUNE_PC, "duration": 0.5},
            {"name": "Sở Tư pháp giải quyết", "agency_code": JUSTICE, "duration": 0.5},
        ],
    )
    assert messages_of(two) == {}


def test_negative_or_fractional_fees_are_refused():
    payload = procedure_payload(
        fees=[{"name": "Lệ phí", "amount": -5000}, {"name": "Phí", "amount": 1500.5}]
    )
    assert format_errors(payload) == {
        "fees[0].amount": "Không được là số âm.",
        "fees[1].amount": "Phải là số nguyên (đồng), không có phần lẻ.",
    }


def test_invalid_code_format_is_refused():
    assert format_errors(procedure_payload("1.00123")) == {
        "code": "Mã thủ tục phải có dạng 1.xxxxxx hoặc 2.xxxxxx (sáu chữ số)."
    }
    assert format_errors(procedure_payload("3.001234")) == {
        "code": "Mã thủ tục phải có dạng 1.xxxxxx hoặc 2.xxxxxx (sáu chữ số)."
    }


def test_effective_date_before_the_announcement_is_refused():
    data = procedure_data(announcement=announcement("1/QĐ-UBND", "2025-07-10", "2025-07-01"))
    assert messages_of(data) == {
        "announcement.effective_on": (
            "Ngày có hiệu lực (01/07/2025) không được trước ngày ban hành quyết định công bố "
            "(10/07/2025)."
        )
    }


def test_cross_references_inside_a_version_are_checked():
    data = procedure_data(
        documents=[
            {"name": "Tờ khai", "case_code": "TH9", "originals": 1},
            {"name": "Giấy tờ", "originals": 0},
            {"name": "Giấy tờ khác", "originals": 1, "requirement": "conditional"},
            {"name": "CCCD", "originals": 1, "replaceable_by_data": True},
            {"name": "Đơn", "originals": 1, "form_code": "KHONG-CO"},
        ],
        is_free=True,
        result_name="",
    )
    assert set(messages_of(data)) == {
        "documents[0].case_code",
        "documents[1].originals",
        "documents[2].condition",
        "documents[3].data_source_code",
        "documents[4].form_code",
        "is_free",
        "result_name",
    }


def test_the_action_refuses_invalid_data_with_field_errors_and_writes_nothing(
    agencies, catalog_admin
):
    data = procedure_data(
        implementing_agency_codes=["000.00.99.H56"],
        cases=[{"code": "TH1", "name": "A", "time_limit": 5}],
    )

    with pytest.raises(InvalidProcedure) as excinfo:
        do_create_procedure(data, actor=catalog_admin)

    errors = {key: [str(m) for m in value] for key, value in excinfo.value.field_errors.items()}
    assert errors == {
        "steps[0].duration": [
            "Tổng thời gian của các bước (1 ngày làm việc) không bằng thời hạn giải quyết của "
            "trường hợp “A” (5 ngày làm việc)."
        ],
        "implementing_agency_codes[0]": [
            "Không có cơ quan mã “000.00.99.H56” trong hệ thống; cơ quan ngoài hệ thống hãy ghi tên."
        ],
    }
    assert excinfo.value.code == "catalog.invalid_procedure"
    assert Procedure.objects.count() == 0
    assert AuditEvent.objects.count() == 0


@given(
    limit=st.integers(min_value=1, max_value=30),
    cuts=st.lists(st.integers(min_value=1, max_value=239), max_size=5, unique=True),
    extra=st.integers(min_value=-3, max_value=3),
)
@settings(max_examples=60, deadline=None)
def test_shares_in_hours_are_accepted_exactly_when_they_add_up(limit, cuts, extra):
    hours = limit * 8
    points = sorted({c for c in cuts if c < hours})
    shares = [b - a for a, b in zip([0, *points], [*points, hours], strict=True)]
    shares[-1] += extra
    if shares[-1] <= 0:
        return
    data = procedure_data(
        cases=[{"code": "TH1", "name": "A", "time_limit": limit}],
        steps=[
            {"name": f"Bước {i}", "role": "handler", "duration": h, "duration_unit": "hours"}
            for i, h in enumerate(shares)
        ],
    )

    problems = messages_of(data)

    assert (problems == {}) is (extra == 0)
