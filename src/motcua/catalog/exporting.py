"""Write procedure versions in the exchange format: JSON, XLSX, or a ZIP of CSV files.

All three carry the same data (``catalog.schemas.ProcedureData``); the file produced by
an export imports back unchanged (``motcua catalog import``).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable

from motcua.catalog.models import ProcedureVersion
from motcua.catalog.schemas import FORMAT_ID
from motcua.catalog.serialization import version_to_data
from motcua.catalog.tabular import SHEETS, flatten_procedure
from motcua.kernel import clock

__all__ = ["FORMATS", "export_csv_zip", "export_json", "export_versions", "export_xlsx"]


def export_json(versions: Iterable[ProcedureVersion]) -> bytes:
    """Return a UTF-8 JSON document ``{"format", "exported_at", "procedures"}``."""
    document = {
        "format": FORMAT_ID,
        "exported_at": clock.now().isoformat(),
        "procedures": [version_to_data(v).model_dump(mode="json") for v in versions],
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def _tables(versions: Iterable[ProcedureVersion]) -> dict[str, list[list[object]]]:
    tables: dict[str, list[list[object]]] = {sheet.name: [list(sheet.columns)] for sheet in SHEETS}
    for version in versions:
        for name, rows in flatten_procedure(version_to_data(version)).items():
            tables[name].extend(rows)
    return tables


def export_xlsx(versions: Iterable[ProcedureVersion]) -> bytes:
    """Return an XLSX workbook with one sheet per part, keyed by ``procedure_code``."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    for name, rows in _tables(versions).items():
        sheet = workbook.create_sheet(title=name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export_csv_zip(versions: Iterable[ProcedureVersion]) -> bytes:
    """Return a ZIP holding one UTF-8 CSV file per sheet (``procedures.csv``, ``cases.csv``…)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, rows in _tables(versions).items():
            text = io.StringIO()
            writer = csv.writer(text, lineterminator="\n")
            for row in rows:
                writer.writerow(["" if cell is None else _csv_cell(cell) for cell in row])
            archive.writestr(f"{name}.csv", text.getvalue().encode("utf-8"))
    return buffer.getvalue()


def _csv_cell(cell: object) -> object:
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if hasattr(cell, "isoformat"):
        return cell.isoformat()
    return cell


FORMATS = {"json": export_json, "xlsx": export_xlsx, "csv": export_csv_zip}


def export_versions(versions: Iterable[ProcedureVersion], fmt: str) -> bytes:
    """Return ``versions`` in format ``fmt`` (``json``, ``xlsx`` or ``csv``)."""
    return FORMATS[fmt](versions)
