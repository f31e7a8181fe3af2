"""Local fakes of the two ways out: an SMTP mail catcher and an SMS gateway.

* ``motcua fake mail`` — SMTP on ``MAIL_CATCHER_SMTP_PORT`` (8025, aiosmtpd) and a web
  page on 8105 listing every message received (``GET /``; ``GET /api/messages`` as
  JSON). It accepts everything and delivers nothing.
* ``motcua fake sms`` — the gateway API of ``notifications.channels`` on 8104
  (``POST /api/messages`` with the bearer token, idempotent on ``client_ref``) and a
  page listing the messages. ``POST /_control`` with ``{"mode": "down"}`` makes it answer
  503 (``"ok"`` to recover); tests set ``gateway.mode`` directly.

State is in memory. Tests build them on free ports (``MailCatcher(smtp_port=…)``).
"""

from __future__ import annotations

import email
import email.policy
import html
import json
import socket
import threading
from dataclasses import asdict, dataclass, field
from typing import Any

from django.conf import settings
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from motcua.kernel import clock

__all__ = [
    "CaughtMessage",
    "FakeSmsGateway",
    "MailCatcher",
    "free_port",
    "make_mail_app",
    "make_sms_app",
]


def free_port() -> int:
    """Return a TCP port free on the loopback right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _page(title: str, body: str) -> Response:
    page = f"""<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="10"><title>{html.escape(title)}</title>
<style>body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }}
article {{ border: 1px solid #888; border-radius: 4px; padding: .5rem 1rem; margin-bottom: 1rem; }}
pre {{ white-space: pre-wrap; }} table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #888; padding: .3rem; text-align: left; vertical-align: top; }}</style></head>
<body><main><h1>{html.escape(title)}</h1>{body}</main></body></html>"""
    return Response(page, mimetype="text/html")


# --- mail ------------------------------------------------------------------------------


@dataclass
class CaughtMessage:
    received_at: str
    sender: str
    recipients: list[str]
    subject: str
    message_id: str
    text: str
    attachments: list[str] = field(default_factory=list)


class _Handler:
    def __init__(self, catcher: MailCatcher) -> None:
        self.catcher = catcher

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = parsed.get_body(preferencelist=("plain", "html"))
        attachments = [part.get_filename() or "" for part in parsed.iter_attachments()]
        self.catcher.add(
            CaughtMessage(
                received_at=clock.now().isoformat(),
                sender=str(envelope.mail_from),
                recipients=[str(r) for r in envelope.rcpt_tos],
                subject=str(parsed.get("Subject", "")),
                message_id=str(parsed.get("Message-ID", "")),
                text=body.get_content() if body is not None else "",
                attachments=attachments,
            )
        )
        return "250 Message accepted for delivery"


class MailCatcher:
    """The mail catcher: ``messages`` is what SMTP received; the object is the web page."""

    def __init__(self, *, smtp_port: int | None = None, smtp_host: str = "127.0.0.1") -> None:
        self.messages: list[CaughtMessage] = []
        self.smtp_host = smtp_host
        self.smtp_port = smtp_port
        self._lock = threading.Lock()
        self._controller: Any = None
        self.url_map = Map(
            [
                Rule("/", endpoint="index", methods=["GET"]),
                Rule("/api/messages", endpoint="list", methods=["GET"]),
            ]
        )

    def add(self, message: CaughtMessage) -> None:
        with self._lock:
            self.messages.append(message)

    def start_smtp(self) -> MailCatcher:
        from aiosmtpd.controller import Controller

        if self.smtp_port is None:
            self.smtp_port = free_port()
        self._controller = Controller(_Handler(self), hostname=self.smtp_host, port=self.smtp_port)
        self._controller.start()
        return self

    def stop_smtp(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        adapter = self.url_map.bind_to_environ(environ)
        try:
            endpoint, _values = adapter.match()
        except HTTPException as exc:
            return exc.get_response(environ)(environ, start_response)
        if endpoint == "list":
            data = [asdict(m) for m in self.messages]
            response = Response(json.dumps(data, ensure_ascii=False), mimetype="application/json")
        else:
            response = self._index()
        return response(environ, start_response)

    def _index(self) -> Response:
        e = html.escape
        articles = "".join(
            f"<article><h2>{e(m.subject)}</h2><p><strong>Đến:</strong> {e(', '.join(m.recipients))}"
            f" · <strong>Lúc:</strong> {e(m.received_at)}</p>"
            + (
                f"<p><strong>Tệp đính kèm:</strong> {e(', '.join(m.attachments))}</p>"
                if m.attachments
                else ""
            )
            + f"<pre>{e(m.text)}</pre></article>"
            for m in reversed(self.messages)
        )
        intro = f"<p>SMTP: {e(self.smtp_host)}:{self.smtp_port} · {len(self.messages)} thư</p>"
        return _page(
            "Hộp thư thử nghiệm (mail catcher)", intro + (articles or "<p>Chưa có thư nào.</p>")
        )


def make_mail_app() -> MailCatcher:
    """The factory of ``FAKE_SERVERS["mail"]``: starts SMTP on ``MAIL_CATCHER_SMTP_PORT``."""
    return MailCatcher(smtp_port=int(settings.MAIL_CATCHER_SMTP_PORT)).start_smtp()


# --- SMS -------------------------------------------------------------------------------


class FakeSmsGateway:
    """The SMS gateway: ``messages`` in order received; ``mode`` "ok" or "down"."""

    def __init__(self, *, token: str | None = None) -> None:
        self.token = token or str(settings.SMS_GATEWAY_TOKEN)
        self.mode = "ok"
        self.messages: list[dict[str, str]] = []
        self.requests = 0
        self._by_ref: dict[str, dict[str, str]] = {}
        self._lock = threading.Lock()
        self.url_map = Map(
            [
                Rule("/", endpoint="index", methods=["GET"]),
                Rule("/api/messages", endpoint="send", methods=["POST"]),
                Rule("/api/messages", endpoint="list", methods=["GET"]),
                Rule("/_control", endpoint="control", methods=["POST"]),
            ]
        )

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        adapter = self.url_map.bind_to_environ(environ)
        try:
            endpoint, _values = adapter.match()
            response = getattr(self, f"on_{endpoint}")(request)
        except HTTPException as exc:
            response = exc.get_response(environ)
        return response(environ, start_response)

    @staticmethod
    def _json(data: object, status: int = 200) -> Response:
        return Response(
            json.dumps(data, ensure_ascii=False), status=status, mimetype="application/json"
        )

    def on_send(self, request: Request) -> Response:
        self.requests += 1
        if self.mode == "down":
            return self._json({"error": "unavailable"}, 503)
        if request.headers.get("Authorization", "") != f"Bearer {self.token}":
            return self._json({"error": "unauthorized"}, 401)
        data = request.get_json(silent=True) or {}
        to, text = str(data.get("to", "")), str(data.get("text", ""))
        ref = str(data.get("client_ref", ""))
        if not to.isdigit() or not text or not ref:
            return self._json({"error": "to, text and client_ref are required"}, 422)
        with self._lock:
            if ref in self._by_ref:
                return self._json({"id": self._by_ref[ref]["id"], "status": "duplicate"}, 200)
            message = {
                "id": f"SMS-{len(self.messages) + 1:06d}",
                "to": to,
                "text": text,
                "sender": str(data.get("sender", "")),
                "client_ref": ref,
                "received_at": clock.now().isoformat(),
            }
            self.messages.append(message)
            self._by_ref[ref] = message
        return self._json({"id": message["id"], "status": "accepted"}, 201)

    def on_list(self, request: Request) -> Response:
        return self._json(self.messages)

    def on_control(self, request: Request) -> Response:
        data = request.get_json(silent=True) or {}
        if data.get("mode") in ("ok", "down"):
            self.mode = str(data["mode"])
        return self._json({"mode": self.mode})

    def on_index(self, request: Request) -> Response:
        e = html.escape
        rows = "".join(
            f"<tr><td>{e(m['received_at'])}</td><td>{e(m['to'])}</td><td>{e(m['text'])}</td></tr>"
            for m in reversed(self.messages)
        )
        body = (
            f"<p>Trạng thái: {e(self.mode)} · {len(self.messages)} tin nhắn</p><table>"
            "<caption>Tin nhắn đã nhận</caption><thead><tr><th scope='col'>Lúc</th>"
            "<th scope='col'>Đến số</th><th scope='col'>Nội dung</th></tr></thead>"
            f"<tbody>{rows or '<tr><td colspan=3>Chưa có tin nhắn.</td></tr>'}</tbody></table>"
        )
        return _page("Cổng SMS thử nghiệm", body)


def make_sms_app() -> FakeSmsGateway:
    """The factory of ``FAKE_SERVERS["sms"]``."""
    return FakeSmsGateway()
