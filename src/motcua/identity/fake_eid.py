"""A local national e-ID provider (VNeID-like): a real OpenID Connect provider for the demo.

It speaks the protocol motcua's relying party (``identity.eid``) speaks to a real
provider: discovery, JWKS, ``/authorize`` (a Vietnamese sign-in page for the demo
identities), ``/token`` (authorization-code grant only, PKCE S256 required,
``client_secret_basic`` or ``client_secret_post``; codes single-use and short-lived),
``/userinfo`` (bearer) and ``/logout`` (RP-initiated logout). ID tokens are RS256
JWTs signed with joserfc. State (codes, tokens, sign-in sessions) lives in memory;
the signing key is generated at start, or kept in a file so that restarts keep it.

Tests make it misbehave on request through ``faults`` (see ``FAULTS``), so that the
relying party's checks meet a real bad peer.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus, urlencode

from django.conf import settings
from django.template.loader import render_to_string
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import RSAKey
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

__all__ = [
    "DEMO_IDENTITIES",
    "DEMO_PASSWORD",
    "FAULTS",
    "DemoIdentity",
    "EidClient",
    "FakeEidProvider",
    "make_app",
]

DEMO_PASSWORD = "vneid-demo"  # noqa: S105  (documented demo password of the fake provider)
SESSION_COOKIE = "fake_eid_session"

# What a test may ask the provider to get wrong.
FAULTS = frozenset(
    {
        "token_500",  # the token endpoint answers 500
        "userinfo_500",  # the userinfo endpoint answers 500
        "bad_signature",  # ID token signed by another key under the published kid
        "wrong_audience",  # ID token for another client
        "wrong_issuer",  # ID token from another issuer
        "expired",  # ID token expired before it was issued
        "wrong_nonce",  # ID token with another nonce
        "other_subject",  # userinfo about another subject than the ID token
    }
)

SCOPE_CLAIMS = {
    "profile": ("name", "birthdate"),
    "email": ("email",),
    "phone": ("phone_number",),
    "address": ("address",),
    "vneid": ("account_type", "personal_id", "enterprise_code", "representative"),
}


@dataclass(frozen=True)
class DemoIdentity:
    """One demo account: a person, or a business with its legal representative."""

    login: str  # the personal ID number (person) or enterprise code (business)
    name: str
    level: int
    phone: str
    email: str
    address: str
    birthdate: str = ""
    personal_id: str = ""
    enterprise_code: str = ""
    representative_name: str = ""
    representative_id: str = ""

    @property
    def is_business(self) -> bool:
        return bool(self.enterprise_code)

    @property
    def sub(self) -> str:
        # Opaque and stable: a real provider never uses the ID number as the subject.
        return str(uuid.uuid5(uuid.NAMESPACE_URL, f"fake-eid:{self.login}"))

    def claims(self, scopes: Iterable[str]) -> dict[str, Any]:
        every: dict[str, Any] = {
            "name": self.name,
            "email": self.email,
            "phone_number": self.phone,
            "address": {"formatted": self.address},
            "account_type": "business" if self.is_business else "person",
        }
        if self.is_business:
            every["enterprise_code"] = self.enterprise_code
            every["representative"] = {
                "name": self.representative_name,
                "personal_id": self.representative_id,
            }
        else:
            every["birthdate"] = self.birthdate
            every["personal_id"] = self.personal_id
        wanted = {name for scope in scopes for name in SCOPE_CLAIMS.get(scope, ())}
        return {name: value for name, value in every.items() if name in wanted}


DEMO_IDENTITIES = (
    DemoIdentity(login="038085001234", name="Nguyễn Văn An", level=2, birthdate="1985-03-14",
                 personal_id="038085001234", phone="0912345678", email="an.nguyen@example.vn",
                 address="Số 12 đường Lê Lợi, phường Hạc Thành, tỉnh Thanh Hóa"),
    DemoIdentity(login="001192004567", name="Trần Thị Bình", level=2, birthdate="1992-11-02",
                 personal_id="001192004567", phone="0987654321", email="binh.tran@example.vn",
                 address="Số 5 phố Hàng Bông, phường Hoàn Kiếm, thành phố Hà Nội"),
    DemoIdentity(login="038203007890", name="Lê Minh Châu", level=1, birthdate="2003-07-21",
                 personal_id="038203007890", phone="0934567890", email="chau.le@example.vn",
                 address="Thôn Đông, xã Hoằng Hóa, tỉnh Thanh Hóa"),
    DemoIdentity(login="2801234567", name="Công ty TNHH Dịch vụ Hạc Thành", level=2,
                 enterprise_code="2801234567", representative_name="Phạm Văn Dũng",
                 representative_id="038078002468", phone="02373856789",
                 email="lienhe@hacthanh.example.vn",
                 address="Số 88 đại lộ Lê Lợi, phường Hạc Thành, tỉnh Thanh Hóa"),
)  # fmt: skip


@dataclass
class EidClient:
    """A relying party registered at the provider."""

    client_id: str
    client_secret: str
    redirect_uris: list[str] = field(default_factory=list)
    post_logout_redirect_uris: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Grant:
    client_id: str
    redirect_uri: str
    code_challenge: str
    nonce: str
    scopes: tuple[str, ...]
    sub: str
    auth_time: int
    expires_at: float


@dataclass(frozen=True)
class _AccessToken:
    sub: str
    scopes: tuple[str, ...]
    expires_at: float


class FakeEidProvider:
    """The provider as a WSGI application; ``faults`` and ``clients`` may be changed live.

    ``issuer`` defaults to the address the request came to, so the same app serves
    the demo port and a test's free port.
    """

    code_lifetime = 60.0
    token_lifetime = 300

    def __init__(
        self,
        *,
        clients: Iterable[EidClient],
        identities: Iterable[DemoIdentity] = DEMO_IDENTITIES,
        key: RSAKey | None = None,
        issuer: str | None = None,
    ) -> None:
        self.clients = {client.client_id: client for client in clients}
        self.identities = {identity.login: identity for identity in identities}
        self.key = key or generate_key()
        self.issuer = issuer
        self.faults: set[str] = set()
        self._codes: dict[str, _Grant] = {}
        self._used_codes: dict[str, str] = {}  # code -> access token issued for it
        self._tokens: dict[str, _AccessToken] = {}
        self._sessions: dict[str, str] = {}  # sign-in session id -> login
        self._lock = threading.Lock()
        self._urls = Map(
            [
                Rule("/.well-known/openid-configuration", endpoint="discovery"),
                Rule("/jwks", endpoint="jwks"),
                Rule("/authorize", endpoint="authorize"),
                Rule("/token", endpoint="token"),
                Rule("/userinfo", endpoint="userinfo"),
                Rule("/logout", endpoint="logout"),
                Rule("/", endpoint="index"),
            ]
        )

    # -- WSGI ---------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        adapter = self._urls.bind_to_environ(environ)
        try:
            endpoint, _args = adapter.match()
            response = getattr(self, f"_{endpoint}")(request)
        except (NotFound, MethodNotAllowed) as error:
            response = error.get_response(environ)
        except HTTPException as error:  # pragma: no cover - werkzeug's own
            response = error.get_response(environ)
        return response(environ, start_response)

    def issuer_for(self, request: Request) -> str:
        return self.issuer or request.host_url.rstrip("/")

    # -- discovery and keys ---------------------------------------------------------------

    def _index(self, request: Request) -> Response:
        return _json({"issuer": self.issuer_for(request), "name": "Fake national e-ID"})

    def _discovery(self, request: Request) -> Response:
        issuer = self.issuer_for(request)
        return _json(
            {
                "issuer": issuer,
                "authorization_endpoint": f"{issuer}/authorize",
                "token_endpoint": f"{issuer}/token",
                "userinfo_endpoint": f"{issuer}/userinfo",
                "jwks_uri": f"{issuer}/jwks",
                "end_session_endpoint": f"{issuer}/logout",
                "response_types_supported": ["code"],
                "grant_types_supported": ["authorization_code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "token_endpoint_auth_methods_supported": [
                    "client_secret_basic",
                    "client_secret_post",
                ],
                "scopes_supported": ["openid", *SCOPE_CLAIMS],
                "claims_supported": sorted(
                    {"sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "acr"}
                    | {name for names in SCOPE_CLAIMS.values() for name in names}
                ),
                "acr_values_supported": ["1", "2"],
                "authorization_response_iss_parameter_supported": True,
            },
            cache=True,
        )

    def _jwks(self, request: Request) -> Response:
        return _json({"keys": [self.key.as_dict(private=False)]}, cache=True)

    # -- authorization endpoint -------------------------------------------------------------

    def _authorize(self, request: Request) -> Response:
        if request.method not in ("GET", "POST"):
            raise MethodNotAllowed(["GET", "POST"])
        params = request.values
        client = self.clients.get(params.get("client_id", ""))
        redirect_uri = params.get("redirect_uri", "")
        if client is None or redirect_uri not in client.redirect_uris:
            # Never redirect to an address the client did not register (RFC 6749 §4.1.2.1).
            return self._page(
                "invalid_client.html", {"reason": "client_id hoặc redirect_uri không hợp lệ."}, 400
            )
        state = params.get("state", "")
        scopes = tuple(params.get("scope", "").split())
        if params.get("response_type") != "code":
            return _redirect_error(redirect_uri, "unsupported_response_type", state)
        if "openid" not in scopes:
            return _redirect_error(redirect_uri, "invalid_scope", state, "openid is required")
        challenge = params.get("code_challenge", "")
        if params.get("code_challenge_method") != "S256" or not 43 <= len(challenge) <= 128:
            return _redirect_error(
                redirect_uri, "invalid_request", state, "PKCE with S256 is required"
            )
        auth = {
            name: params.get(name, "")
            for name in (
                "client_id",
                "redirect_uri",
                "response_type",
                "scope",
                "state",
                "nonce",
                "code_challenge",
                "code_challenge_method",
            )
        }
        session_login = self._sessions.get(request.cookies.get(SESSION_COOKIE, ""))
        if request.method == "GET":
            return self._login_page(auth, session_login=session_login)
        if "cancel" in request.form:
            return _redirect_error(redirect_uri, "access_denied", state, "The user cancelled")
        login = request.form.get("pick") or ""
        if login == "__session__" and session_login:
            identity: DemoIdentity | None = self.identities.get(session_login)
        elif login:
            identity = self.identities.get(login)
        else:
            login = "".join(request.form.get("login", "").split())
            identity = self.identities.get(login)
            if identity is None or not hmac.compare_digest(
                request.form.get("password", "").encode(), DEMO_PASSWORD.encode()
            ):
                return self._login_page(auth, session_login=session_login, failed_login=login)
        if identity is None:
            return self._login_page(auth, session_login=session_login, failed_login=login)
        code = secrets.token_urlsafe(32)
        with self._lock:
            self._codes[code] = _Grant(
                client_id=client.client_id,
                redirect_uri=redirect_uri,
                code_challenge=challenge,
                nonce=auth["nonce"],
                scopes=scopes,
                sub=identity.sub,
                auth_time=int(time.time()),
                expires_at=time.monotonic() + self.code_lifetime,
            )
            session_id = secrets.token_urlsafe(24)
            self._sessions[session_id] = identity.login
        query = {"code": code, "iss": self.issuer_for(request)}
        if state:
            query["state"] = state
        response = _redirect(_with_query(redirect_uri, query))
        response.set_cookie(SESSION_COOKIE, session_id, httponly=True, samesite="Lax")
        return response

    def _login_page(
        self, auth: dict[str, str], *, session_login: str | None, failed_login: str | None = None
    ) -> Response:
        session_identity = self.identities.get(session_login or "")
        return self._page(
            "login.html",
            {
                "auth": auth,
                "identities": list(self.identities.values()),
                "session_identity": session_identity,
                "failed": failed_login is not None,
                "login": failed_login or "",
                "demo_password": DEMO_PASSWORD,
            },
            200 if failed_login is None else 400,
        )

    def _page(self, template: str, context: dict[str, Any], status: int) -> Response:
        html = render_to_string(f"identity/fake_eid/{template}", context)
        response = Response(html, status=status, mimetype="text/html")
        response.headers["Cache-Control"] = "no-store"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    # -- token endpoint ---------------------------------------------------------------------

    def _authenticate_client(self, request: Request) -> EidClient | None:
        header = request.headers.get("Authorization", "")
        posted_id = request.form.get("client_id")
        posted_secret = request.form.get("client_secret")
        if header.startswith("Basic "):
            if posted_secret is not None:
                return None  # one method per request (RFC 6749 §2.3)
            try:
                decoded = base64.b64decode(header[6:], validate=True).decode()
                client_id, secret = (_form_decode(part) for part in decoded.split(":", 1))
            except ValueError:
                return None
        elif posted_id is not None and posted_secret is not None:
            client_id, secret = posted_id, posted_secret
        else:
            return None
        client = self.clients.get(client_id)
        if client is None or not hmac.compare_digest(
            secret.encode(), client.client_secret.encode()
        ):
            return None
        return client

    def _token(self, request: Request) -> Response:
        if request.method != "POST":
            raise MethodNotAllowed(["POST"])
        if "token_500" in self.faults:
            return Response("internal error", status=500)
        client = self._authenticate_client(request)
        if client is None:
            response = _oauth_error("invalid_client", 401)
            response.headers["WWW-Authenticate"] = 'Basic realm="fake-eid"'
            return response
        if request.form.get("grant_type") != "authorization_code":
            return _oauth_error("unsupported_grant_type")
        code = request.form.get("code", "")
        with self._lock:
            grant = self._codes.pop(code, None)
            if grant is None:
                # A replayed code: refuse it and revoke what it gave (RFC 6749 §4.1.2).
                issued = self._used_codes.get(code)
                if issued:
                    self._tokens.pop(issued, None)
                return _oauth_error("invalid_grant", description="unknown, used or expired code")
            access_token = secrets.token_urlsafe(32)
            self._used_codes[code] = access_token
        if grant.expires_at < time.monotonic():
            return _oauth_error("invalid_grant", description="expired code")
        if grant.client_id != client.client_id:
            return _oauth_error("invalid_grant", description="code issued to another client")
        if request.form.get("redirect_uri") != grant.redirect_uri:
            return _oauth_error("invalid_grant", description="redirect_uri does not match")
        verifier = request.form.get("code_verifier", "")
        if not 43 <= len(verifier) <= 128 or not hmac.compare_digest(
            s256(verifier), grant.code_challenge
        ):
            return _oauth_error("invalid_grant", description="PKCE verification failed")
        identity = next(i for i in self.identities.values() if i.sub == grant.sub)
        with self._lock:
            self._tokens[access_token] = _AccessToken(
                sub=grant.sub, scopes=grant.scopes, expires_at=time.monotonic() + 300
            )
        id_token = self.sign_id_token(identity, grant, client_id=client.client_id, request=request)
        response = _json(
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": self.token_lifetime,
                "scope": " ".join(grant.scopes),
                "id_token": id_token,
            }
        )
        response.headers["Pragma"] = "no-cache"
        return response

    def sign_id_token(
        self, identity: DemoIdentity, grant: _Grant, *, client_id: str, request: Request
    ) -> str:
        """Return the RS256 ID token for ``identity``, bent as ``faults`` say."""
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer_for(request),
            "sub": identity.sub,
            "aud": client_id,
            "exp": now + self.token_lifetime,
            "iat": now,
            "auth_time": grant.auth_time,
            "acr": str(identity.level),
            "amr": ["pwd"],
            **identity.claims(grant.scopes),
        }
        if grant.nonce:
            claims["nonce"] = grant.nonce
        if "wrong_audience" in self.faults:
            claims["aud"] = "another-client"
        if "wrong_issuer" in self.faults:
            claims["iss"] = "http://issuer.invalid"
        if "expired" in self.faults:
            claims["iat"], claims["exp"] = now - 3600, now - 1800
        if "wrong_nonce" in self.faults:
            claims["nonce"] = secrets.token_urlsafe(16)
        key = self.key
        if "bad_signature" in self.faults:
            key = generate_key(kid=str(self.key.kid))
        return jwt.encode({"alg": "RS256", "kid": self.key.kid}, claims, key)

    # -- userinfo and logout ------------------------------------------------------------------

    def _userinfo(self, request: Request) -> Response:
        if request.method not in ("GET", "POST"):
            raise MethodNotAllowed(["GET", "POST"])
        if "userinfo_500" in self.faults:
            return Response("internal error", status=500)
        header = request.headers.get("Authorization", "")
        token = self._tokens.get(header[7:]) if header.startswith("Bearer ") else None
        if token is None or token.expires_at < time.monotonic():
            response = _json({"error": "invalid_token"}, status=401)
            response.headers["WWW-Authenticate"] = 'Bearer error="invalid_token"'
            return response
        identity = next(i for i in self.identities.values() if i.sub == token.sub)
        sub = token.sub
        if "other_subject" in self.faults:
            sub = str(uuid.uuid4())
        return _json({"sub": sub, "acr": str(identity.level), **identity.claims(token.scopes)})

    def _logout(self, request: Request) -> Response:
        params = request.values
        target = params.get("post_logout_redirect_uri", "")
        client = self.clients.get(params.get("client_id", "")) or self._hinted_client(
            params.get("id_token_hint", "")
        )
        session_id = request.cookies.get(SESSION_COOKIE, "")
        with self._lock:
            self._sessions.pop(session_id, None)
        if target and client is not None and target in client.post_logout_redirect_uris:
            state = params.get("state")
            response = _redirect(_with_query(target, {"state": state} if state else {}))
        else:
            response = self._page("logged_out.html", {}, 200)
        response.delete_cookie(SESSION_COOKIE)
        return response

    def _hinted_client(self, id_token_hint: str) -> EidClient | None:
        if not id_token_hint:
            return None
        try:
            token = jwt.decode(id_token_hint, self.key, algorithms=["RS256"])
        except (JoseError, ValueError):
            return None
        aud = token.claims.get("aud")
        return self.clients.get(aud if isinstance(aud, str) else "")


# -- helpers ---------------------------------------------------------------------------------


def s256(verifier: str) -> str:
    """Return the PKCE S256 challenge of ``verifier`` (RFC 7636 §4.2)."""
    digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def generate_key(*, kid: str | None = None) -> RSAKey:
    """Return a new 2048-bit RSA signing key with a key id."""
    key = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"})
    return RSAKey.import_key(key.as_dict(private=True) | {"kid": kid or key.thumbprint()})


def load_or_create_key(path: Path) -> RSAKey:
    """Return the key kept in ``path`` (a private JWK), creating it on first use."""
    if path.exists():
        return RSAKey.import_key(json.loads(path.read_text(encoding="utf-8")))
    key = generate_key()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(key.as_dict(private=True)), encoding="utf-8")
    path.chmod(0o600)
    return key


def _form_decode(value: str) -> str:
    return unquote_plus(value)


def _json(data: object, *, status: int = 200, cache: bool = False) -> Response:
    response = Response(json.dumps(data, ensure_ascii=False), status=status)
    response.mimetype = "application/json"
    response.headers["Cache-Control"] = "public, max-age=300" if cache else "no-store"
    return response


def _oauth_error(error: str, status: int = 400, *, description: str = "") -> Response:
    body = {"error": error} | ({"error_description": description} if description else {})
    return _json(body, status=status)


def _with_query(url: str, query: dict[str, str]) -> str:
    if not query:
        return url
    return f"{url}{'&' if '?' in url else '?'}{urlencode(query)}"


def _redirect(url: str) -> Response:
    response = Response(status=302)
    response.headers["Location"] = url
    response.headers["Cache-Control"] = "no-store"
    return response


def _redirect_error(redirect_uri: str, error: str, state: str, description: str = "") -> Response:
    query = {"error": error}
    if description:
        query["error_description"] = description
    if state:
        query["state"] = state
    return _redirect(_with_query(redirect_uri, query))


def make_app() -> FakeEidProvider:
    """Build the demo provider from settings (``motcua fake eid``, port 8103).

    The one client is motcua itself (``EID_CLIENT_ID``/``EID_CLIENT_SECRET``), allowed to
    come back to the callback and the home page of every origin in ``EID_FAKE_RP_ORIGINS``.
    """
    origins = [origin.rstrip("/") for origin in settings.EID_FAKE_RP_ORIGINS]
    client = EidClient(
        client_id=settings.EID_CLIENT_ID,
        client_secret=settings.EID_CLIENT_SECRET,
        redirect_uris=[f"{origin}/tai-khoan/vneid/callback/" for origin in origins],
        post_logout_redirect_uris=[f"{origin}/" for origin in origins],
    )
    key_file = settings.EID_FAKE_KEY_FILE
    key = load_or_create_key(Path(key_file)) if key_file else None
    return FakeEidProvider(clients=[client], key=key)
