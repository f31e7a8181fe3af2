"""The local fake of the national portal: token, push, pull, an HTML view, and controls.

``PortalFake`` is a WSGI application holding its state in memory (one lock):

``POST /oauth/token``
    client credentials (form fields ``client_id``, ``client_secret``) → ``access_token``
    valid ``token_ttl`` seconds.
``POST /api/v1/hoso/dongbo``  (Bearer token)
    ``{"DanhSach": [item, …]}``: each item is checked (``fake_checks``) and stored in
    order; the answer lists ``{"MessageId", "TrangThai": "OK" | "TRUNG" | "LOI",
    "MaLoi", "MoTa"}`` per item. A message id already stored is ``TRUNG`` and changes
    nothing (idempotent ids). A body that is not ``{"DanhSach": [...]}`` is a 400 with
    the portal's error shape ``{"MaLoi", "MoTa"}``; a missing or expired token a 401.
``GET /api/v1/hoso/truc-tuyen?maDonVi=…`` and ``POST …/<MaHoSo>/xac-nhan``
    the online dossiers created on the portal and not yet picked up; the confirmation.
``GET /`` and ``GET /ho-so/<MaHoSo>``
    what it received, in Vietnamese: dossiers, their status and their history.
``/_control/…``
    ``fail`` (the next *n* API requests answer *status*, default 500), ``slow`` (each
    API request waits *seconds*, for *count* requests or until reset — a timeout when
    longer than the client's), ``expire-tokens``, ``token-ttl``, ``seed`` (online dossiers
    for the pull), ``reset`` and ``state`` (counts, for the tests and the benchmark).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import threading
import time
from typing import Any
from zoneinfo import ZoneInfo

from werkzeug.wrappers import Request, Response

from motcua.integration.adapters.dvcqg.fake_checks import PortalCheckError, check_item
from motcua.integration.adapters.dvcqg.fake_pages import render_dossier, render_index

__all__ = ["PortalFake", "demo_online_dossiers", "make_app"]

VN_TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def _json(data: Any, status: int = 200) -> Response:
    return Response(
        json.dumps(data, ensure_ascii=False), status=status, mimetype="application/json"
    )


def _now_text() -> str:
    return dt.datetime.now(VN_TZ).strftime("%d/%m/%Y %H:%M:%S")


class PortalFake:
    def __init__(
        self,
        *,
        client_id: str = "motcua-demo",
        client_secret: str = "motcua-demo-secret",  # noqa: S107  (the fake's demo credential)
        seed: bool = False,
    ) -> None:
        self.client_id, self.client_secret = client_id, client_secret
        self._lock = threading.RLock()
        self.token_ttl = 3600.0
        self.reset()
        if seed:
            self.seed(demo_online_dossiers())

    # State ----------------------------------------------------------------------------
    def reset(self) -> None:
        with self._lock:
            self.tokens: dict[str, float] = {}
            self.messages: dict[str, str] = {}
            self.dossiers: dict[str, dict[str, Any]] = {}
            self.online: dict[str, dict[str, Any]] = {}
            self.failures: list[int] = []
            self.delay = 0.0
            self.delay_count: int | None = None
            self.requests = 0
            self.items_received = 0
            self.items_rejected = 0
            self.tokens_issued = 0

    def seed(self, rows: list[dict[str, Any]]) -> None:
        with self._lock:
            for row in rows:
                self.online[str(row.get("MaHoSo"))] = {"row": row, "picked_up_at": None}

    def state(self) -> dict[str, Any]:
        with self._lock:
            return {
                "messages": len(self.messages),
                "dossiers": len(self.dossiers),
                "requests": self.requests,
                "items_received": self.items_received,
                "items_rejected": self.items_rejected,
                "tokens_issued": self.tokens_issued,
                "online_waiting": sum(1 for o in self.online.values() if not o["picked_up_at"]),
            }

    def history(self, code: str) -> list[dict[str, Any]]:
        with self._lock:
            return list(self.dossiers.get(code, {}).get("LichSu", []))

    def status_of(self, code: str) -> int | None:
        with self._lock:
            record = self.dossiers.get(code)
            return None if record is None else record["TrangThai"]

    def expire_tokens(self) -> None:
        with self._lock:
            self.tokens.clear()

    def fail_next(self, count: int, status: int = 500) -> None:
        with self._lock:
            self.failures.extend([status] * count)

    def slow_down(self, seconds: float, count: int | None = None) -> None:
        with self._lock:
            self.delay, self.delay_count = seconds, count

    # WSGI -----------------------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        return self.dispatch(Request(environ))(environ, start_response)

    def dispatch(self, request: Request) -> Response:
        path, method = request.path.rstrip("/") or "/", request.method
        if path.startswith("/_control/"):
            return self.control(path.removeprefix("/_control/"), request)
        if path == "/oauth/token" and method == "POST":
            return self.issue_token(request)
        if path.startswith("/api/"):
            injected = self._injected_failure()
            if injected is not None:
                return injected
            if not self._authorised(request):
                return _json(
                    {"MaLoi": "TOKEN_KHONG_HOP_LE", "MoTa": "Token không hợp lệ hoặc đã hết hạn."},
                    401,
                )
            if path == "/api/v1/hoso/dongbo" and method == "POST":
                return self.receive(request)
            if path == "/api/v1/hoso/truc-tuyen" and method == "GET":
                return self.list_online(request)
            parts = path.split("/")
            if len(parts) == 7 and parts[-1] == "xac-nhan" and method == "POST":
                return self.confirm(parts[-2])
            return _json({"MaLoi": "KHONG_TIM_THAY", "MoTa": "Không có dịch vụ này."}, 404)
        if method == "GET" and path == "/":
            with self._lock:
                return Response(render_index(self.dossiers, self.online), mimetype="text/html")
        if method == "GET" and path.startswith("/ho-so/"):
            code = path.removeprefix("/ho-so/")
            with self._lock:
                record = self.dossiers.get(code)
                if record is None:
                    return Response("Không tìm thấy hồ sơ", status=404)
                return Response(render_dossier(code, record), mimetype="text/html")
        return Response("Không tìm thấy", status=404)

    # Endpoints ------------------------------------------------------------------------
    def _injected_failure(self) -> Response | None:
        with self._lock:
            self.requests += 1
            status = self.failures.pop(0) if self.failures else None
            delay = self.delay
            if self.delay_count is not None:
                self.delay_count -= 1
                if self.delay_count <= 0:
                    self.delay, self.delay_count = 0.0, None
        if delay:
            time.sleep(delay)
        if status is not None:
            return _json({"MaLoi": "LOI_HE_THONG", "MoTa": "Lỗi hệ thống (giả lập)."}, status)
        return None

    def _authorised(self, request: Request) -> bool:
        header = request.headers.get("Authorization", "")
        token = header.removeprefix("Bearer ").strip()
        with self._lock:
            expires = self.tokens.get(token)
        return expires is not None and expires > time.time()

    def issue_token(self, request: Request) -> Response:
        form = request.form
        if (
            form.get("client_id") != self.client_id
            or form.get("client_secret") != self.client_secret
        ):
            return _json({"error": "invalid_client"}, 401)
        token = secrets.token_urlsafe(24)
        with self._lock:
            self.tokens[token] = time.time() + self.token_ttl
            self.tokens_issued += 1
        return _json(
            {"access_token": token, "token_type": "Bearer", "expires_in": int(self.token_ttl)}
        )

    def receive(self, request: Request) -> Response:
        try:
            body = json.loads(request.get_data() or b"null")
        except ValueError:
            body = None
        items = body.get("DanhSach") if isinstance(body, dict) else None
        if not isinstance(items, list) or not items or len(items) > 1000:
            return _json(
                {
                    "MaLoi": "DU_LIEU_KHONG_HOP_LE",
                    "MoTa": 'Thân yêu cầu phải là {"DanhSach": [...]} với 1 đến 1000 phần tử.',
                },
                400,
            )
        results = []
        with self._lock:
            for item in items:
                results.append(self._store(item))
        return _json({"KetQua": results})

    def _store(self, item: Any) -> dict[str, Any]:
        message_id = str(item.get("MessageId", "")) if isinstance(item, dict) else ""
        if message_id and message_id in self.messages:
            return {"MessageId": message_id, "TrangThai": "TRUNG"}
        code = item.get("HoSo", {}).get("MaHoSo") if isinstance(item, dict) else None
        current = self.dossiers.get(str(code)) if code else None
        try:
            check_item(item, current["TrangThai"] if current else None)
        except PortalCheckError as error:
            self.items_rejected += 1
            return {"MessageId": message_id, "TrangThai": "LOI", **error.as_dict()}
        record = item["HoSo"]
        progress = dict(item["TienTrinh"], MessageId=message_id, NhanLuc=_now_text())
        if current is None:
            current = self.dossiers[record["MaHoSo"]] = {"LichSu": []}
        current["HoSo"] = record
        current["TrangThai"] = progress["TrangThai"]
        current["LichSu"].append(progress)
        self.messages[message_id] = record["MaHoSo"]
        self.items_received += 1
        return {"MessageId": message_id, "TrangThai": "OK"}

    def list_online(self, request: Request) -> Response:
        desks = {c for c in request.args.get("maDonVi", "").split(",") if c}
        with self._lock:
            rows = [
                entry["row"]
                for entry in self.online.values()
                if not entry["picked_up_at"]
                and (not desks or entry["row"].get("MaDonViTiepNhan") in desks)
            ]
        return _json({"DanhSach": rows})

    def confirm(self, code: str) -> Response:
        with self._lock:
            entry = self.online.get(code)
            if entry is None:
                return _json({"MaLoi": "KHONG_TIM_THAY", "MoTa": "Không có hồ sơ này."}, 404)
            entry["picked_up_at"] = entry["picked_up_at"] or _now_text()
        return _json({"TrangThai": "OK"})

    def control(self, name: str, request: Request) -> Response:
        data = request.get_json(silent=True) or {}
        if name == "state":
            return _json(self.state())
        if request.method != "POST":
            return Response(status=405)
        if name == "fail":
            self.fail_next(int(data.get("count", 1)), int(data.get("status", 500)))
        elif name == "slow":
            count = data.get("count")
            self.slow_down(float(data.get("seconds", 1)), int(count) if count else None)
        elif name == "expire-tokens":
            self.expire_tokens()
        elif name == "token-ttl":
            self.token_ttl = float(data.get("seconds", 3600))
        elif name == "seed":
            self.seed(data.get("DanhSach") or demo_online_dossiers())
        elif name == "reset":
            self.reset()
        else:
            return Response(status=404)
        return Response(status=204)


def demo_online_dossiers() -> list[dict[str, Any]]:
    """Online dossiers waiting on the portal for the demo's provincial service centre.

    Three are well-formed (criminal-record certificates, procedure 2.000488); the fourth
    names a document the procedure does not have, to show a rejected pull in the log.
    """
    today = dt.datetime.now(VN_TZ)
    submitted = (today - dt.timedelta(hours=2)).strftime("%d/%m/%Y %H:%M:%S")
    documents = [
        {
            "TenThanhPhanHoSo": "Tờ khai yêu cầu cấp Phiếu lý lịch tư pháp",
            "TenTepDinhKem": "to-khai.pdf",
        },
        {
            "TenThanhPhanHoSo": "Căn cước, thẻ căn cước công dân, hộ chiếu hoặc giấy tờ tùy thân "
            "có ảnh của người nộp hồ sơ",
            "TenTepDinhKem": "can-cuoc.pdf",
        },
    ]
    people = [
        ("Đặng Văn Hùng", "038086002345", 1986, 1, "0913000001"),
        ("Bùi Thị Hoa", "038192006789", 1992, 0, "0913000002"),
        ("Ngô Văn Khánh", "038079003456", 1979, 1, "0913000003"),
    ]
    rows: list[dict[str, Any]] = []
    for index, (name, number, year, male, phone) in enumerate(people, start=1):
        rows.append(
            {
                "MaHoSo": f"DVCQG-{today:%y%m%d}-{index:04d}",
                "MaTTHC": "2.000488",
                "MaTruongHop": "LLTP-1",
                "MaDonViTiepNhan": "000.01.01.H56",
                "NgayNopHoSo": submitted,
                "KenhThucHien": 2,
                "TaiKhoanDuocXacThucVoiVNeID": 1,
                "ChuHoSo": {
                    "HoVaTen": name,
                    "SoDinhDanh": number,
                    "NamSinh": year,
                    "GioiTinh": male,
                    "SoDienThoai": phone,
                    "Email": f"congdan{index}@vidu.motcua.vn",
                    "DiaChi": "Phường Hạc Thành, tỉnh Thanh Hóa",
                },
                "TaiLieuNop": documents,
            }
        )
    rows.append(
        {
            **rows[0],
            "MaHoSo": f"DVCQG-{today:%y%m%d}-0004",
            "TaiLieuNop": [{"TenThanhPhanHoSo": "Giấy tờ không có trong thủ tục"}],
        }
    )
    return rows


def make_app() -> PortalFake:
    """The fake served by ``motcua fake portal``: demo credentials, demo online dossiers."""
    from django.conf import settings

    return PortalFake(
        client_id=settings.DVCQG_CLIENT_ID,
        client_secret=settings.DVCQG_CLIENT_SECRET,
        seed=getattr(settings, "DVCQG_FAKE_SEED", True),
    )
