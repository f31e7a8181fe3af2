"""Test helpers for the national e-ID login: the fake provider in a thread, and a login.

``serving_fake_eid()`` starts the local provider (``identity.fake_eid``) on a free
port; ``FakeEid.point_settings(settings)`` points motcua's e-ID settings at it and
``FakeEid.reset()`` makes it new again. The ``fake_eid`` fixture of ``tests/conftest.py``
shares one server per test session and resets it for every test (stopping a werkzeug
server takes half a second); ``running_fake_eid(settings)`` gives a test its own. ``log_in_with_eid(client, login)`` does the
whole flow: the Django test client plays motcua's side, httpx the browser at the
provider (redirects followed by hand), and returns the callback's response.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
from django.core.cache import cache
from django.test import Client

from motcua.identity.fake_eid import (
    DEMO_IDENTITIES,
    DEMO_PASSWORD,
    EidClient,
    FakeEidProvider,
    generate_key,
)
from motcua.integration.fakes import FakeServer

__all__ = [
    "BUSINESS",
    "CLIENT_ID",
    "CLIENT_SECRET",
    "LEVEL1",
    "LEVEL2",
    "LEVEL2_OTHER",
    "FakeEid",
    "allow_origin",
    "log_in_with_eid",
    "running_fake_eid",
    "serving_fake_eid",
    "sign_in_at_provider",
    "start_eid_login",
]

CLIENT_ID = "motcua-test"
CLIENT_SECRET = "test-secret-of-motcua"
TEST_ORIGIN = "http://testserver"

LEVEL2, LEVEL2_OTHER, LEVEL1, BUSINESS = DEMO_IDENTITIES


@functools.cache
def _signing_key() -> Any:
    # One RSA key for the whole run: generating one per test costs more than the test.
    return generate_key()


@dataclass
class FakeEid:
    provider: FakeEidProvider
    server: FakeServer
    origins: tuple[str, ...] = (TEST_ORIGIN,)

    @property
    def url(self) -> str:
        return self.server.url

    def reset(self) -> None:
        """Forget every code, token, session, fault and change a test made."""
        provider = self.provider
        provider.faults.clear()
        provider.identities = {identity.login: identity for identity in DEMO_IDENTITIES}
        provider.clients = {CLIENT_ID: EidClient(client_id=CLIENT_ID, client_secret=CLIENT_SECRET)}
        for origin in self.origins:
            allow_origin(provider, origin)
        with provider._lock:
            provider._codes.clear()
            provider._used_codes.clear()
            provider._tokens.clear()
            provider._sessions.clear()

    def point_settings(self, settings: Any) -> None:
        """Point motcua's e-ID settings (pytest-django's ``settings``) at this provider."""
        settings.EID_ISSUER = self.url
        settings.EID_DISCOVERY_URL = ""
        settings.EID_REDIRECT_URI = ""
        settings.EID_CLIENT_ID = CLIENT_ID
        settings.EID_CLIENT_SECRET = CLIENT_SECRET
        settings.EID_MIN_ASSURANCE_LEVEL = 2
        cache.clear()  # no metadata or keys of an earlier provider on a reused port


def allow_origin(provider: FakeEidProvider, origin: str) -> None:
    """Let motcua served at ``origin`` (a live server) use the provider."""
    client = provider.clients[CLIENT_ID]
    origin = origin.rstrip("/")
    client.redirect_uris.append(f"{origin}/tai-khoan/vneid/callback/")
    client.post_logout_redirect_uris.append(f"{origin}/")


@contextmanager
def serving_fake_eid() -> Iterator[FakeEid]:
    """Serve a provider on a free port until the block ends (share it: stopping is slow)."""
    provider = FakeEidProvider(clients=[], key=_signing_key())
    with FakeServer(provider) as server:
        fake = FakeEid(provider=provider, server=server)
        fake.reset()
        yield fake


@contextmanager
def running_fake_eid(settings: Any) -> Iterator[FakeEid]:
    """Serve a fresh provider on a free port; point ``settings`` (pytest-django's) at it."""
    with serving_fake_eid() as fake:
        fake.point_settings(settings)
        yield fake
        cache.clear()


def start_eid_login(client: Client, *, next_url: str = "") -> str:
    """Start the login at motcua; return the provider's authorization URL."""
    path = "/tai-khoan/vneid/" + (f"?next={next_url}" if next_url else "")
    response = client.get(path)
    assert response.status_code == 302, response.content.decode()[:500]
    return str(response["Location"])


def sign_in_at_provider(
    authorize_url: str, login: str, *, password: str = DEMO_PASSWORD, cancel: bool = False
) -> str:
    """Sign in at the provider as a browser would; return where it sends the browser back."""
    parts = urlsplit(authorize_url)
    params = {name: values[0] for name, values in parse_qs(parts.query).items()}
    origin = f"{parts.scheme}://{parts.netloc}"
    with httpx.Client(base_url=origin, timeout=5, verify=False) as browser:  # noqa: S501 (http)
        page = browser.get(f"{parts.path}?{parts.query}")
        assert page.status_code == 200, page.text[:500]
        form = (
            {**params, "cancel": "1"}
            if cancel
            else {**params, "login": login, "password": password}
        )
        answer = browser.post(parts.path, data=form)
    assert answer.status_code == 302, answer.text[:500]
    return answer.headers["Location"]


def log_in_with_eid(client: Client, login: str, *, next_url: str = "") -> Any:
    """Log in on ``client`` as the demo identity ``login``; return the callback's response."""
    callback = sign_in_at_provider(start_eid_login(client, next_url=next_url), login)
    return client.get(callback)
