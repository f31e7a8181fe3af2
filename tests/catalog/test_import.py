"""Import and export: JSON, XLSX and ZIP-of-CSV round trips, all-or-nothing, partial,
and files that are malformed, in the wrong encoding or not what they claim."""

from __future__ import annotations

import io
import json
import unicodedata
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.db.models import prefetch_related_objects
from openpyxl import load_workbook

from motcua.audit.models import AuditEvent
from motcua.catalog.actions import (
    do_create_procedure,
    do_import_procedures,
    do_publish_procedure_version,
)
from motcua.catalog.errors import ImportFileUnreadable, ImportRejected
from motcua.catalog.exporting import export_csv_zip, export_json, export_xlsx
from motcua.catalog.importing import read_import_file
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.schemas import ProcedureData
from motcua.catalog.selectors import get_version_in_force, iter_versions_for_export
from motcua.catalog.serialization import VERSION_PARTS_PREFETCH, version_payload, version_to_data
from motcua.catalog.serialization import _payload as payload_from_parts
from motcua.kernel.errors import PermissionDenied
from tests.catalog.factories import JUSTICE, announcement, procedure_data, procedure_payload

pytestmark = pytest.mark.usefixtures("agencies")


def json_file(*payloads: dict) -> bytes:
    return json.dumps(
        {"format": "motcua.catalog.procedures/1", "procedures": list(payloads)}
    ).encode()


def legacy_bytes(text: str) -> bytes:
    """Return ``text`` as Windows-1258 (the legacy Vietnamese code page), not UTF-8."""
    return unicodedata.normalize("NFD", text).encode("cp1258", errors="replace")


def second_payload(**overrides) -> dict:
    payload = procedure_payload(
        "2.000635",
        name="Cấp bản sao trích lục hộ tịch",
        implementing_agency_codes=[JUSTICE],
        cases=[
            {"code": "TH1", "name": "Nộp trực tiếp", "time_limit": 1},
            {"code": "TH2", "name": "Yêu cầu qua bưu chính", "time_limit": 2},
        ],
        documents=[
            {"name": "Tờ khai", "originals": 1, "form_code": "TK-KS"},
            {"name": "Phong bì có dán tem", "case_code": "TH2", "originals": 1},
        ],
        fees=[
            {"name": "Phí cấp bản sao", "amount": 8000},
            {"name": "Cước bưu chính", "case_code": "TH2", "kind": "charge", "amount": 25000},
        ],
        steps=[
            {"case_code": "TH1", "name": "Tiếp nhận", "role": "desk_officer", "duration": 1},
            {
                "case_code": "TH2",
                "name": "Tiếp nhận",
                "role": "postal_agent",
                "duration": 8,
                "duration_unit": "hours",
            },
            {"case_code": "TH2", "name": "Cấp bản sao", "agency_code": JUSTICE, "duration": 1},
        ],
        boundary_free=[{"province_code": "38", "valid_from": "2025-10-01"}],
    )
    payload.update(overrides)
    return payload


@pytest.fixture
def published(catalog_admin) -> list[ProcedureVersion]:
    versions = []
    for data in (
        procedure_data(),
        procedure_data(
            **{k: v for k, v in second_payload().items() if k != "code"}, code="2.000635"
        ),
    ):
        versions.append(
            do_publish_procedure_version(
                do_create_procedure(data, actor=catalog_admin), actor=catalog_admin
            )
        )
    return versions


def exported(fmt) -> bytes:
    return fmt(iter_versions_for_export())


@pytest.mark.parametrize(
    "fmt", [export_json, export_xlsx, export_csv_zip], ids=["json", "xlsx", "csv"]
)
def test_round_trip_reads_back_the_same_data_and_reimport_changes_nothing(
    fmt, published, catalog_admin
):
    originals = [version_to_data(v) for v in iter_versions_for_export()]
    content = exported(fmt)
    before = (ProcedureVersion.objects.count(), AuditEvent.objects.count())

    batch = read_import_file(content)
    report = do_import_procedures(batch, actor=catalog_admin, publish=True)

    assert [c.data for c in batch.candidates] == originals
    assert report.unchanged == ["1.001193", "2.000635"]
    assert (report.created, report.new_versions, report.published) == ([], [], [])
    assert (ProcedureVersion.objects.count(), AuditEvent.objects.count()) == before


def test_import_creates_and_publishes_with_one_audit_row_per_procedure(
    catalog_admin,
):
    batch = read_import_file(json_file(procedure_payload(), second_payload()))

    report = do_import_procedures(batch, actor=catalog_admin, publish=True)

    assert report.created == ["1.001193", "2.000635"]
    assert report.published == ["1.001193", "2.000635"]
    version = get_version_in_force("2.000635")
    assert [(c.code, str(c.time_limit)) for c in version.cases.all()] == [
        ("TH1", "1.00"),
        ("TH2", "2.00"),
    ]
    assert version.fees.get(case__code="TH2").amount == 25000
    assert version.procedure.boundary_free_listings.get().province.code == "38"
    events = list(AuditEvent.objects.order_by("id").values_list("action", "data"))
    assert [action for action, _data in events] == ["catalog.procedureversion.publish"] * 2
    assert events[0][1]["import"]["outcome"] == "create"
    assert events[0][1]["import"]["source"] == "json"


def test_changed_content_becomes_a_new_version_that_supersedes_the_old(published, catalog_admin):
    changed = procedure_payload(
        name="Đăng ký khai sinh (sửa đổi 2026)",
        announcement=announcement("77/QĐ-UBND", "2026-01-20", "2026-02-01"),
    )

    report = do_import_procedures(
        read_import_file(json_file(changed)), actor=catalog_admin, publish=True
    )

    assert report.new_versions == ["1.001193"]
    v1, v2 = ProcedureVersion.objects.filter(code="1.001193").order_by("number")
    assert (v1.state, v2.state, v1.valid_to) == ("amended", "published", v2.valid_from)


def test_a_draft_is_replaced_by_a_new_import_of_the_same_procedure(catalog_admin):
    do_import_procedures(read_import_file(json_file(procedure_payload())), actor=catalog_admin)

    report = do_import_procedures(
        read_import_file(json_file(procedure_payload(name="Tên mới"))), actor=catalog_admin
    )

    assert report.drafts_replaced == ["1.001193"]
    assert AuditEvent.objects.filter(action="catalog.procedureversion.import").count() == 2
    version = ProcedureVersion.objects.get()
    assert (version.number, version.state, version.name) == (1, "draft", "Tên mới")
    assert version.cases.count() == 1


def test_one_invalid_row_rejects_the_whole_file_and_every_issue_is_reported(catalog_admin):
    content = json_file(
        procedure_payload(),
        second_payload(fees=[{"name": "Phí", "amount": -8000}]),
        procedure_payload("1.12345"),
    )

    with pytest.raises(ImportRejected) as excinfo:
        do_import_procedures(read_import_file(content), actor=catalog_admin)

    issues = [(i.row, i.field, i.message) for i in excinfo.value.report.issues]
    assert issues == [
        (2, "fees[0].amount", "Không được là số âm."),
        (3, "code", "Mã thủ tục phải có dạng 1.xxxxxx hoặc 2.xxxxxx (sáu chữ số)."),
    ]
    assert excinfo.value.code == "catalog.import_rejected"
    assert str(excinfo.value.report.issues[0]).startswith("thủ tục thứ 2, trường “fees[0].amount”")
    assert Procedure.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_partial_import_keeps_the_valid_procedures(catalog_admin):
    content = json_file(procedure_payload(), second_payload(fees=[{"name": "Phí", "amount": 1.5}]))

    report = do_import_procedures(read_import_file(content), actor=catalog_admin, partial=True)

    assert report.created == ["1.001193"]
    assert report.rejected == ["2.000635"]
    assert [(i.procedure_code, i.field) for i in report.issues] == [("2.000635", "fees[0].amount")]
    assert list(Procedure.objects.values_list("code", flat=True)) == ["1.001193"]


def test_duplicate_codes_in_a_file_are_all_reported(catalog_admin):
    content = json_file(procedure_payload(), procedure_payload(name="Bản trùng"))

    report = do_import_procedures(read_import_file(content), actor=catalog_admin, partial=True)

    assert report.rejected == ["1.001193", "1.001193"]
    assert [(i.row, i.field, i.message) for i in report.issues] == [
        (1, "code", "Mã thủ tục “1.001193” xuất hiện nhiều lần trong tệp (dòng 1, 2)."),
        (2, "code", "Mã thủ tục “1.001193” xuất hiện nhiều lần trong tệp (dòng 1, 2)."),
    ]
    assert Procedure.objects.count() == 0


def xlsx_with(published_content: bytes, sheet: str, cell: str, value) -> bytes:
    workbook = load_workbook(io.BytesIO(published_content))
    workbook[sheet][cell] = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_xlsx_issues_name_the_sheet_row_and_column(published, catalog_admin):
    content = exported(export_xlsx)
    workbook = load_workbook(io.BytesIO(content))
    fees = workbook["fees"]
    header = [c.value for c in fees[1]]
    fees.cell(row=3, column=header.index("amount") + 1, value=-1)
    steps = workbook["steps"]
    header = [c.value for c in steps[1]]
    steps.cell(row=2, column=header.index("duration") + 1, value=7)
    out = io.BytesIO()
    workbook.save(out)

    with pytest.raises(ImportRejected) as excinfo:
        do_import_procedures(read_import_file(out.getvalue()), actor=catalog_admin)

    assert [(i.sheet, i.row, i.field, i.procedure_code) for i in excinfo.value.report.issues] == [
        ("steps", 2, "duration", "1.001193"),
        ("fees", 3, "amount", "2.000635"),
    ]
    assert (
        "Tổng thời gian của các bước (1,625 ngày làm việc)"
        in excinfo.value.report.issues[0].message
    )


def test_wrong_columns_reject_the_file_even_when_partial(published, catalog_admin):
    content = exported(export_xlsx)
    workbook = load_workbook(io.BytesIO(content))
    header = [c.value for c in workbook["procedures"][1]]
    workbook["procedures"].cell(row=1, column=header.index("name") + 1, value="ten_thu_tuc")
    out = io.BytesIO()
    workbook.save(out)

    with pytest.raises(ImportRejected) as excinfo:
        do_import_procedures(read_import_file(out.getvalue()), actor=catalog_admin, partial=True)

    assert [(i.sheet, i.row, i.field, i.message) for i in excinfo.value.report.issues] == [
        ("procedures", 1, "ten_thu_tuc", "Cột không có trong mẫu."),
        ("procedures", 1, "name", "Thiếu cột bắt buộc."),
    ]


def test_child_rows_of_an_unknown_procedure_are_reported(published, catalog_admin):
    content = xlsx_with(exported(export_xlsx), "cases", "A2", "1.999999")

    with pytest.raises(ImportRejected) as excinfo:
        do_import_procedures(read_import_file(content), actor=catalog_admin)

    first = excinfo.value.report.issues[0]
    assert (first.sheet, first.row, first.field) == ("cases", 2, "procedure_code")
    assert "1.999999" in first.message


def test_csv_files_must_be_utf8(published):
    archive = io.BytesIO()
    with (
        zipfile.ZipFile(exported_csv := io.BytesIO(exported(export_csv_zip))) as source,
        zipfile.ZipFile(archive, "w") as target,
    ):
        for name in source.namelist():
            text = source.read(name).decode("utf-8")
            target.writestr(name, legacy_bytes(text) if name == "procedures.csv" else text.encode())
    assert exported_csv

    with pytest.raises(ImportFileUnreadable) as excinfo:
        read_import_file(archive.getvalue())

    assert excinfo.value.code == "catalog.import_unreadable"
    assert "procedures.csv không phải văn bản UTF-8" in excinfo.value.message


def test_json_must_be_utf8():
    content = legacy_bytes(json.dumps({"procedures": [procedure_payload()]}, ensure_ascii=False))
    with pytest.raises(ImportFileUnreadable) as excinfo:
        read_import_file(content)
    assert "Tệp JSON không phải văn bản UTF-8" in excinfo.value.message


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"code,name\n1.001193,A\n", "định dạng không được hỗ trợ"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "định dạng không được hỗ trợ"),
        (b"PK\x03\x04 not really a zip", "tệp ZIP bị hỏng"),
        (b'{"procedures": [', "JSON sai cú pháp"),
        (b'{"items": []}', "danh sách “procedures”"),
        ("\ufeff{}".encode("utf-16"), "UTF-16"),
    ],
    ids=["csv-not-zipped", "pdf", "broken-zip", "broken-json", "wrong-json-shape", "utf16"],
)
def test_files_that_are_not_what_they_claim_are_refused(content, reason):
    with pytest.raises(ImportFileUnreadable) as excinfo:
        read_import_file(content)
    assert reason in excinfo.value.message


def test_an_xlsx_with_a_broken_workbook_is_refused():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as target:
        target.writestr("xl/workbook.xml", "<not a workbook")
    with pytest.raises(ImportFileUnreadable) as excinfo:
        read_import_file(archive.getvalue())
    assert "không phải bảng tính XLSX hợp lệ" in excinfo.value.message


def test_only_catalogue_admins_import(desk_officer):
    with pytest.raises(PermissionDenied):
        do_import_procedures(read_import_file(json_file(procedure_payload())), actor=desk_officer)
    assert Procedure.objects.count() == 0


def test_commands_import_and_export(tmp_path, capsys):
    source = tmp_path / "in.json"
    source.write_bytes(json_file(procedure_payload(), second_payload()))

    call_command("catalog", "import", str(source), "--publish")
    call_command("catalog", "export", "--format", "xlsx", "-o", str(tmp_path / "out.xlsx"))

    out = capsys.readouterr().out
    assert "2 thủ tục: 2 mới" in out
    assert "2 procedures" in out
    batch = read_import_file((tmp_path / "out.xlsx").read_bytes())
    assert [c.code for c in batch.candidates] == ["1.001193", "2.000635"]


def test_command_reports_every_issue_and_fails(tmp_path, capsys):
    source = tmp_path / "bad.json"
    source.write_bytes(json_file(second_payload(fees=[{"name": "Phí", "amount": -1}])))

    with pytest.raises(CommandError, match="Không nhập thủ tục nào: tệp có 1 lỗi"):
        call_command("catalog", "import", str(source))

    assert (
        "[2.000635] thủ tục thứ 1, trường “fees[0].amount”: Không được là số âm."
        in capsys.readouterr().err
    )


def test_one_decision_with_two_effective_dates_in_a_file_is_reported(catalog_admin):
    first = procedure_payload(announcement=announcement("5/QĐ-UBND", "2025-06-20", "2025-07-01"))
    second = second_payload(announcement=announcement("5/QĐ-UBND", "2025-06-20", "2025-07-05"))

    with pytest.raises(ImportRejected) as excinfo:
        do_import_procedures(read_import_file(json_file(first, second)), actor=catalog_admin)

    message = (
        "Quyết định 5/QĐ-UBND ngày 20/06/2025 được ghi với nhiều ngày hiệu lực khác nhau "
        "trong tệp: 01/07/2025 (dòng 1); 05/07/2025 (dòng 2)."
    )
    assert [(i.row, i.field, i.message) for i in excinfo.value.report.issues] == [
        (1, "announcement.effective_on", message),
        (2, "announcement.effective_on", message),
    ]


def test_saved_content_matches_the_parts_and_versions_without_it_still_export(published):
    versions = list(ProcedureVersion.objects.select_related("procedure", "field", "announcement"))
    prefetch_related_objects(versions, *VERSION_PARTS_PREFETCH)
    for version in versions:
        assert version.content
        from_content = ProcedureData.model_validate(version_payload(version))
        assert from_content == ProcedureData.model_validate(payload_from_parts(version))
    originals = [version_to_data(v) for v in iter_versions_for_export()]

    ProcedureVersion.objects.update(content={})  # as saved before the column existed

    assert [version_to_data(v) for v in iter_versions_for_export()] == originals
