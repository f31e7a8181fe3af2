"""motcua as a relying party of the national e-ID: OpenID Connect, code flow with PKCE.

``begin_login`` remembers a one-time ``state`` (with its nonce, PKCE verifier, time
and return address) in the visitor's session and returns the provider's authorization
URL. ``complete_login`` takes the provider's answer at the callback: it checks the
state (known to this session, unused, not expired), exchanges the code at the token
endpoint over HTTP (authlib's httpx client: PKCE, ``client_secret_basic`` or
``client_secret_post``), validates the ID token (RS256 signature against the
provider's JWKS, cached and refreshed on an unknown key id; ``iss``, ``aud``/``azp``,
``exp``, ``iat``, ``nonce``), reads userinfo (same subject) and returns the claims.
It writes nothing; ``actions.do_record_eid_login`` does. Every failure is an
``EidError`` subclass with a translated message.

The provider is found by discovery from ``settings.EID_ISSUER`` (or
``EID_DISCOVERY_URL``), so a real provider is plugged in by settings alone (ADR 0010).
"""

from __future__ import annotations

import functools
import hashlib
import secrets
import ssl
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import authlib.deprecate
import certifi
import httpx
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.urls import reverse
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

from motcua.identity.errors import (
    EidAccessDenied,
    EidCodeRejected,
    EidError,
    EidInvalidIdToken,
    EidInvalidState,
    EidProviderUnavailable,
)
from motcua.kernel import clock
from motcua.kernel.logging import get_logger

__all__ = [
    "ID_TOKEN_SESSION_KEY",
    "EidLogin",
    "ProviderMetadata",
    "begin_login",
    "complete_login",
    "end_session_url",
    "get_key_set",
    "get_metadata",
    "validate_id_token",
]

with warnings.catch_warnings():
    # authlib would rather use httpx2; the project uses httpx, which authlib still
    # supports. Its module turns its warnings "always" on, so silence this one here.
    assert authlib.deprecate.AuthlibDeprecationWarning
    warnings.filterwarnings("ignore", message="The httpx module is deprecated")
    from authlib.integrations.httpx_client import OAuth2Client, OAuthError

log = get_logger(__name__)

PENDING_SESSION_KEY = "eid_pending"
ID_TOKEN_SESSION_KEY = "eid_id_token"  # noqa: S105  (a session key name)
_MAX_PENDING = 5  # logins started in several tabs; older ones are forgotten


@dataclass(frozen=True)
class ProviderMetadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    userinfo_endpoint: str
    jwks_uri: str
    end_session_endpoint: str = ""


@dataclass(frozen=True)
class EidLogin:
    """The outcome of a successful callback: claims to record, where to go next."""

    claims: dict[str, Any]
    id_token: str
    next_url: str


def _cache_key(kind: str, url: str) -> str:
    return f"identity.eid:{kind}:{hashlib.sha256(url.encode()).hexdigest()[:32]}"


def _timeout() -> float:
    return float(settings.EID_HTTP_TIMEOUT_SECONDS)


@functools.cache
def _tls() -> ssl.SSLContext:
    # Loading the CA bundle costs tens of milliseconds: once per process, not per request.
    return ssl.create_default_context(cafile=certifi.where())


def _get_json(url: str) -> dict[str, Any]:
    try:
        response = httpx.get(
            url, timeout=_timeout(), headers={"Accept": "application/json"}, verify=_tls()
        )
        response.raise_for_status()
        data = response.json()
    except (httpx.HTTPError, ValueError) as error:
        log.warning("identity.eid.provider_unavailable", url=url, error=type(error).__name__)
        raise EidProviderUnavailable() from error
    if not isinstance(data, dict):
        raise EidProviderUnavailable()
    return data


def get_metadata() -> ProviderMetadata:
    """Return the provider's metadata (discovery), cached ``EID_METADATA_CACHE_SECONDS``.

    Raise ``EidProviderUnavailable`` when the provider cannot be reached, answers an
    error, or names another issuer than ``settings.EID_ISSUER``.
    """
    issuer = settings.EID_ISSUER.rstrip("/")
    url = settings.EID_DISCOVERY_URL or f"{issuer}/.well-known/openid-configuration"
    key = _cache_key("metadata", url)
    data = cache.get(key)
    if data is None:
        data = _get_json(url)
        if data.get("issuer") != issuer:
            log.warning("identity.eid.issuer_mismatch", expected=issuer)
            raise EidProviderUnavailable()
        cache.set(key, data, settings.EID_METADATA_CACHE_SECONDS)
    try:
        return ProviderMetadata(
            issuer=data["issuer"],
            authorization_endpoint=data["authorization_endpoint"],
            token_endpoint=data["token_endpoint"],
            userinfo_endpoint=data["userinfo_endpoint"],
            jwks_uri=data["jwks_uri"],
            end_session_endpoint=data.get("end_session_endpoint", ""),
        )
    except KeyError as error:
        cache.delete(key)
        raise EidProviderUnavailable() from error


def get_key_set(metadata: ProviderMetadata, *, refresh: bool = False) -> KeySet:
    """Return the provider's public keys (JWKS), cached; ``refresh`` fetches them again."""
    key = _cache_key("jwks", metadata.jwks_uri)
    data = None if refresh else cache.get(key)
    if data is None:
        data = _get_json(metadata.jwks_uri)
        cache.set(key, data, settings.EID_METADATA_CACHE_SECONDS)
    try:
        return KeySet.import_key_set(data)  # type: ignore[arg-type]
    except (JoseError, ValueError, TypeError, KeyError) as error:
        cache.delete(key)
        raise EidProviderUnavailable() from error


def _redirect_uri(request: HttpRequest) -> str:
    return getattr(settings, "EID_REDIRECT_URI", "") or request.build_absolute_uri(
        reverse("identity:eid_callback")
    )


def _oauth_client(**kwargs: Any) -> OAuth2Client:
    return OAuth2Client(
        client_id=settings.EID_CLIENT_ID,
        client_secret=settings.EID_CLIENT_SECRET,
        token_endpoint_auth_method=settings.EID_TOKEN_AUTH_METHOD,
        timeout=_timeout(),
        verify=_tls(),
        **kwargs,
    )


def begin_login(request: HttpRequest, *, next_url: str = "") -> str:
    """Remember a new one-time state in the session; return the authorization URL.

    Raise ``EidProviderUnavailable`` when the provider's metadata cannot be read.
    """
    metadata = get_metadata()
    state = secrets.token_urlsafe(32)
    nonce = secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)  # 86 characters, within RFC 7636's 43–128
    with _oauth_client(code_challenge_method="S256", scope=settings.EID_SCOPES) as client:
        url, _state = client.create_authorization_url(
            metadata.authorization_endpoint,
            state=state,
            code_verifier=verifier,
            nonce=nonce,
            redirect_uri=_redirect_uri(request),
        )
    pending: dict[str, dict[str, Any]] = dict(request.session.get(PENDING_SESSION_KEY, {}))
    pending[state] = {
        "nonce": nonce,
        "verifier": verifier,
        "at": clock.now().timestamp(),
        "next": next_url,
    }
    newest = sorted(pending.items(), key=lambda item: item[1]["at"])[-_MAX_PENDING:]
    request.session[PENDING_SESSION_KEY] = dict(newest)
    return str(url)


def _take_pending(request: HttpRequest, state: str) -> dict[str, Any]:
    pending: dict[str, dict[str, Any]] = dict(request.session.get(PENDING_SESSION_KEY, {}))
    entry = pending.pop(state, None) if state else None
    request.session[PENDING_SESSION_KEY] = pending  # one-time: gone whatever happens next
    if entry is None:
        raise EidInvalidState()
    age = clock.now().timestamp() - float(entry["at"])
    if not 0 <= age <= settings.EID_STATE_MAX_AGE_SECONDS:
        raise EidInvalidState()
    return entry


def validate_id_token(
    id_token: str, *, metadata: ProviderMetadata, nonce: str, now: int | None = None
) -> dict[str, Any]:
    """Return the claims of ``id_token`` once every check of OIDC Core §3.1.3.7 passed.

    Raise ``EidInvalidIdToken`` for a bad signature or algorithm, another issuer or
    audience, an expired or future token, a missing or different nonce; a key id the
    cached JWKS lacks makes one refetch (the provider may have rotated its keys).
    """
    try:
        try:
            token = jwt.decode(id_token, get_key_set(metadata), algorithms=["RS256"])
        except InvalidKeyIdError:
            token = jwt.decode(id_token, get_key_set(metadata, refresh=True), algorithms=["RS256"])
        registry = JWTClaimsRegistry(
            now=int(clock.now().timestamp()) if now is None else now,
            leeway=int(settings.EID_CLOCK_SKEW_SECONDS),
            iss={"essential": True, "value": metadata.issuer},
            sub={"essential": True},
            aud={"essential": True},
            exp={"essential": True},
            iat={"essential": True},
            nonce={"essential": True, "value": nonce},
        )
        registry.validate(token.claims)
    except (JoseError, ValueError, TypeError) as error:
        log.warning("identity.eid.id_token_rejected", reason=type(error).__name__)
        raise EidInvalidIdToken() from error
    claims = token.claims
    audience = claims["aud"]
    audiences = [audience] if isinstance(audience, str) else list(audience)
    client_id = settings.EID_CLIENT_ID
    if client_id not in audiences or (len(audiences) > 1 and claims.get("azp") != client_id):
        log.warning("identity.eid.id_token_rejected", reason="audience")
        raise EidInvalidIdToken()
    return dict(claims)


def _exchange_code(
    client: OAuth2Client, metadata: ProviderMetadata, *, code: str, verifier: str, redirect_uri: str
) -> dict[str, Any]:
    try:
        token = client.fetch_token(
            metadata.token_endpoint,
            grant_type="authorization_code",
            code=code,
            redirect_uri=redirect_uri,
            code_verifier=verifier,
        )
    except OAuthError as error:
        log.warning("identity.eid.code_rejected", error=str(getattr(error, "error", "")))
        raise EidCodeRejected() from error
    except (httpx.HTTPError, ValueError) as error:
        log.warning("identity.eid.provider_unavailable", error=type(error).__name__)
        raise EidProviderUnavailable() from error
    return dict(token)


def _read_userinfo(client: OAuth2Client, metadata: ProviderMetadata) -> dict[str, Any]:
    try:
        response = client.get(metadata.userinfo_endpoint)
        response.raise_for_status()
        data = response.json()
    except (httpx.HTTPError, OAuthError, ValueError) as error:
        log.warning("identity.eid.userinfo_failed", error=type(error).__name__)
        raise EidProviderUnavailable() from error
    if not isinstance(data, dict):
        raise EidProviderUnavailable()
    return data


def complete_login(request: HttpRequest, params: Mapping[str, str]) -> EidLogin:
    """Finish the login the provider sent back to the callback with ``params``.

    The state is used up first, whatever follows. Raise ``EidInvalidState``,
    ``EidAccessDenied`` (the user cancelled), ``EidError`` (another error from the
    provider), ``EidCodeRejected``, ``EidInvalidIdToken`` or ``EidProviderUnavailable``.
    """
    entry = _take_pending(request, params.get("state", ""))
    error = params.get("error")
    if error:
        log.info("identity.eid.provider_error", error=error[:64])
        raise EidAccessDenied() if error == "access_denied" else EidError()
    code = params.get("code", "")
    if not code:
        raise EidError()
    metadata = get_metadata()
    issuer_param = params.get("iss")
    if issuer_param is not None and issuer_param != metadata.issuer:  # RFC 9207: mix-up
        raise EidInvalidState()
    with _oauth_client() as client:
        token = _exchange_code(
            client,
            metadata,
            code=code,
            verifier=entry["verifier"],
            redirect_uri=_redirect_uri(request),
        )
        id_token = token.get("id_token")
        if not isinstance(id_token, str):
            raise EidInvalidIdToken()
        id_claims = validate_id_token(id_token, metadata=metadata, nonce=entry["nonce"])
        userinfo = _read_userinfo(client, metadata)
    if userinfo.get("sub") != id_claims["sub"]:  # OIDC Core §5.3.2
        log.warning("identity.eid.userinfo_subject_mismatch")
        raise EidInvalidIdToken()
    return EidLogin(
        claims={**userinfo, **id_claims}, id_token=id_token, next_url=str(entry.get("next", ""))
    )


def end_session_url(*, id_token: str, post_logout_redirect_uri: str) -> str:
    """Return the provider's RP-initiated logout URL, or ``""`` when it has none or is down."""
    try:
        metadata = get_metadata()
    except EidError:
        return ""
    if not metadata.end_session_endpoint:
        return ""
    query = urlencode(
        {
            "id_token_hint": id_token,
            "post_logout_redirect_uri": post_logout_redirect_uri,
            "client_id": settings.EID_CLIENT_ID,
        }
    )
    separator = "&" if "?" in metadata.end_session_endpoint else "?"
    return f"{metadata.end_session_endpoint}{separator}{query}"
