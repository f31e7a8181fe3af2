"""A local fake of the national payment platform (``motcua fake payment``, demo port 8102).

It speaks the protocol of ``payments.platform``: a checkout page in Vietnamese with
four buttons — Thanh toán (pay), Thanh toán không thành công (fail), Hủy giao dịch
(cancel), and "Thanh toán, báo kết quả chậm" (pay, the notification delayed by
``callback_delay`` seconds, or held until someone asks when it is ``None``) — the signed
server-to-server notification to motcua's ``notify_url``, the user's redirect to
``return_url``, and the query API for the reconciliation. ``GET /`` lists the
transactions; ``POST /api/transactions/<ref>/notify`` sends a held notification now.

Tests (or ``POST /_control`` with JSON) can make it misbehave: ``callback_mode`` =
``"bad_signature"`` (a wrong HMAC) or ``"wrong_amount"`` (1,000 đ more, correctly
signed), ``query_mode`` = ``"down"`` (the query API answers 503). State is in memory.
"""

from __future__ import annotations

import html
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import httpx
from django.conf import settings
from werkzeug.exceptions import HTTPException, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from motcua.kernel import clock
from motcua.payments import platform

__all__ = ["FakePaymentPlatform", "FakeTransaction", "make_app"]

_STATUS_LABELS = {
    "pending": "Chờ thanh toán",
    "paid": "Đã thanh toán",
    "failed": "Không thành công",
    "cancelled": "Đã hủy",
    "expired": "Hết hạn",
}
_RESPONSE = {"paid": "00", "cancelled": "24", "failed": "51", "expired": "11"}


@dataclass
class FakeTransaction:
    reference: str
    amount: int
    currency: str
    order_info: str
    return_url: str
    notify_url: str
    expires_at: str
    status: str = "pending"
    transaction_no: str = ""
    pay_date: str = ""
    notifications: list[str] = field(default_factory=list)  # the answers motcua gave

    @property
    def response_code(self) -> str:
        return _RESPONSE.get(self.status, "")


class FakePaymentPlatform:
    """The WSGI application; its attributes are what tests inspect and steer."""

    def __init__(
        self,
        *,
        merchant_id: str | None = None,
        secret: str | None = None,
        callback_delay: float | None = 20.0,
    ) -> None:
        self.merchant_id = merchant_id or str(settings.PAYMENT_MERCHANT_ID)
        self.secret = secret or str(settings.PAYMENT_SECRET_KEY)
        self.callback_delay = callback_delay
        self.callback_mode = "ok"
        self.query_mode = "ok"
        self.transactions: dict[str, FakeTransaction] = {}
        self.sent: list[dict[str, str]] = []  # every notification sent, as sent
        self._lock = threading.Lock()
        self._next_no = 14_000_000
        self.url_map = Map(
            [
                Rule("/", endpoint="index", methods=["GET"]),
                Rule("/checkout", endpoint="checkout", methods=["GET"]),
                Rule("/checkout/<reference>", endpoint="decide", methods=["POST"]),
                Rule("/api/transactions/<reference>", endpoint="query", methods=["GET"]),
                Rule("/api/transactions/<reference>/notify", endpoint="notify", methods=["POST"]),
                Rule("/_control", endpoint="control", methods=["POST"]),
            ]
        )

    # --- WSGI ----------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        adapter = self.url_map.bind_to_environ(environ)
        try:
            endpoint, values = adapter.match()
            response = getattr(self, f"on_{endpoint}")(request, **values)
        except HTTPException as exc:
            response = exc.get_response(environ)
        return response(environ, start_response)

    # --- protocol ------------------------------------------------------------------

    def signed(self, fields: dict[str, str]) -> dict[str, str]:
        return {**fields, platform.SIGNATURE_FIELD: platform.sign(fields, self.secret)}

    def result_fields(self, txn: FakeTransaction) -> dict[str, str]:
        """Return the signed notification / return fields of ``txn``."""
        return self.signed(
            {
                "merchant": self.merchant_id,
                "reference": txn.reference,
                "amount": str(txn.amount),
                "currency": txn.currency,
                "transaction_no": txn.transaction_no,
                "response_code": txn.response_code,
                "pay_date": txn.pay_date,
            }
        )

    def notification_fields(self, txn: FakeTransaction) -> dict[str, str]:
        fields = self.result_fields(txn)
        if self.callback_mode == "wrong_amount":
            fields = self.signed(
                {k: v for k, v in fields.items() if k != platform.SIGNATURE_FIELD}
                | {"amount": str(txn.amount + 1000)}
            )
        elif self.callback_mode == "bad_signature":
            fields[platform.SIGNATURE_FIELD] = "0" * 128
        return fields

    def send_notification(self, reference: str, *, tries: int = 3) -> str:
        """POST the notification of ``reference`` to motcua; return its answer code."""
        txn = self.transactions[reference]
        fields = self.notification_fields(txn)
        self.sent.append(fields)
        answer = "error"
        for attempt in range(tries):
            try:
                response = httpx.post(txn.notify_url, data=fields, timeout=10)
                answer = str(response.json().get("code", response.status_code))
                break
            except (httpx.HTTPError, ValueError):
                time.sleep(0.2 * (attempt + 1))
        txn.notifications.append(answer)
        return answer

    def _finish(self, txn: FakeTransaction, status: str) -> None:
        with self._lock:
            txn.status = status
            self._next_no += 1
            txn.transaction_no = str(self._next_no)
            txn.pay_date = platform.format_time(clock.now())

    # --- pages ---------------------------------------------------------------------

    def on_checkout(self, request: Request) -> Response:
        fields = dict(request.args.items())
        if not platform.verify(fields, self.secret) or fields.get("merchant") != self.merchant_id:
            return self._page(
                "Yêu cầu không hợp lệ", "<p>Chữ ký hoặc mã đơn vị không đúng.</p>", 400
            )
        try:
            amount = int(fields["amount"])
            expired = platform.parse_time(fields["expires_at"]) < clock.now()
        except (KeyError, ValueError):
            return self._page("Yêu cầu không hợp lệ", "<p>Thiếu thông tin giao dịch.</p>", 400)
        reference = fields.get("reference", "")
        with self._lock:
            txn = self.transactions.get(reference)
            if txn is None:
                txn = self.transactions[reference] = FakeTransaction(
                    reference=reference,
                    amount=amount,
                    currency=fields.get("currency", ""),
                    order_info=fields.get("order_info", ""),
                    return_url=fields.get("return_url", ""),
                    notify_url=fields.get("notify_url", ""),
                    expires_at=fields["expires_at"],
                )
        if expired and txn.status == "pending":
            txn.status = "expired"
        if txn.status != "pending":
            body = f"<p>Giao dịch {html.escape(reference)}: <strong>{_STATUS_LABELS[txn.status]}</strong>.</p>"
            return self._page("Giao dịch đã kết thúc", body)
        e = html.escape
        body = f"""
<dl>
  <dt>Đơn vị nhận tiền</dt><dd>{e(self.merchant_id)}</dd>
  <dt>Nội dung</dt><dd>{e(txn.order_info)}</dd>
  <dt>Mã giao dịch của đơn vị</dt><dd>{e(txn.reference)}</dd>
  <dt>Số tiền</dt><dd><strong>{txn.amount:,} {e(txn.currency)}</strong></dd>
</dl>
<form method="post" action="/checkout/{e(txn.reference)}">
  <p>Đây là nền tảng thanh toán giả lập để thử nghiệm: không có tiền thật nào được chuyển.</p>
  <button type="submit" name="action" value="pay" class="pay">Thanh toán</button>
  <button type="submit" name="action" value="fail">Thanh toán không thành công</button>
  <button type="submit" name="action" value="cancel">Hủy giao dịch</button>
  <button type="submit" name="action" value="pay_delayed">Thanh toán, báo kết quả chậm</button>
</form>""".replace(f"{txn.amount:,}", f"{txn.amount:,}".replace(",", "."))
        return self._page("Thanh toán phí, lệ phí", body)

    def on_decide(self, request: Request, reference: str) -> Response:
        txn = self.transactions.get(reference)
        if txn is None:
            raise NotFound()
        if txn.status != "pending":
            return self._redirect_back(txn)
        action = request.form.get("action", "")
        status = {"pay": "paid", "pay_delayed": "paid", "fail": "failed", "cancel": "cancelled"}
        if action not in status:
            return self._page("Yêu cầu không hợp lệ", "<p>Hãy chọn một thao tác.</p>", 400)
        self._finish(txn, status[action])
        if action != "pay_delayed":
            self.send_notification(reference)
        elif self.callback_delay is not None:
            timer = threading.Timer(self.callback_delay, self.send_notification, args=(reference,))
            timer.daemon = True
            timer.start()
        return self._redirect_back(txn)

    def _redirect_back(self, txn: FakeTransaction) -> Response:
        joiner = "&" if "?" in txn.return_url else "?"
        return redirect(txn.return_url + joiner + urlencode(self.result_fields(txn)), code=303)

    def on_query(self, request: Request, reference: str) -> Response:
        fields = dict(request.args.items())
        if not platform.verify(fields, self.secret) or fields.get("merchant") != self.merchant_id:
            return Response(
                json.dumps({"error": "bad signature"}), status=401, mimetype="application/json"
            )
        if self.query_mode == "down":
            return Response("unavailable", status=503)
        txn = self.transactions.get(reference)
        if txn is None:
            answer = self.signed(
                {"merchant": self.merchant_id, "reference": reference, "status": "unknown"}
            )
        else:
            if txn.status == "pending" and platform.parse_time(txn.expires_at) < clock.now():
                txn.status = "expired"
            answer = self.signed(
                {k: v for k, v in self.result_fields(txn).items() if k != platform.SIGNATURE_FIELD}
                | {"status": txn.status}
            )
        return Response(json.dumps(answer), mimetype="application/json")

    def on_notify(self, request: Request, reference: str) -> Response:
        if reference not in self.transactions or self.transactions[reference].status == "pending":
            raise NotFound()
        answer = self.send_notification(reference)
        if request.form.get("back"):
            return redirect("/", code=303)
        return Response(json.dumps({"answer": answer}), mimetype="application/json")

    def on_control(self, request: Request) -> Response:
        data = request.get_json(silent=True) or {}
        if "callback_mode" in data:
            self.callback_mode = str(data["callback_mode"])
        if "query_mode" in data:
            self.query_mode = str(data["query_mode"])
        if "callback_delay" in data:
            delay = data["callback_delay"]
            self.callback_delay = None if delay is None else float(delay)
        return Response(json.dumps({"ok": True}), mimetype="application/json")

    def on_index(self, request: Request) -> Response:
        e = html.escape
        rows = "".join(
            f"<tr><td>{e(t.reference)}</td><td>{t.amount:,}</td><td>{_STATUS_LABELS[t.status]}</td>"
            f"<td>{e(t.transaction_no)}</td><td>{e(', '.join(t.notifications)) or '—'}</td>"
            f"<td>{self._notify_button(t)}</td></tr>"
            for t in reversed(list(self.transactions.values()))
        ).replace(",", ".")
        body = (
            "<table><caption>Các giao dịch đã nhận</caption><thead><tr><th scope='col'>Mã tham chiếu</th>"
            "<th scope='col'>Số tiền (VND)</th><th scope='col'>Trạng thái</th><th scope='col'>Mã giao dịch</th>"
            "<th scope='col'>Phản hồi của motcua</th><th scope='col'>Thao tác</th></tr></thead>"
            f"<tbody>{rows or '<tr><td colspan=6>Chưa có giao dịch.</td></tr>'}</tbody></table>"
        )
        return self._page("Nền tảng thanh toán (giả lập)", body)

    def _notify_button(self, txn: FakeTransaction) -> str:
        if txn.status == "pending":
            return ""
        return (
            f"<form method='post' action='/api/transactions/{html.escape(txn.reference)}/notify'>"
            "<input type='hidden' name='back' value='1'><button type='submit'>Gửi thông báo</button></form>"
        )

    def _page(self, title: str, body: str, status: int = 200) -> Response:
        page = f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} – Nền tảng thanh toán (giả lập)</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; }}
header {{ border-bottom: 3px solid #b3261e; margin-bottom: 1rem; }}
dt {{ font-weight: 600; }} dd {{ margin: 0 0 .5rem; }}
button {{ font-size: 1rem; padding: .6rem 1rem; margin: .25rem .25rem .25rem 0; border: 2px solid #1b1b1b; background: #fff; border-radius: 4px; }}
button.pay {{ background: #0b5394; color: #fff; border-color: #0b5394; }}
button:focus {{ outline: 3px solid #f9a825; outline-offset: 2px; }}
table {{ border-collapse: collapse; width: 100%; }} th, td {{ border: 1px solid #888; padding: .3rem; text-align: left; }}
</style></head>
<body><header><p>Nền tảng thanh toán — bản giả lập cho thử nghiệm</p></header>
<main><h1>{html.escape(title)}</h1>{body}</main></body></html>"""
        return Response(page, status=status, mimetype="text/html")


def make_app() -> FakePaymentPlatform:
    """The factory registered in ``settings.FAKE_SERVERS["payment"]``."""
    delay = getattr(settings, "PAYMENT_FAKE_CALLBACK_DELAY", 20.0)
    return FakePaymentPlatform(callback_delay=None if delay is None else float(delay))
