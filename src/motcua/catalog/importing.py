"""Read an import file (JSON, XLSX, or a ZIP of CSV files) into checked candidates.

``read_import_file`` recognises the format by content, never by name, decodes text as
strict UTF-8, checks the sheets and columns, assembles one ``ProcedureData`` per
procedure and runs every check that needs no database. Each problem becomes an
``ImportIssue`` naming the sheet, the row and the field. Nothing here writes:
``catalog.actions.do_import_procedures`` does, after the database checks.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from pydantic import ValidationError

from motcua.catalog.errors import ImportFileUnreadable
from motcua.catalog.schemas import FORMAT_ID, ProcedureData
from motcua.catalog.tabular import ANNOUNCEMENT_PREFIX, SHEETS, SHEETS_BY_NAME, cell_to_value
from motcua.catalog.validation import Issue, check_procedure_data, issues_from_pydantic

__all__ = [
    "Candidate",
    "ImportBatch",
    "ImportIssue",
    "ImportReport",
    "batch_from_data",
    "read_import_file",
]

JSON, XLSX, CSV_ZIP = "json", "xlsx", "csv"


@dataclass(frozen=True, slots=True)
class ImportIssue:
    """One invalid row: where it is (sheet, row, field), which procedure, and why."""

    sheet: str
    row: int
    field: str
    message: str
    procedure_code: str = ""

    @property
    def where(self) -> str:
        if self.sheet:
            return _("trang “%(sheet)s”, dòng %(row)s, cột “%(field)s”") % {
                "sheet": self.sheet,
                "row": self.row,
                "field": self.field or "—",
            }
        return _("thủ tục thứ %(row)s, trường “%(field)s”") % {
            "row": self.row,
            "field": self.field or "—",
        }

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass
class Origin:
    """Where the parts of one procedure came from, to name rows in messages."""

    sheet: str  # "" for JSON
    row: int
    items: dict[tuple[str, int], int] = field(default_factory=dict)

    def locate(self, path: tuple[str | int, ...]) -> tuple[str, int, str]:
        """Return (sheet, row, field) of a ``ProcedureData`` path."""
        if not self.sheet:
            return "", self.row, Issue(path, "").dotted
        if len(path) >= 2 and isinstance(path[1], int) and (str(path[0]), path[1]) in self.items:
            column = str(path[2]) if len(path) > 2 else ""
            return str(path[0]), self.items[(str(path[0]), path[1])], column
        if path and path[0] == "announcement" and len(path) > 1:
            return self.sheet, self.row, f"{ANNOUNCEMENT_PREFIX}{path[1]}"
        return self.sheet, self.row, str(path[0]) if path else ""


@dataclass
class Candidate:
    """One procedure of the file: its data when it parsed, and where it came from."""

    code: str
    origin: Origin
    data: ProcedureData | None = None
    issues: list[ImportIssue] = field(default_factory=list)

    def add(self, issues: list[Issue]) -> None:
        for issue in issues:
            sheet, row, column = self.origin.locate(issue.path)
            self.issues.append(ImportIssue(sheet, row, column, issue.message, self.code))

    @property
    def is_valid(self) -> bool:
        return self.data is not None and not self.issues


@dataclass
class ImportBatch:
    """A parsed file: its candidates and the problems that belong to no procedure."""

    source: str
    candidates: list[Candidate]
    issues: list[ImportIssue] = field(default_factory=list)
    # Wrong sheets or columns: no row can be trusted, so even a partial import stops.
    is_malformed: bool = False


@dataclass
class ImportReport:
    """What an import did, or would have done, procedure by procedure."""

    source: str = ""
    total: int = 0
    created: list[str] = field(default_factory=list)
    new_versions: list[str] = field(default_factory=list)
    drafts_replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)
    imported: bool = False

    @property
    def ok(self) -> bool:
        return not self.issues

    def summary(self) -> str:
        return _(
            "%(total)s thủ tục: %(created)s mới, %(versions)s phiên bản mới, %(replaced)s bản "
            "nháp được thay, %(unchanged)s không đổi, %(published)s được công bố, %(rejected)s "
            "bị từ chối."
        ) % {
            "total": self.total,
            "created": len(self.created),
            "versions": len(self.new_versions),
            "replaced": len(self.drafts_replaced),
            "unchanged": len(self.unchanged),
            "published": len(self.published),
            "rejected": len(self.rejected),
        }


def _max_bytes() -> int:
    return int(getattr(settings, "CATALOG_IMPORT_MAX_BYTES", 200 * 1024 * 1024))


def _unreadable(reason: str) -> ImportFileUnreadable:
    return ImportFileUnreadable(params={"reason": reason})


def _decode(content: bytes, what: str) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _unreadable(
            _("%(what)s không phải văn bản UTF-8 (byte lỗi ở vị trí %(pos)s).")
            % {"what": what, "pos": exc.start}
        ) from None


def _check_candidate(candidate: Candidate, payload: Any) -> None:
    try:
        candidate.data = ProcedureData.model_validate(payload)
    except ValidationError as exc:
        candidate.add(issues_from_pydantic(exc.errors()))
        return
    candidate.add(check_procedure_data(candidate.data))


def _mark_duplicates(batch: ImportBatch) -> None:
    by_code: dict[str, list[Candidate]] = defaultdict(list)
    for candidate in batch.candidates:
        if candidate.code:
            by_code[candidate.code].append(candidate)
    for code, same in by_code.items():
        if len(same) < 2:
            continue
        rows = ", ".join(str(c.origin.row) for c in same)
        for candidate in same:
            sheet, row, _f = candidate.origin.locate(())
            candidate.issues.append(
                ImportIssue(
                    sheet,
                    row,
                    "code",
                    _("Mã thủ tục “%(code)s” xuất hiện nhiều lần trong tệp (dòng %(rows)s).")
                    % {"code": code, "rows": rows},
                    code,
                )
            )


def _mark_inconsistent_announcements(batch: ImportBatch) -> None:
    """Report procedures naming one decision (number and date) with different effective dates."""
    by_decision: dict[tuple[str, dt.date], list[tuple[Candidate, dt.date]]] = defaultdict(list)
    for candidate in batch.candidates:
        ann = candidate.data.announcement if candidate.data else None
        if ann is not None:
            by_decision[(ann.number, ann.decided_on)].append((candidate, ann.effective_on))
    for (number, decided_on), uses in by_decision.items():
        dates: dict[dt.date, list[str]] = defaultdict(list)
        for candidate, effective_on in uses:
            dates[effective_on].append(str(candidate.origin.row))
        if len(dates) < 2:
            continue
        found = "; ".join(
            _("%(date)s (dòng %(rows)s)") % {"date": f"{day:%d/%m/%Y}", "rows": ", ".join(rows)}
            for day, rows in sorted(dates.items())
        )
        message = _(
            "Quyết định %(number)s ngày %(decided)s được ghi với nhiều ngày hiệu lực khác nhau "
            "trong tệp: %(found)s."
        ) % {"number": number, "decided": f"{decided_on:%d/%m/%Y}", "found": found}
        for candidate, _effective_on in uses:
            candidate.add([Issue(("announcement", "effective_on"), message)])


def _read_json(content: bytes) -> ImportBatch:
    text = _decode(content, _("Tệp JSON"))
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise _unreadable(
            _("JSON sai cú pháp ở dòng %(line)s, cột %(col)s.")
            % {"line": exc.lineno, "col": exc.colno}
        ) from None
    if not isinstance(document, dict) or not isinstance(document.get("procedures"), list):
        raise _unreadable(_("tệp JSON phải là một đối tượng có danh sách “procedures”."))
    unknown = sorted(set(document) - {"format", "exported_at", "procedures"})
    if unknown:
        raise _unreadable(_("khóa không có trong mẫu: %(keys)s.") % {"keys": ", ".join(unknown)})
    if document.get("format", FORMAT_ID) != FORMAT_ID:
        raise _unreadable(
            _("định dạng “%(found)s” không được hỗ trợ (cần “%(expected)s”).")
            % {"found": document.get("format"), "expected": FORMAT_ID}
        )
    batch = ImportBatch(JSON, [])
    for index, payload in enumerate(document["procedures"], start=1):
        code = str(payload.get("code", "")).strip() if isinstance(payload, dict) else ""
        candidate = Candidate(code, Origin("", index))
        _check_candidate(candidate, payload)
        batch.candidates.append(candidate)
    _mark_duplicates(batch)
    _mark_inconsistent_announcements(batch)
    return batch


def _read_xlsx_tables(content: bytes) -> dict[str, list[tuple[Any, ...]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken package
        raise _unreadable(_("tệp không phải bảng tính XLSX hợp lệ.")) from None
    try:
        return {ws.title: list(ws.iter_rows(values_only=True)) for ws in workbook.worksheets}
    finally:
        workbook.close()


def _read_csv_tables(archive: zipfile.ZipFile) -> dict[str, list[tuple[Any, ...]]]:
    tables: dict[str, list[tuple[Any, ...]]] = {}
    for info in archive.infolist():
        if info.is_dir() or info.filename.startswith("__MACOSX/"):
            continue
        name = info.filename.rsplit("/", 1)[-1]
        if not name.lower().endswith(".csv"):
            raise _unreadable(
                _("tệp ZIP chỉ được chứa các tệp CSV (gặp “%(name)s”).") % {"name": name}
            )
        text = _decode(archive.read(info), name)
        tables[name[:-4]] = [tuple(row) for row in csv.reader(io.StringIO(text))]
    return tables


def _read_tables(tables: dict[str, list[tuple[Any, ...]]], source: str) -> ImportBatch:
    batch = ImportBatch(source, [])
    structural: list[ImportIssue] = []
    if "procedures" not in tables:
        structural.append(ImportIssue("procedures", 1, "", _("Thiếu trang “procedures”.")))
    for name in tables:
        if name not in SHEETS_BY_NAME:
            structural.append(
                ImportIssue(
                    name,
                    1,
                    "",
                    _("Trang không có trong mẫu; các trang được phép: %(names)s.")
                    % {"names": ", ".join(s.name for s in SHEETS)},
                )
            )
    parsed: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for sheet in SHEETS:
        rows = tables.get(sheet.name)
        if not rows:
            continue
        header = [str(c).strip() if c is not None else "" for c in rows[0]]
        for column in header:
            if column and column not in sheet.columns:
                structural.append(ImportIssue(sheet.name, 1, column, _("Cột không có trong mẫu.")))
        for column in sorted(sheet.required - set(header)):
            structural.append(ImportIssue(sheet.name, 1, column, _("Thiếu cột bắt buộc.")))
        parsed[sheet.name] = []
        for number, cells in enumerate(rows[1:], start=2):
            record: dict[str, Any] = {}
            for column, raw in zip(header, cells, strict=False):
                value = cell_to_value(sheet, column, raw) if column else None
                if value is not None:
                    record[column] = value
            if record:
                parsed[sheet.name].append((number, record))
    if structural:
        # Wrong sheets or columns: the rows cannot be read reliably, so stop here.
        batch.issues = structural
        batch.is_malformed = True
        return batch

    by_code: dict[str, Candidate] = {}
    payloads: dict[int, dict[str, Any]] = {}
    for number, record in parsed.get("procedures", []):
        code = str(record.get("code", ""))
        payload: dict[str, Any] = {}
        announcement: dict[str, Any] = {}
        for column, value in record.items():
            if column.startswith(ANNOUNCEMENT_PREFIX):
                announcement[column.removeprefix(ANNOUNCEMENT_PREFIX)] = value
            else:
                payload[column] = value
        if announcement:
            payload["announcement"] = announcement
        candidate = Candidate(code, Origin("procedures", number))
        batch.candidates.append(candidate)
        payloads[id(candidate)] = payload
        by_code.setdefault(code, candidate)
    for sheet in SHEETS[1:]:
        assert sheet.attr is not None
        for number, record in parsed.get(sheet.name, []):
            code = str(record.pop("procedure_code", ""))
            owner = by_code.get(code)
            if owner is None:
                batch.issues.append(
                    ImportIssue(
                        sheet.name,
                        number,
                        "procedure_code",
                        _("Không có thủ tục mã “%(code)s” trong trang “procedures”.")
                        % {"code": code},
                        code,
                    )
                )
                continue
            items = payloads[id(owner)].setdefault(sheet.attr, [])
            owner.origin.items[(sheet.attr, len(items))] = number
            items.append(record)
    for candidate in batch.candidates:
        _check_candidate(candidate, payloads[id(candidate)])
    _mark_duplicates(batch)
    _mark_inconsistent_announcements(batch)
    return batch


def read_import_file(content: bytes) -> ImportBatch:
    """Parse ``content`` (JSON, XLSX or a ZIP of CSV files) into an ``ImportBatch``.

    Raise ``ImportFileUnreadable`` when the file is too large, not UTF-8, not one of
    these formats, or broken; row problems are returned in the batch, not raised.
    """
    if len(content) > _max_bytes():
        raise _unreadable(
            _("tệp lớn hơn giới hạn %(limit)s MB.") % {"limit": _max_bytes() // (1024 * 1024)}
        )
    head = content[:4]
    if head.startswith(b"PK\x03\x04"):
        try:
            archive = zipfile.ZipFile(io.BytesIO(content))
            names = set(archive.namelist())
        except zipfile.BadZipFile:
            raise _unreadable(_("tệp ZIP bị hỏng.")) from None
        if "xl/workbook.xml" in names:
            return _read_tables(_read_xlsx_tables(content), XLSX)
        return _read_tables(_read_csv_tables(archive), CSV_ZIP)
    stripped = content.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"{", b"["):
        return _read_json(content)
    if content[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise _unreadable(_("tệp được mã hóa UTF-16; hãy lưu lại bằng UTF-8."))
    raise _unreadable(_("định dạng không được hỗ trợ; hãy dùng JSON, XLSX hoặc ZIP các tệp CSV."))


def batch_from_data(procedures: list[ProcedureData], source: str = "data") -> ImportBatch:
    """Wrap already-built ``ProcedureData`` (demo loaders, tests) as a checked batch."""
    batch = ImportBatch(source, [])
    for index, data in enumerate(procedures, start=1):
        candidate = Candidate(data.code, Origin("", index), data=data)
        candidate.add(check_procedure_data(data))
        batch.candidates.append(candidate)
    _mark_duplicates(batch)
    _mark_inconsistent_announcements(batch)
    return batch
