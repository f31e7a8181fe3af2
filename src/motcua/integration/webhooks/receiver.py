"""A reference webhook receiver: verifies, rejects stale and replayed deliveries, records.

It is the local fake ``webhook-receiver`` (demo port 8106) and the peer of the webhook
tests, and shows in a few lines what docs/webhooks.md asks of a real receiver:

1. recompute the signature over the raw body with the shared secret (``verify_signature``);
2. reject a timestamp older than the tolerance (five minutes by default);
3. take each ``X-Motcua-Message-Id`` once (``ReplayGuard``), answer 2xx quickly.

``POST /_control/down`` makes it answer 503 until ``POST /_control/up``;
``GET /_control/received`` lists what it accepted (JSON); ``GET /`` shows it (HTML).
"""

from __future__ import annotations

import html
import json
import threading
from typing import Any

from werkzeug.wrappers import Request, Response

from motcua.integration.webhooks.signing import (
    MESSAGE_ID_HEADER,
    SIGNATURE_HEADER,
    ReplayGuard,
    WebhookRejected,
    verify_signature,
)

__all__ = ["WebhookReceiver", "make_app"]


class WebhookReceiver:
    def __init__(self, secret: str, *, tolerance: int = 300) -> None:
        self.secret = secret
        self.tolerance = tolerance
        self.guard = ReplayGuard(window=tolerance)
        self.received: list[dict[str, Any]] = []
        self.rejected: list[str] = []
        self.is_down = False
        self.requests = 0
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        return self.handle(request)(environ, start_response)

    def handle(self, request: Request) -> Response:
        if request.path == "/_control/down" and request.method == "POST":
            self.is_down = True
            return Response(status=204)
        if request.path == "/_control/up" and request.method == "POST":
            self.is_down = False
            return Response(status=204)
        if request.path == "/_control/received":
            return Response(json.dumps(self.received), mimetype="application/json")
        if request.method == "GET":
            return self.page()
        with self._lock:
            self.requests += 1
        if self.is_down:
            return Response("down", status=503)
        body = request.get_data()
        try:
            verify_signature(
                self.secret, request.headers.get(SIGNATURE_HEADER), body, tolerance=self.tolerance
            )
            self.guard.check(request.headers.get(MESSAGE_ID_HEADER, ""))
        except WebhookRejected as exc:
            with self._lock:
                self.rejected.append(exc.code)
            return Response(json.dumps({"code": exc.code}), status=400, mimetype="application/json")
        envelope = json.loads(body)
        with self._lock:
            self.received.append(envelope)
        return Response(status=204)

    def page(self) -> Response:
        rows = "".join(
            f"<tr><td>{html.escape(e['created_at'])}</td><td>{html.escape(e['topic'])}</td>"
            f"<td>{html.escape(str(e['aggregate']['id']))}</td><td><code>{html.escape(e['id'])}"
            "</code></td></tr>"
            for e in reversed(self.received[-200:])
        )
        text = (
            "<!doctype html><html lang='vi'><head><meta charset='utf-8'>"
            "<title>Hệ thống nhận webhook (thử nghiệm)</title></head><body>"
            "<h1>Hệ thống nhận webhook (thử nghiệm)</h1>"
            f"<p>Đã nhận {len(self.received)} thông điệp hợp lệ, từ chối {len(self.rejected)}.</p>"
            "<table><thead><tr><th scope='col'>Thời điểm sự kiện (UTC)</th>"
            "<th scope='col'>Chủ đề</th><th scope='col'>Đối tượng</th>"
            f"<th scope='col'>Mã thông điệp</th></tr></thead><tbody>{rows}</tbody></table>"
            "</body></html>"
        )
        return Response(text, mimetype="text/html")


def make_app() -> WebhookReceiver:
    from django.conf import settings

    return WebhookReceiver(getattr(settings, "WEBHOOK_DEMO_SECRET", "motcua-demo-webhook-secret"))
