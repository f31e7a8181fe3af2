"""Serve a registered fake: in a thread for the tests, in the foreground for the demo."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string
from werkzeug.serving import BaseWSGIServer, make_server

__all__ = ["FakeServer", "FakeSpec", "fake_spec", "serve_fake"]

WSGIApp = Callable[..., Any]


@dataclass(frozen=True)
class FakeSpec:
    name: str
    app: str
    port: int

    def make_app(self) -> WSGIApp:
        factory = import_string(self.app)
        return factory()


def fake_spec(name: str) -> FakeSpec:
    """Return the registered fake ``name``; raise ``ImproperlyConfigured`` if unknown."""
    specs: dict[str, dict[str, Any]] = getattr(settings, "FAKE_SERVERS", {})
    if name not in specs:
        known = ", ".join(sorted(specs)) or "none"
        raise ImproperlyConfigured(f"Unknown fake server {name!r} (registered: {known}).")
    spec = specs[name]
    return FakeSpec(name=name, app=spec["app"], port=int(spec["port"]))


def serve_fake(name: str, *, host: str = "127.0.0.1", port: int | None = None) -> None:
    """Serve the fake ``name`` until interrupted (``motcua fake NAME``)."""
    spec = fake_spec(name)
    server = make_server(host, spec.port if port is None else port, spec.make_app(), threaded=True)
    try:
        server.serve_forever()
    finally:
        server.server_close()


class FakeServer:
    """A fake served in a background thread on a free port; a context manager.

    ``app`` is the WSGI application itself, so a test can inspect what the fake
    received or tell it to fail (whatever the fake exposes for that).
    """

    def __init__(self, app: WSGIApp, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = app
        self._server: BaseWSGIServer = make_server(host, port, app, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @classmethod
    def of(cls, name: str) -> FakeServer:
        return cls(fake_spec(name).make_app())

    @property
    def url(self) -> str:
        return f"http://{self._server.host}:{self._server.port}"

    def start(self) -> FakeServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
