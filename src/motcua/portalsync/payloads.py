"""What the portal receives for one dossier event: the dossier's record and the progress item.

``HoSo`` is the dossier as it is when the event is sent (the portal keeps the newest);
``TienTrinh`` is the event itself — its status, time, step and agency — so the portal's
history is the dossier's history whatever the delay. Field names and codes are the
portal's (one-stop rules §8.1, §10; docs/integrations/dvcqg.md); the code lists the law
leaves open are settings (``DVCQG_*_CODES``).

The data-reuse flags of each file (§8.2) are the dossier document's ``reuse``,
``is_from_data_store``, ``replacement_result_code`` (set by the citizen portal);
``MaCSDL`` is the database a document was taken from; a dossier paid through the
national payment platform (``payments``) is ``DuocThanhToanTrucTuyen = 1``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.urls import reverse

from motcua.documents.models import Result
from motcua.dossiers.enums import DeliveryChannel, IdType, SubmissionChannel, SubmitterKind
from motcua.dossiers.models import Dossier, DossierDocument
from motcua.dossiers.paperwork import tracking_url_of
from motcua.dossiers.states import DOSSIER_MACHINE, EXTRA_ACTIONS
from motcua.integration.adapters.dvcqg.wire import format_datetime
from motcua.integration.models import OutboxMessage

__all__ = ["DossierContext", "build_item", "event_name", "step_label"]

CHANNEL_CODES = {
    SubmissionChannel.DIRECT: 1,
    SubmissionChannel.ONLINE_DVCQG: 2,
    SubmissionChannel.ONLINE_VNEID: 2,
    SubmissionChannel.POSTAL_PUBLIC: 3,
}
# HinhThucTra and LoaiDoiTuong: code lists not published (§20 q.10) — configurable.
DEFAULT_DELIVERY_CODES = {
    DeliveryChannel.DESK: 1,
    DeliveryChannel.POST: 2,
    DeliveryChannel.ONLINE: 3,
    DeliveryChannel.VNEID: 4,
}
DEFAULT_SUBJECT_CODES = {"person": 0, "organisation": 1}
ID_TYPE_CODES: dict[str, int] = {
    IdType.PERSONAL_ID12: 1,
    IdType.LEGACY_ID9: 2,
    IdType.ORGANISATION_CODE: 3,
}
FEE_KIND_CODES = {"fee": 1, "charge": 1, "appraisal": 2, "extension": 3}
PAYMENT_CHANNEL_CODES = {"dvcqg": 1, "gateway": 2}

_EXTRA_LABELS = {
    "submit": "Nộp hồ sơ",
    "record_payment": "Thu phí, lệ phí",
    "resync": "Đồng bộ lại toàn bộ hồ sơ",
    "digitise_document": "Số hóa thành phần hồ sơ",
    "mark_document_exempt": "Ghi nhận thành phần không phải số hóa",
    "issue_apology": "Xin lỗi và hẹn lại ngày trả kết quả",
}


@dataclass
class DossierContext:
    """What a batch loads once per dossier: documents, results, the import, a refusal time."""

    documents: list[DossierDocument] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    portal_code: str = ""
    is_eid_from_portal: bool = False
    # Fees paid through the national payment platform.
    is_paid_online: bool = False
    refused_at: dt.datetime | None = None
    # The status the portal last acknowledged: the status of an event that changes none.
    last_status: int | None = None


def event_name(message: OutboxMessage) -> str:
    return message.topic.rsplit(".", 1)[-1]


def step_label(name: str) -> str:
    """Return the Vietnamese name of the step an event records (the portal's ``BuocXuLy``)."""
    if name in _EXTRA_LABELS:
        return _EXTRA_LABELS[name]
    try:
        return str(DOSSIER_MACHINE.get(name).label)
    except Exception:
        action = EXTRA_ACTIONS.get(name)
        return str(action.label) if action is not None else name


def _flag(value: object) -> int:
    return 1 if value else 0


def _documents(documents: list[DossierDocument]) -> list[dict[str, Any]]:
    base = getattr(settings, "DOCUMENTS_PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
    rows = []
    for doc in documents:
        if not doc.is_provided and doc.stored_file_id is None:
            continue
        link = ""
        if doc.stored_file_id is not None:
            link = base + reverse("dossiers:file", args=[doc.dossier_id, doc.stored_file_id])
        rows.append(
            {
                "TepDinhKemId": doc.stored_file_id,
                "TenTepDinhKem": doc.name,
                "MaThanhPhanHoSo": doc.procedure_document.code or str(doc.procedure_document_id),
                "DuongDanTaiTepTin": link,
                "DuocSoHoa": _flag(doc.stored_file_id is not None),
                "DuocTaiSuDung": int(doc.reuse),
                "DuocLayTuKhoDMQG": _flag(doc.is_from_data_store),
                "MaKetQuaThayThe": doc.replacement_result_code,
                "IsDeleted": False,
            }
        )
    return rows


def _results(results: list[Result]) -> list[dict[str, Any]]:
    base = getattr(settings, "DOCUMENTS_PUBLIC_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
    return [
        {
            "MaKetQua": result.code,
            "TenGiayTo": result.title,
            "DuongDanTepTinKetQua": base + reverse("documents:verify_code", args=[result.code]),
            "ConHieuLuc": _flag(not result.is_revoked),
        }
        for result in results
    ]


def _fees(dossier: Dossier) -> list[dict[str, Any]]:
    return [
        {
            "TenPhiLePhi": line.get("name", ""),
            "LoaiPhiLePhi": FEE_KIND_CODES.get(str(line.get("kind", "")), 1),
            "Gia": int(line.get("amount", 0)),
            "TrangThaiThanhToan": _flag(dossier.paid_at is not None),
        }
        for line in dossier.fees
    ]


def _owner(dossier: Dossier) -> dict[str, Any]:
    return {
        "HoVaTen": dossier.applicant_name,
        "SoDinhDanh": dossier.applicant_id_number,
        "LoaiDinhDanh": ID_TYPE_CODES.get(dossier.applicant_id_type, 1),
        "NamSinh": dossier.applicant_birth_year,
        "SoDienThoai": dossier.applicant_phone,
        "Email": dossier.applicant_email,
        "DiaChi": dossier.applicant_address,
    }


def _units(dossier: Dossier) -> tuple[str, str]:
    """Return (MaTinh, MaXa) of the receiving desk's administrative unit."""
    unit = dossier.receiving_desk.admin_unit
    if unit is None:
        return "", ""
    if unit.level == "province":
        return unit.code, ""
    parent = unit.parent
    return (parent.code if parent is not None else ""), unit.code


def record_of(dossier: Dossier, key: str, context: DossierContext) -> dict[str, Any]:
    """Return the portal's ``HoSo`` for ``dossier`` as it is now."""
    version = dossier.procedure_version
    delivery_codes = getattr(settings, "DVCQG_DELIVERY_CODES", DEFAULT_DELIVERY_CODES)
    subject_codes = getattr(settings, "DVCQG_SUBJECT_CODES", DEFAULT_SUBJECT_CODES)
    province, commune = _units(dossier)
    documents = _documents(context.documents)
    record: dict[str, Any] = {
        "MaHoSo": key,
        "MaHoSoDiaPhuong": dossier.code or "",
        "MaTTHC": dossier.procedure_code,
        "TenTTHC": version.name,
        "MaLinhVuc": version.field.code,
        "TenLinhVuc": version.field.name,
        "MaTruongHop": dossier.case.code,
        "KenhThucHien": CHANNEL_CODES[SubmissionChannel(dossier.channel)],
        "HinhThucTra": delivery_codes.get(dossier.return_channel, 1),
        "LoaiDoiTuong": subject_codes.get(dossier.applicant_kind, 0),
        "ChuHoSo": _owner(dossier),
        "MaDonViTiepNhan": dossier.receiving_desk.code,
        "DonViXuLy": dossier.competent_agency.code,
        "TenDonViXuLy": dossier.competent_agency.name,
        "MaTinh": province,
        "MaXa": commune,
        "NgayNopHoSo": format_datetime(dossier.submitted_at),
        "NgayTiepNhan": format_datetime(dossier.received_at),
        "NgayHenTra": format_datetime(dossier.due_at),
        "NgayKetThucXuLy": format_datetime(dossier.finished_at),
        "NgayTra": format_datetime(dossier.returned_at),
        "NgayTuChoi": format_datetime(context.refused_at),
        "TrangThai": dossier.national_status,
        "TaiKhoanDuocXacThucVoiVNeID": _flag(
            dossier.is_eid_authenticated or context.is_eid_from_portal
        ),
        "HoSoCoThanhPhanSoHoa": _flag(any(d["DuocSoHoa"] for d in documents)),
        "DuocThanhToanTrucTuyen": PAYMENT_CHANNEL_CODES["dvcqg"] if context.is_paid_online else 0,
        "MaCSDL": next((d.data_source_code for d in context.documents if d.data_source_code), ""),
        "UrlDetail": tracking_url_of(dossier),
        "TaiLieuNop": documents,
        "GiayToKetQua": _results(context.results),
        "DanhSachLePhi": _fees(dossier),
    }
    if dossier.submitter_kind != SubmitterKind.SELF:
        record["UyQuyen"] = _flag(dossier.submitter_kind == SubmitterKind.AUTHORISED)
        record["NguoiUyQuyen"] = dossier.submitter_name
        record["SoGiayToNguoiUyQuyen"] = dossier.submitter_id_number
    return record


def build_item(
    message: OutboxMessage, dossier: Dossier, key: str, context: DossierContext
) -> dict[str, Any]:
    """Return the portal item of ``message``: ``MessageId`` (idempotent), record, progress."""
    payload = message.payload
    name = event_name(message)
    status = payload.get("national_status") or context.last_status or dossier.national_status
    progress = {
        "LoaiSuKien": name,
        "BuocXuLy": step_label(name),
        "TrangThai": int(status),
        "TrangThaiTruoc": payload.get("previous_national_status"),
        "ThoiDiem": format_datetime(message.created_at),
        "DonViXuLy": dossier.current_agency.code,
        "NguoiXuLy": str(payload.get("actor", "")),
        "NoiDung": str(payload.get("reason") or payload.get("note") or "")[:500],
    }
    return {
        "MessageId": str(message.message_id),
        "HoSo": record_of(dossier, key, context),
        "TienTrinh": progress,
    }
