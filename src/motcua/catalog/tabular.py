"""The exchange format flattened into sheets (XLSX workbook, or one CSV per sheet in a ZIP).

Sheet ``procedures`` has one row per procedure (lists of values joined by ``;``, the
announcement decision in ``announcement_*`` columns); every other sheet has one row
per item of a list of ``ProcedureData`` and starts with ``procedure_code``. Rows keep
the order of the list. The columns are derived from ``catalog.schemas``, so the three
formats cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from motcua.catalog.schemas import (
    AnnouncementData,
    BoundaryFreeData,
    CaseData,
    DocumentData,
    FeeData,
    FormData,
    LegalBasisData,
    ProcedureData,
    StepData,
)

__all__ = [
    "ANNOUNCEMENT_PREFIX",
    "LIST_SEPARATOR",
    "SHEETS",
    "SHEETS_BY_NAME",
    "SheetSpec",
    "cell_to_value",
    "flatten_procedure",
]

LIST_SEPARATOR = ";"
ANNOUNCEMENT_PREFIX = "announcement_"
_VN_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def _is_list(annotation: Any) -> bool:
    return typing.get_origin(annotation) is list


def _is_date(annotation: Any) -> bool:
    return annotation is dt.date or dt.date in typing.get_args(annotation)


@dataclass(frozen=True)
class SheetSpec:
    """One sheet: its name, the list of ``ProcedureData`` it holds and its columns."""

    name: str
    attr: str | None  # None: the procedures sheet itself
    model: type[BaseModel]
    columns: tuple[str, ...]
    required: frozenset[str]
    list_columns: frozenset[str]
    date_columns: frozenset[str]


def _procedures_sheet() -> SheetSpec:
    columns: list[str] = []
    required: set[str] = set()
    lists: set[str] = set()
    dates: set[str] = set()
    for name, info in ProcedureData.model_fields.items():
        if name in CHILD_MODELS or name == "announcement":
            continue
        columns.append(name)
        if info.is_required():
            required.add(name)
        if _is_list(info.annotation):
            lists.add(name)
    for name, info in AnnouncementData.model_fields.items():
        columns.append(ANNOUNCEMENT_PREFIX + name)
        if _is_date(info.annotation):
            dates.add(ANNOUNCEMENT_PREFIX + name)
    return SheetSpec(
        "procedures",
        None,
        ProcedureData,
        tuple(columns),
        frozenset(required),
        frozenset(lists),
        frozenset(dates),
    )


def _child_sheet(attr: str, model: type[BaseModel]) -> SheetSpec:
    fields = model.model_fields
    return SheetSpec(
        attr,
        attr,
        model,
        ("procedure_code", *fields),
        frozenset({"procedure_code", *(n for n, f in fields.items() if f.is_required())}),
        frozenset(),
        frozenset(n for n, f in fields.items() if _is_date(f.annotation)),
    )


CHILD_MODELS: dict[str, type[BaseModel]] = {
    "cases": CaseData,
    "documents": DocumentData,
    "fees": FeeData,
    "steps": StepData,
    "legal_bases": LegalBasisData,
    "forms": FormData,
    "boundary_free": BoundaryFreeData,
}
SHEETS: tuple[SheetSpec, ...] = (
    _procedures_sheet(),
    *(_child_sheet(attr, model) for attr, model in CHILD_MODELS.items()),
)
SHEETS_BY_NAME = {sheet.name: sheet for sheet in SHEETS}


def cell_to_value(sheet: SheetSpec, column: str, raw: Any) -> Any:
    """Return the value of one cell for ``ProcedureData``, or None when the cell is empty.

    Lists are split on ``;``; ``dd/mm/yyyy`` dates are read as Vietnamese dates; a
    procedure code typed as a number (``2.00063``) gets back its six decimals.
    """
    if raw is None:
        return None
    if isinstance(raw, str):
        raw = raw.strip()
        if raw == "":
            return None
    if column in sheet.list_columns:
        return [part.strip() for part in str(raw).split(LIST_SEPARATOR) if part.strip()]
    is_procedure_code = column == "procedure_code" or (column == "code" and sheet.attr is None)
    if is_procedure_code and isinstance(raw, float):
        return f"{raw:.6f}"
    if column in sheet.date_columns:
        if isinstance(raw, dt.datetime):
            return raw.date() if raw.time() == dt.time(0) else raw
        if isinstance(raw, str) and (match := _VN_DATE.match(raw)):
            day, month, year = (int(g) for g in match.groups())
            try:
                return dt.date(year, month, day)
            except ValueError:
                return raw
    return raw


def _cell(value: Any) -> Any:
    if isinstance(value, list):
        return LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, bool | int | float | dt.date) or value is None:
        return value
    return str(value)


def flatten_procedure(data: ProcedureData) -> dict[str, list[list[Any]]]:
    """Return the rows ``data`` contributes to each sheet (without headers)."""
    dumped = data.model_dump()
    rows: dict[str, list[list[Any]]] = {}
    procedures = SHEETS_BY_NAME["procedures"]
    announcement = dumped.get("announcement") or {}
    row: list[Any] = []
    for column in procedures.columns:
        if column.startswith(ANNOUNCEMENT_PREFIX):
            row.append(_cell(announcement.get(column.removeprefix(ANNOUNCEMENT_PREFIX))))
        else:
            row.append(_cell(dumped[column]))
    rows["procedures"] = [row]
    for sheet in SHEETS[1:]:
        assert sheet.attr is not None
        rows[sheet.name] = [
            [data.code, *(_cell(item[c]) for c in sheet.columns[1:])] for item in dumped[sheet.attr]
        ]
    return rows
