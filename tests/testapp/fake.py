"""A fake used to test the fake-server plumbing: it echoes and counts requests."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Request, Response


class EchoFake:
    def __init__(self) -> None:
        self.received: list[str] = []

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        self.received.append(request.path)
        return Response(f"echo {request.path}", mimetype="text/plain")(environ, start_response)


def make_app() -> EchoFake:
    return EchoFake()
