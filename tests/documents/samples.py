"""A fully filled ``FormContext`` for every form, shared by the tests and ``bench/documents_bench.py``.

Plain data only (no models), so that the benchmark can use it without a database.
"""

from __future__ import annotations

import datetime as dt

from motcua.documents.forms import (
    FormContext,
    FormDocumentLine,
    FormHandoverLine,
    FormItem,
    FormKind,
    FormParty,
    FormRegisterRow,
    FormRuleSet,
)

UTC = dt.UTC
DOSSIER_CODE = "000.00.12.H56-260305-0001"


def make_context(kind: FormKind, rule_set: FormRuleSet, **changes: object) -> FormContext:
    """Return a fully filled context for ``kind`` (a receipt at 14:30 on 5/3/2026 local)."""
    received = dt.datetime(2026, 3, 5, 7, 30, tzinfo=UTC)
    values: dict[str, object] = {
        "kind": kind,
        "rule_set": rule_set,
        "issuing_agency_name": "Trung tâm Phục vụ hành chính công tỉnh Thanh Hóa",
        "issuing_agency_parent_name": "UBND tỉnh Thanh Hóa",
        "place_name": "Thanh Hóa",
        "issued_at": received,
        "dossier_code": DOSSIER_CODE,
        "procedure_code": "1.001193",
        "procedure_name": "Đăng ký khai sinh",
        "applicant": FormParty(
            name="Nguyễn Văn An",
            id_number="038095001234",
            address="Phường Hạc Thành, tỉnh Thanh Hóa",
            phone="0912345678",
            email="an@example.vn",
        ),
        "received_at": received,
        "due_at": dt.datetime(2026, 3, 10, 9, 0, tzinfo=UTC),
        "new_due_at": dt.datetime(2026, 3, 12, 9, 0, tzinfo=UTC),
        "channel_label": "Trực tiếp",
        "return_channel_label": "Nhận tại Bộ phận một cửa",
        "documents": (
            FormDocumentLine("Tờ khai đăng ký khai sinh", originals=1),
            FormDocumentLine("Giấy chứng sinh", certified_copies=1, note="Bản chụp không rõ"),
        ),
        "items": (FormItem("Giấy chứng sinh", "Bản chụp không rõ chữ"),),
        "reason": "Thiếu giấy chứng sinh hợp lệ",
        "handovers": (
            FormHandoverLine(
                step="Chuyển hồ sơ",
                from_name="Bộ phận một cửa",
                to_name="Sở Tư pháp",
                handed_at=dt.datetime(2026, 3, 5, 8, 0, tzinfo=UTC),
                due_at=dt.datetime(2026, 3, 6, 8, 0, tzinfo=UTC),
                done_at=dt.datetime(2026, 3, 5, 9, 0, tzinfo=UTC),
                timeliness="early",
            ),
            FormHandoverLine(
                step="Giải quyết",
                from_name="Sở Tư pháp",
                to_name="Lãnh đạo Sở",
                handed_at=dt.datetime(2026, 3, 6, 2, 0, tzinfo=UTC),
                due_at=dt.datetime(2026, 3, 9, 9, 0, tzinfo=UTC),
                done_at=None,
                timeliness="in_progress",
            ),
        ),
        "register_rows": (
            FormRegisterRow(
                dossier_code=DOSSIER_CODE,
                applicant_name="Nguyễn Văn An",
                procedure_name="Đăng ký khai sinh",
                received_at=received,
                due_at=dt.datetime(2026, 3, 10, 9, 0, tzinfo=UTC),
                transferred_at=dt.datetime(2026, 3, 5, 8, 0, tzinfo=UTC),
                returned_at=None,
                applicant_contact="Phường Hạc Thành – 0912345678",
                lead_agency_name="Sở Tư pháp",
            ),
        ),
        "officer_name": "Lê Thị Bình",
        "tracking_url": "https://motcua.thanhhoa.gov.vn/tra-cuu/" + DOSSIER_CODE,
        "processing_time_label": "03 ngày làm việc",
        "fee_label": "Miễn lệ phí",
        "legal_basis": "Khoản 2 Điều 10 Nghị định số 118/2025/NĐ-CP",
        "fee_refund_note": "Không phát sinh phí, lệ phí.",
        "contact_phone": "0237 3 123 456",
        "period_from": dt.datetime(2026, 3, 1, 0, 0, tzinfo=UTC),
        "period_to": dt.datetime(2026, 3, 31, 0, 0, tzinfo=UTC),
    }
    values.update(changes)
    return FormContext(**values)  # type: ignore[arg-type]
