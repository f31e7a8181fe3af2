"""``NationalPortalClient``: token auth, batched push, pull of online dossiers.

Failures come in two kinds, because the caller treats them differently:

* ``PortalUnavailable`` — the portal could not answer (connection refused, timeout, 5xx,
  a 401 after one token refresh): nothing is known to have been stored, retry later;
* ``PortalRejected`` — the portal refused the request as a whole (4xx with its error
  shape ``{"MaLoi", "MoTa"}``): retrying the same bytes will not help.

A push answers per item (``PushResult``): accepted, accepted as a duplicate of a message
id already stored (idempotent ids), or rejected with the portal's code and message.

The access token (client credentials) is cached per process and per portal/client id,
refreshed shortly before it expires and once when the portal answers 401 (a token that
expired in the middle of a batch).
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

import httpx
from django.conf import settings

from motcua.kernel.logging import get_logger

__all__ = [
    "NationalPortalClient",
    "PortalError",
    "PortalRejected",
    "PortalUnavailable",
    "PushResult",
    "get_client",
]

log = get_logger(__name__)

TOKEN_PATH = "/oauth/token"  # noqa: S105  (a path, not a secret)
PUSH_PATH = "/api/v1/hoso/dongbo"
PULL_PATH = "/api/v1/hoso/truc-tuyen"
# Refresh a token this long before the portal says it expires.
TOKEN_MARGIN_SECONDS = 30.0


class PortalError(Exception):
    def __init__(self, message: str, *, code: str = "", status: int | None = None) -> None:
        super().__init__(message)
        self.code = code
        self.status = status


class PortalUnavailable(PortalError):
    """The portal did not answer usefully; try again later."""


class PortalRejected(PortalError):
    """The portal refused the whole request (its ``MaLoi`` is in ``code``)."""


@dataclass(frozen=True)
class PushResult:
    message_id: str
    is_accepted: bool
    is_duplicate: bool = False
    code: str = ""
    description: str = ""


_tokens: dict[tuple[str, str], tuple[str, float]] = {}
_tokens_lock = threading.Lock()


class NationalPortalClient:
    def __init__(
        self,
        *,
        base_url: str,
        client_id: str,
        client_secret: str,
        timeout: float = 10.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.client_id = client_id
        self._secret = client_secret
        self._http = httpx.Client(
            base_url=self.base_url,
            timeout=timeout,
            transport=transport,
            headers={"User-Agent": "motcua-dvcqg/1"},
        )

    def close(self) -> None:
        self._http.close()

    # Token ----------------------------------------------------------------------------
    @property
    def _token_key(self) -> tuple[str, str]:
        return (self.base_url, self.client_id)

    def forget_token(self) -> None:
        with _tokens_lock:
            _tokens.pop(self._token_key, None)

    def token(self) -> str:
        """Return a valid access token, asking the portal for one when needed."""
        with _tokens_lock:
            cached = _tokens.get(self._token_key)
        if cached is not None and cached[1] > time.monotonic():
            return cached[0]
        try:
            response = self._http.post(
                TOKEN_PATH,
                data={
                    "grant_type": "client_credentials",
                    "client_id": self.client_id,
                    "client_secret": self._secret,
                },
            )
        except httpx.HTTPError as exc:
            raise PortalUnavailable(f"token: {type(exc).__name__}: {exc}") from exc
        if response.status_code >= 500:
            raise PortalUnavailable(
                f"token: HTTP {response.status_code}", status=response.status_code
            )
        if response.status_code != 200:
            raise PortalRejected(
                f"token: HTTP {response.status_code}",
                code="invalid_client",
                status=response.status_code,
            )
        body = response.json()
        token, ttl = str(body["access_token"]), float(body.get("expires_in", 300))
        expires = time.monotonic() + max(1.0, ttl - min(TOKEN_MARGIN_SECONDS, ttl / 10))
        with _tokens_lock:
            _tokens[self._token_key] = (token, expires)
        return token

    # Requests -------------------------------------------------------------------------
    def _request(
        self, method: str, path: str, *, json: Any = None, params: dict[str, str] | None = None
    ) -> Any:
        for attempt in (1, 2):
            headers = {"Authorization": f"Bearer {self.token()}"}
            try:
                response = self._http.request(
                    method, path, json=json, params=params, headers=headers
                )
            except httpx.HTTPError as exc:
                raise PortalUnavailable(f"{type(exc).__name__}: {exc}") from exc
            if response.status_code == 401 and attempt == 1:
                log.info("dvcqg.token_refused", path=path)
                self.forget_token()
                continue
            break
        if response.status_code >= 500 or response.status_code == 401:
            raise PortalUnavailable(f"HTTP {response.status_code}", status=response.status_code)
        if response.status_code >= 400:
            code, text = _portal_error(response)
            raise PortalRejected(text, code=code, status=response.status_code)
        try:
            return response.json()
        except ValueError as exc:
            raise PortalUnavailable("the portal answered something that is not JSON") from exc

    def push(self, items: list[dict[str, Any]]) -> list[PushResult]:
        """Send sync events (in order); return one result per item, by message id."""
        if not items:
            return []
        body = self._request("POST", PUSH_PATH, json={"DanhSach": items})
        results = {}
        for row in body.get("KetQua", []):
            status = row.get("TrangThai")
            results[str(row.get("MessageId"))] = PushResult(
                message_id=str(row.get("MessageId")),
                is_accepted=status in ("OK", "TRUNG"),
                is_duplicate=status == "TRUNG",
                code=str(row.get("MaLoi") or ""),
                description=str(row.get("MoTa") or ""),
            )
        missing = PushResult("", False, code="KHONG_CO_KET_QUA", description="no result")
        return [results.get(str(item.get("MessageId")), missing) for item in items]

    def fetch_online_dossiers(self, desk_codes: list[str] | None = None) -> list[dict[str, Any]]:
        """Return the online dossiers created on the portal and not yet picked up."""
        params = {"maDonVi": ",".join(desk_codes)} if desk_codes else None
        body = self._request("GET", PULL_PATH, params=params)
        rows = body.get("DanhSach") if isinstance(body, dict) else None
        if not isinstance(rows, list):
            raise PortalRejected("pull: no DanhSach list", code="DU_LIEU_KHONG_HOP_LE")
        return rows

    def confirm_pickup(self, portal_code: str) -> None:
        """Tell the portal that ``portal_code`` is in the desk's queue (or was rejected)."""
        self._request("POST", f"{PULL_PATH}/{portal_code}/xac-nhan", json={})


def _portal_error(response: httpx.Response) -> tuple[str, str]:
    try:
        body = response.json()
    except ValueError:
        return "", f"HTTP {response.status_code}"
    if isinstance(body, dict):
        return str(body.get("MaLoi", "")), str(body.get("MoTa", f"HTTP {response.status_code}"))
    return "", f"HTTP {response.status_code}"


_clients: dict[tuple[str, str, str, float], NationalPortalClient] = {}
_clients_lock = threading.Lock()


def get_client() -> NationalPortalClient:
    """Return the process's client for the portal configured in settings (``DVCQG_*``)."""
    key = (
        settings.DVCQG_URL,
        settings.DVCQG_CLIENT_ID,
        settings.DVCQG_CLIENT_SECRET,
        float(settings.DVCQG_TIMEOUT_SECONDS),
    )
    with _clients_lock:
        client = _clients.get(key)
        if client is None:
            client = NationalPortalClient(
                base_url=key[0], client_id=key[1], client_secret=key[2], timeout=key[3]
            )
            _clients[key] = client
        return client
