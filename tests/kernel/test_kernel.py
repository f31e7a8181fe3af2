"""Kernel: errors render as problem+json with stable codes; text folding; masking."""

from __future__ import annotations

import json

from django.test import RequestFactory
from django.utils import translation

from motcua.kernel.errors import InvalidInput, NotFound, WrongState
from motcua.kernel.problems import problem_response
from motcua.kernel.text import fold, mask_id


def test_fold_removes_vietnamese_diacritics_and_case() -> None:
    assert fold("Đăng ký  KHAI SINH") == "dang ky khai sinh"
    assert fold("Giấy chứng nhận quyền sử dụng đất") == "giay chung nhan quyen su dung dat"


def test_mask_id_keeps_only_the_ends() -> None:
    assert mask_id("038095001234") == "038******234"
    assert mask_id("12345") == "*****"


def test_application_error_renders_as_problem_json() -> None:
    request = RequestFactory().get("/api/v1/x")
    error = InvalidInput(field_errors={"code": ["Mã không hợp lệ."]})

    response = problem_response(request, error)

    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    body = json.loads(response.content)
    assert body["code"] == "invalid_input"
    assert body["title"] == "Dữ liệu nhập không hợp lệ."
    assert body["errors"] == [{"field": "code", "message": "Mã không hợp lệ."}]
    assert body["instance"] == "/api/v1/x"


def test_messages_are_translated_at_render_time() -> None:
    error = WrongState(params={"state": "Nháp"})
    assert error.message == "Không thể thực hiện thao tác này ở trạng thái hiện tại (Nháp)."
    with translation.override("en"):
        assert NotFound().message == "The requested item was not found."


def test_custom_code_is_kept() -> None:
    assert InvalidInput(code="calendar.duplicate_date").code == "calendar.duplicate_date"
