"""The fake portal's pages (Vietnamese): received dossiers, their status history, the pull queue."""

from __future__ import annotations

from html import escape
from typing import Any
from urllib.parse import quote

__all__ = ["STATUS_NAMES", "render_dossier", "render_index"]

STATUS_NAMES = {
    1: "Mới đăng ký",
    2: "Được tiếp nhận",
    3: "Không được tiếp nhận",
    4: "Đang xử lý",
    5: "Yêu cầu bổ sung giấy tờ",
    6: "Yêu cầu thực hiện nghĩa vụ tài chính",
    7: "Công dân yêu cầu rút hồ sơ",
    8: "Dừng xử lý",
    9: "Đã xử lý xong",
    10: "Đã trả kết quả",
}

_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:1.5rem;color:#1b1b1b;line-height:1.5}"
    "table{border-collapse:collapse;width:100%;margin-bottom:2rem}"
    "th,td{border:1px solid #8a8a8a;padding:.4rem;text-align:left;vertical-align:top}"
    "caption{text-align:left;font-weight:600;padding:.3rem 0}a{color:#0b4f9c}"
    "header{background:#9f1c1c;color:#fff;padding:.6rem 1rem;margin:-1.5rem -1.5rem 1.5rem}"
)


def _page(title: str, body: str) -> str:
    return (
        "<!doctype html><html lang='vi'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width,initial-scale=1'>"
        f"<meta http-equiv='refresh' content='5'><title>{escape(title)}</title>"
        f"<style>{_STYLE}</style></head><body><header><strong>Cổng Dịch vụ công quốc gia "
        "— bản giả lập cục bộ</strong></header><main>"
        f"<h1>{escape(title)}</h1>{body}</main></body></html>"
    )


def _status(code: Any) -> str:
    return f"{escape(str(code))} – {escape(STATUS_NAMES.get(code, '?'))}"


def render_index(dossiers: dict[str, dict[str, Any]], online: dict[str, dict[str, Any]]) -> str:
    rows = []
    for code, record in sorted(
        dossiers.items(), key=lambda item: item[1]["LichSu"][-1]["NhanLuc"], reverse=True
    )[:500]:
        info = record["HoSo"]
        last = record["LichSu"][-1]
        rows.append(
            f"<tr><td><a href='/ho-so/{quote(code)}'>{escape(code)}</a></td>"
            f"<td>{escape(str(info.get('MaTTHC', '')))} {escape(str(info.get('TenTTHC', '')))}</td>"
            f"<td>{_status(record['TrangThai'])}</td><td>{len(record['LichSu'])}</td>"
            f"<td>{escape(str(last.get('NhanLuc', '')))}</td></tr>"
        )
    waiting = [
        f"<tr><td>{escape(str(e['row'].get('MaHoSo')))}</td>"
        f"<td>{escape(str(e['row'].get('MaTTHC')))}</td>"
        f"<td>{escape(str(e['row'].get('MaDonViTiepNhan')))}</td>"
        f"<td>{escape(e['picked_up_at'] or 'Chưa lấy về')}</td></tr>"
        for e in online.values()
    ]
    body = (
        f"<p>Đã nhận dữ liệu đồng bộ của {len(dossiers)} hồ sơ. Trang tự tải lại sau 5 giây.</p>"
        "<table><caption>Hồ sơ đã đồng bộ (mới cập nhật trước)</caption><thead><tr>"
        "<th scope='col'>Mã hồ sơ</th><th scope='col'>Thủ tục</th>"
        "<th scope='col'>Trạng thái hiện tại</th><th scope='col'>Số lần cập nhật</th>"
        "<th scope='col'>Nhận lần cuối lúc</th></tr></thead>"
        f"<tbody>{''.join(rows) or '<tr><td colspan=5>Chưa có hồ sơ nào.</td></tr>'}</tbody></table>"
        "<table><caption>Hồ sơ nộp trực tuyến trên Cổng, chờ hệ thống một cửa lấy về</caption>"
        "<thead><tr><th scope='col'>Mã hồ sơ</th><th scope='col'>Thủ tục</th>"
        "<th scope='col'>Đơn vị tiếp nhận</th><th scope='col'>Đã lấy về lúc</th></tr></thead>"
        f"<tbody>{''.join(waiting) or '<tr><td colspan=4>Không có.</td></tr>'}</tbody></table>"
    )
    return _page("Dữ liệu đồng bộ từ hệ thống một cửa", body)


def render_dossier(code: str, record: dict[str, Any]) -> str:
    info = record["HoSo"]
    history = "".join(
        f"<tr><td>{escape(str(p.get('ThoiDiem')))}</td><td>{escape(str(p.get('LoaiSuKien')))}</td>"
        f"<td>{escape(str(p.get('BuocXuLy', '')))}</td><td>{_status(p.get('TrangThai'))}</td>"
        f"<td>{escape(str(p.get('DonViXuLy', '')))}</td><td>{escape(str(p.get('NhanLuc')))}</td>"
        f"<td><code>{escape(str(p.get('MessageId')))}</code></td></tr>"
        for p in record["LichSu"]
    )
    facts = [
        ("Thủ tục", f"{info.get('MaTTHC', '')} {info.get('TenTTHC', '')}"),
        ("Kênh thực hiện", info.get("KenhThucHien")),
        ("Ngày nộp", info.get("NgayNopHoSo")),
        ("Ngày tiếp nhận", info.get("NgayTiepNhan")),
        ("Ngày hẹn trả", info.get("NgayHenTra")),
        ("Trạng thái hiện tại", STATUS_NAMES.get(record["TrangThai"], "?")),
        ("Xác thực VNeID", info.get("TaiKhoanDuocXacThucVoiVNeID")),
        ("Có thành phần số hóa", info.get("HoSoCoThanhPhanSoHoa")),
        ("Thanh toán trực tuyến", info.get("DuocThanhToanTrucTuyen")),
        ("Số giấy tờ kết quả", len(info.get("GiayToKetQua") or [])),
    ]
    facts_html = "".join(
        f"<tr><th scope='row'>{escape(label)}</th><td>{escape(str(value or '—'))}</td></tr>"
        for label, value in facts
    )
    body = (
        "<p><a href='/'>← Danh sách hồ sơ</a></p>"
        f"<table><caption>Thông tin hồ sơ</caption><tbody>{facts_html}</tbody></table>"
        "<table><caption>Lịch sử trạng thái và tiến trình xử lý</caption><thead><tr>"
        "<th scope='col'>Thời điểm</th><th scope='col'>Sự kiện</th><th scope='col'>Bước xử lý</th>"
        "<th scope='col'>Trạng thái</th><th scope='col'>Đơn vị xử lý</th>"
        "<th scope='col'>Cổng nhận lúc</th><th scope='col'>Mã thông điệp</th></tr></thead>"
        f"<tbody>{history}</tbody></table>"
    )
    return _page(f"Hồ sơ {code}", body)
