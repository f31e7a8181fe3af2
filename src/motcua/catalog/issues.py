"""``Issue``: one problem at one place of a ``ProcedureData``, and pydantic's errors as issues.

Every check of the catalogue reports issues, never raises half-way, so a form, an import
report and an API error can show every problem at once, each where it belongs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

__all__ = ["Issue", "Path", "issues_from_pydantic"]

Path = tuple[str | int, ...]


@dataclass(frozen=True, slots=True)
class Issue:
    """One problem in one place of a ``ProcedureData`` (``("fees", 0, "amount")``)."""

    path: Path
    message: str

    @property
    def dotted(self) -> str:
        out = ""
        for part in self.path:
            out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
        return out


def _pydantic_message(error: Mapping[str, Any]) -> str:
    ctx = error.get("ctx") or {}
    kind = error.get("type", "")
    if kind == "missing":
        return _("Thiếu thông tin bắt buộc.")
    if kind == "extra_forbidden":
        return _("Trường không có trong mẫu dữ liệu.")
    if kind == "string_pattern_mismatch" and error.get("loc", ())[-1:] == ("code",):
        return _("Mã thủ tục phải có dạng 1.xxxxxx hoặc 2.xxxxxx (sáu chữ số).")
    if kind == "string_pattern_mismatch":
        return _("Giá trị không đúng định dạng.")
    if kind in {"string_too_short", "too_short"}:
        return _("Không được để trống.")
    if kind in {"string_too_long", "too_long"}:
        return _("Dài quá mức cho phép (%(max)s).") % {"max": ctx.get("max_length", "")}
    if kind == "int_from_float":
        return _("Phải là số nguyên (đồng), không có phần lẻ.")
    if kind in {"int_parsing", "int_type"}:
        return _("Phải là số nguyên.")
    if kind in {"decimal_parsing", "decimal_type", "float_parsing"}:
        return _("Phải là một số.")
    if kind == "decimal_max_places":
        return _("Tối đa hai chữ số thập phân.")
    if kind in {"greater_than_equal", "greater_than"}:
        limit = ctx.get("ge", ctx.get("gt", 0))
        if str(limit) in {"0", "0.0"} and kind == "greater_than_equal":
            return _("Không được là số âm.")
        return _("Phải lớn hơn %(limit)s.") % {"limit": limit}
    if kind == "less_than_equal":
        return _("Không được lớn hơn %(limit)s.") % {"limit": ctx.get("le", "")}
    if kind in {"enum", "literal_error"}:
        return _("Giá trị không hợp lệ; các giá trị được phép: %(expected)s.") % {
            "expected": ctx.get("expected", "")
        }
    if kind in {
        "date_parsing",
        "date_from_datetime_parsing",
        "date_type",
        "date_from_datetime_inexact",
    }:
        return _("Ngày không hợp lệ (dùng dạng YYYY-MM-DD).")
    if kind in {"bool_parsing", "bool_type"}:
        return _("Phải là true hoặc false.")
    if kind in {"string_type", "list_type", "model_type", "dict_type", "model_attributes_type"}:
        return _("Kiểu dữ liệu không đúng.")
    return str(error.get("msg", _("Giá trị không hợp lệ.")))


def issues_from_pydantic(errors: Iterable[Mapping[str, Any]]) -> list[Issue]:
    """Translate pydantic ``ValidationError.errors()`` into issues with Vietnamese messages."""
    issues: list[Issue] = []
    for error in errors:
        loc = tuple(part for part in error.get("loc", ()) if not str(part).startswith("function-"))
        # Drop the union branch names pydantic adds (``role.literal['']``).
        path = tuple(p for p in loc if not (isinstance(p, str) and ("[" in p or p in {"Role"})))
        issues.append(Issue(path, _pydantic_message(error)))
    return issues
