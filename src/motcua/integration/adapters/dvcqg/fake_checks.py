"""What the fake portal checks in a pushed item: fields, formats, codes, flags, moves.

Returns the portal's error (``MaLoi``, ``MoTa`` in Vietnamese, the field) or ``None``.
"""

from __future__ import annotations

import uuid
from typing import Any

from motcua.integration.adapters.dvcqg.wire import (
    ALLOWED_STATUS_MOVES,
    CHANNEL_CODES,
    is_portal_datetime,
)

__all__ = ["PortalCheckError", "check_item", "check_online_dossier"]

_DATES = (
    "NgayNopHoSo",
    "NgayTiepNhan",
    "NgayHenTra",
    "NgayKetThucXuLy",
    "NgayTra",
    "NgayTuChoi",
)


class PortalCheckError(Exception):
    def __init__(self, code: str, description: str, field: str = "") -> None:
        super().__init__(code)
        self.code, self.description, self.field = code, description, field

    def as_dict(self) -> dict[str, str]:
        return {"MaLoi": self.code, "MoTa": self.description, "TruongLoi": self.field}


def _required(data: dict[str, Any], name: str, where: str = "") -> Any:
    value = data.get(name)
    if value in (None, "", []):
        raise PortalCheckError("THIEU_TRUONG", f"Thiếu trường bắt buộc {where}{name}.", name)
    return value


def _flag(data: dict[str, Any], name: str, allowed: set[int], where: str = "") -> None:
    if data.get(name) not in allowed:
        raise PortalCheckError(
            "GIA_TRI_KHONG_HOP_LE",
            f"Trường {where}{name} phải là một trong {sorted(allowed)}.",
            name,
        )


def _status(value: Any, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 10:
        raise PortalCheckError("TRANG_THAI_KHONG_HOP_LE", f"{name} phải từ 1 đến 10.", name)
    return value


def _date(data: dict[str, Any], name: str) -> None:
    value = data.get(name)
    if value is not None and not is_portal_datetime(value):
        raise PortalCheckError(
            "DINH_DANG_NGAY", f"Trường {name} phải có dạng dd/MM/yyyy HH:mm:ss.", name
        )


def check_item(item: Any, previous_status: int | None) -> None:
    """Raise ``PortalCheckError`` if ``item`` is not a well-formed sync event."""
    if not isinstance(item, dict):
        raise PortalCheckError("DU_LIEU_KHONG_HOP_LE", "Mỗi phần tử phải là một đối tượng.")
    try:
        uuid.UUID(str(_required(item, "MessageId")))
    except ValueError as exc:
        raise PortalCheckError("MESSAGE_ID", "MessageId phải là UUID.", "MessageId") from exc
    record = _required(item, "HoSo")
    progress = _required(item, "TienTrinh")
    if not isinstance(record, dict) or not isinstance(progress, dict):
        raise PortalCheckError("DU_LIEU_KHONG_HOP_LE", "HoSo và TienTrinh phải là đối tượng.")
    for name in ("MaHoSo", "MaTTHC", "NgayNopHoSo"):
        _required(record, name, "HoSo.")
    owner = _required(record, "ChuHoSo", "HoSo.")
    if not isinstance(owner, dict):
        raise PortalCheckError("DU_LIEU_KHONG_HOP_LE", "ChuHoSo phải là đối tượng.", "ChuHoSo")
    _required(owner, "HoVaTen", "ChuHoSo.")
    _flag(owner, "LoaiDinhDanh", {1, 2, 3}, "ChuHoSo.")
    _flag(record, "KenhThucHien", set(CHANNEL_CODES), "HoSo.")
    _status(record.get("TrangThai"), "HoSo.TrangThai")
    for name in _DATES:
        _date(record, name)
    _flag(record, "TaiKhoanDuocXacThucVoiVNeID", {0, 1}, "HoSo.")
    _flag(record, "HoSoCoThanhPhanSoHoa", {0, 1}, "HoSo.")
    _flag(record, "DuocThanhToanTrucTuyen", {0, 1, 2}, "HoSo.")
    for document in record.get("TaiLieuNop") or []:
        _required(document, "TenTepDinhKem", "TaiLieuNop.")
        _flag(document, "DuocSoHoa", {0, 1}, "TaiLieuNop.")
        _flag(document, "DuocTaiSuDung", {0, 1, 2}, "TaiLieuNop.")
        _flag(document, "DuocLayTuKhoDMQG", {0, 1}, "TaiLieuNop.")
    for result in record.get("GiayToKetQua") or []:
        _required(result, "MaKetQua", "GiayToKetQua.")
    for fee in record.get("DanhSachLePhi") or []:
        price = fee.get("Gia")
        if not isinstance(price, int) or isinstance(price, bool) or price < 0:
            raise PortalCheckError("GIA_TRI_KHONG_HOP_LE", "Gia phải là số nguyên ≥ 0.", "Gia")
    _required(progress, "LoaiSuKien", "TienTrinh.")
    status = _status(progress.get("TrangThai"), "TienTrinh.TrangThai")
    if not is_portal_datetime(progress.get("ThoiDiem")):
        raise PortalCheckError(
            "DINH_DANG_NGAY", "TienTrinh.ThoiDiem phải có dạng dd/MM/yyyy HH:mm:ss.", "ThoiDiem"
        )
    if (
        previous_status is not None
        and previous_status != status
        and (previous_status, status) not in ALLOWED_STATUS_MOVES
    ):
        raise PortalCheckError(
            "CHUYEN_TRANG_THAI_KHONG_HOP_LE",
            f"Không được chuyển trạng thái từ {previous_status} sang {status}.",
            "TrangThai",
        )


def check_online_dossier(row: dict[str, Any]) -> None:
    """The fake's own check of an online dossier seeded for the pull (not the receiver's)."""
    for name in ("MaHoSo", "MaTTHC", "MaDonViTiepNhan", "NgayNopHoSo"):
        _required(row, name)
