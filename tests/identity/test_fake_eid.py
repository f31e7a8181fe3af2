"""The local national e-ID provider speaks OpenID Connect as a real provider would.

Driven over HTTP with httpx, as motcua and a browser would; the relying party's side
is tested in ``test_eid_flow``.
"""

from __future__ import annotations

import base64
import json
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import KeySet

from motcua.identity.fake_eid import (
    DEMO_IDENTITIES,
    DEMO_PASSWORD,
    FakeEidProvider,
    load_or_create_key,
    make_app,
    s256,
)
from motcua.integration.fakes import fake_spec
from tests.identity.eid import BUSINESS, CLIENT_ID, CLIENT_SECRET, LEVEL2, FakeEid

REDIRECT = "http://testserver/tai-khoan/vneid/callback/"


def authorize_params(**overrides: str) -> dict[str, str]:
    verifier = overrides.pop("verifier", "v" * 50)
    params = {
        "client_id": CLIENT_ID,
        "redirect_uri": REDIRECT,
        "response_type": "code",
        "scope": "openid profile email phone address vneid",
        "state": "st-1",
        "nonce": "n-1",
        "code_challenge": s256(verifier),
        "code_challenge_method": "S256",
    }
    return params | overrides


def get_code(fake: FakeEid, login: str = LEVEL2.login, **overrides: str) -> str:
    params = authorize_params(**overrides)
    response = httpx.post(
        f"{fake.url}/authorize",
        data=params | {"login": login, "password": DEMO_PASSWORD},
        timeout=5,
    )
    assert response.status_code == 302
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    assert query["state"] == ["st-1"]
    assert query["iss"] == [fake.url]
    return query["code"][0]


def exchange(fake: FakeEid, code: str, *, verifier: str = "v" * 50, **extra: str) -> httpx.Response:
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": REDIRECT,
        "code_verifier": verifier,
    } | extra
    auth = None if "client_secret" in form else (CLIENT_ID, CLIENT_SECRET)
    return httpx.post(f"{fake.url}/token", data=form, auth=auth, timeout=5)


def test_discovery_and_keys_describe_the_provider(fake_eid: FakeEid) -> None:
    config = httpx.get(f"{fake_eid.url}/.well-known/openid-configuration", timeout=5).json()

    assert config["issuer"] == fake_eid.url
    assert config["token_endpoint"] == f"{fake_eid.url}/token"
    assert config["end_session_endpoint"] == f"{fake_eid.url}/logout"
    assert config["code_challenge_methods_supported"] == ["S256"]
    assert config["grant_types_supported"] == ["authorization_code"]
    assert config["id_token_signing_alg_values_supported"] == ["RS256"]
    keys = httpx.get(config["jwks_uri"], timeout=5).json()["keys"]
    assert [(key["kty"], key["alg"], key["use"]) for key in keys] == [("RSA", "RS256", "sig")]
    assert "d" not in keys[0]


def test_the_sign_in_page_lists_the_demo_accounts(fake_eid: FakeEid) -> None:
    response = httpx.get(f"{fake_eid.url}/authorize", params=authorize_params(), timeout=5)

    assert response.status_code == 200
    html = response.text
    assert '<html lang="vi">' in html
    assert "<h1>Đăng nhập tài khoản định danh điện tử</h1>" in html
    assert '<label for="login">Số định danh cá nhân hoặc mã số doanh nghiệp</label>' in html
    assert f"<code>{DEMO_PASSWORD}</code>" in html
    for identity in DEMO_IDENTITIES:
        assert identity.name in html


def test_a_wrong_password_shows_the_page_again_with_an_error(fake_eid: FakeEid) -> None:
    response = httpx.post(
        f"{fake_eid.url}/authorize",
        data=authorize_params() | {"login": LEVEL2.login, "password": "wrong"},
        timeout=5,
    )

    assert response.status_code == 400
    assert 'role="alert"' in response.text
    assert 'aria-invalid="true"' in response.text


def test_picking_a_demo_account_signs_in_without_a_password(fake_eid: FakeEid) -> None:
    response = httpx.post(
        f"{fake_eid.url}/authorize", data=authorize_params() | {"pick": BUSINESS.login}, timeout=5
    )

    assert response.status_code == 302
    assert response.headers["Location"].startswith(REDIRECT + "?code=")


def test_an_unregistered_redirect_uri_is_never_redirected_to(fake_eid: FakeEid) -> None:
    params = authorize_params(redirect_uri="https://evil.example/callback")

    response = httpx.get(f"{fake_eid.url}/authorize", params=params, timeout=5)

    assert response.status_code == 400
    assert "Location" not in response.headers
    assert "Yêu cầu đăng nhập không hợp lệ" in response.text


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"code_challenge_method": "plain"}, "invalid_request"),
        ({"code_challenge": ""}, "invalid_request"),
        ({"scope": "profile"}, "invalid_scope"),
        ({"response_type": "token"}, "unsupported_response_type"),
    ],
)
def test_an_authorization_request_without_pkce_or_openid_is_refused(
    fake_eid: FakeEid, overrides: dict[str, str], error: str
) -> None:
    response = httpx.get(
        f"{fake_eid.url}/authorize", params=authorize_params(**overrides), timeout=5
    )

    assert response.status_code == 302
    query = parse_qs(urlsplit(response.headers["Location"]).query)
    assert query["error"] == [error]
    assert query["state"] == ["st-1"]


def test_a_code_gives_a_signed_id_token_and_userinfo(fake_eid: FakeEid) -> None:
    code = get_code(fake_eid)

    response = exchange(fake_eid, code)

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "Bearer"
    keys = KeySet.import_key_set(httpx.get(f"{fake_eid.url}/jwks", timeout=5).json())
    token = jwt.decode(body["id_token"], keys, algorithms=["RS256"])
    claims = token.claims
    assert token.header["alg"] == "RS256"
    assert (claims["iss"], claims["aud"], claims["sub"]) == (fake_eid.url, CLIENT_ID, LEVEL2.sub)
    assert (claims["nonce"], claims["acr"]) == ("n-1", "2")
    assert claims["exp"] - claims["iat"] == 300
    assert abs(claims["iat"] - time.time()) < 60
    assert claims["auth_time"] <= claims["iat"]
    assert claims["name"] == "Nguyễn Văn An"
    assert claims["personal_id"] == "038085001234"
    assert claims["birthdate"] == "1985-03-14"
    assert claims["address"] == {"formatted": LEVEL2.address}
    info = httpx.get(
        f"{fake_eid.url}/userinfo",
        headers={"Authorization": f"Bearer {body['access_token']}"},
        timeout=5,
    ).json()
    assert info["sub"] == LEVEL2.sub
    assert info["phone_number"] == "0912345678"


def test_a_business_token_carries_its_code_and_representative(fake_eid: FakeEid) -> None:
    body = exchange(fake_eid, get_code(fake_eid, BUSINESS.login)).json()

    claims = jwt.decode(body["id_token"], fake_eid.provider.key, algorithms=["RS256"]).claims
    assert claims["account_type"] == "business"
    assert claims["enterprise_code"] == "2801234567"
    assert claims["representative"] == {"name": "Phạm Văn Dũng", "personal_id": "038078002468"}
    assert "personal_id" not in claims


def test_only_the_claims_of_the_granted_scopes_are_given(fake_eid: FakeEid) -> None:
    body = exchange(fake_eid, get_code(fake_eid, scope="openid profile")).json()

    claims = jwt.decode(body["id_token"], fake_eid.provider.key, algorithms=["RS256"]).claims
    assert {"name", "birthdate"} <= set(claims)
    assert not {"personal_id", "email", "phone_number", "address"} & set(claims)


def test_client_secret_post_is_accepted(fake_eid: FakeEid) -> None:
    response = exchange(
        fake_eid, get_code(fake_eid), client_id=CLIENT_ID, client_secret=CLIENT_SECRET
    )

    assert response.status_code == 200


@pytest.mark.parametrize(
    "auth",
    [
        {"client_id": CLIENT_ID, "client_secret": "wrong"},
        {"client_id": "someone-else", "client_secret": CLIENT_SECRET},
        {},
    ],
)
def test_a_client_that_cannot_authenticate_is_refused(
    fake_eid: FakeEid, auth: dict[str, str]
) -> None:
    form = {"grant_type": "authorization_code", "code": get_code(fake_eid)} | auth
    response = httpx.post(f"{fake_eid.url}/token", data=form, timeout=5)

    assert response.status_code == 401
    assert response.json() == {"error": "invalid_client"}


def test_a_replayed_code_is_refused_and_its_token_revoked(fake_eid: FakeEid) -> None:
    code = get_code(fake_eid)
    first = exchange(fake_eid, code).json()

    replay = exchange(fake_eid, code)

    assert replay.status_code == 400
    assert replay.json()["error"] == "invalid_grant"
    userinfo = httpx.get(
        f"{fake_eid.url}/userinfo",
        headers={"Authorization": f"Bearer {first['access_token']}"},
        timeout=5,
    )
    assert userinfo.status_code == 401
    assert userinfo.headers["WWW-Authenticate"] == 'Bearer error="invalid_token"'


@pytest.mark.parametrize(
    ("change", "description"),
    [
        ({"verifier": "w" * 50}, "PKCE verification failed"),
        ({"redirect_uri": "http://testserver/other/"}, "redirect_uri does not match"),
    ],
)
def test_a_code_with_the_wrong_verifier_or_redirect_uri_is_refused(
    fake_eid: FakeEid, change: dict[str, str], description: str
) -> None:
    response = exchange(fake_eid, get_code(fake_eid), **change)

    assert response.status_code == 400
    assert response.json() == {"error": "invalid_grant", "error_description": description}


def test_an_expired_code_is_refused(fake_eid: FakeEid, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(FakeEidProvider, "code_lifetime", -1.0)

    response = exchange(fake_eid, get_code(fake_eid))

    assert response.json() == {"error": "invalid_grant", "error_description": "expired code"}


def test_only_the_authorization_code_grant_is_supported(fake_eid: FakeEid) -> None:
    response = httpx.post(
        f"{fake_eid.url}/token",
        data={"grant_type": "client_credentials"},
        auth=(CLIENT_ID, CLIENT_SECRET),
        timeout=5,
    )

    assert response.json() == {"error": "unsupported_grant_type"}
    assert httpx.get(f"{fake_eid.url}/token", timeout=5).status_code == 405


def test_basic_auth_credentials_are_form_decoded(fake_eid: FakeEid) -> None:
    # RFC 6749 §2.3.1: id and secret are form-urlencoded before Basic encoding.
    fake_eid.provider.clients[CLIENT_ID].client_secret = "a:b c"
    header = base64.b64encode(f"{CLIENT_ID}:{urlencode({'s': 'a:b c'})[2:]}".encode()).decode()
    form = {
        "grant_type": "authorization_code",
        "code": get_code(fake_eid),
        "redirect_uri": REDIRECT,
        "code_verifier": "v" * 50,
    }

    response = httpx.post(
        f"{fake_eid.url}/token", data=form, headers={"Authorization": f"Basic {header}"}, timeout=5
    )

    assert response.status_code == 200


def test_logout_returns_only_to_a_registered_address(fake_eid: FakeEid) -> None:
    registered = httpx.get(
        f"{fake_eid.url}/logout",
        params={
            "client_id": CLIENT_ID,
            "post_logout_redirect_uri": "http://testserver/",
            "state": "s",
        },
        timeout=5,
    )
    unregistered = httpx.get(
        f"{fake_eid.url}/logout",
        params={"client_id": CLIENT_ID, "post_logout_redirect_uri": "https://evil.example/"},
        timeout=5,
    )

    assert registered.status_code == 302
    assert registered.headers["Location"] == "http://testserver/?state=s"
    assert unregistered.status_code == 200
    assert "Bạn đã đăng xuất" in unregistered.text


def test_a_signed_in_browser_is_offered_to_continue_until_it_logs_out(fake_eid: FakeEid) -> None:
    with httpx.Client(base_url=fake_eid.url, timeout=5) as browser:
        browser.post("/authorize", data=authorize_params() | {"pick": LEVEL2.login})
        again = browser.get("/authorize", params=authorize_params())
        assert "Tiếp tục với tài khoản này" in again.text
        assert "Nguyễn Văn An" in again.text.split("<h2>")[0]
        browser.get("/logout")
        after = browser.get("/authorize", params=authorize_params())
    assert "Tiếp tục với tài khoản này" not in after.text


def test_the_signing_key_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "fake-eid" / "key.json"

    first = load_or_create_key(path)
    second = load_or_create_key(path)

    assert first.kid == second.kid
    assert json.loads(path.read_text())["d"]
    assert path.stat().st_mode & 0o777 == 0o600


def test_the_demo_provider_is_registered_and_built_from_settings(
    settings: Any, tmp_path: Path
) -> None:
    settings.EID_FAKE_KEY_FILE = str(tmp_path / "key.json")
    settings.EID_FAKE_RP_ORIGINS = ["http://127.0.0.1:8000"]

    spec = fake_spec("eid")
    app = make_app()

    assert spec.port == 8103
    client = app.clients[settings.EID_CLIENT_ID]
    assert client.client_secret == settings.EID_CLIENT_SECRET
    assert client.redirect_uris == ["http://127.0.0.1:8000/tai-khoan/vneid/callback/"]
    assert client.post_logout_redirect_uris == ["http://127.0.0.1:8000/"]
    assert (tmp_path / "key.json").exists()


def test_demo_identities_have_valid_numbers() -> None:
    from motcua.dossiers.personal_ids import classify_id_number, parse_personal_id

    levels = sorted(identity.level for identity in DEMO_IDENTITIES if not identity.is_business)
    assert levels == [1, 2, 2]
    for identity in DEMO_IDENTITIES:
        if identity.is_business:
            classify_id_number(identity.enterprise_code, is_organisation=True)
            parse_personal_id(identity.representative_id)
        else:
            parsed = parse_personal_id(identity.personal_id, birth_year=int(identity.birthdate[:4]))
            assert parsed.province_prefix in {"038", "001"}
    assert len({identity.sub for identity in DEMO_IDENTITIES}) == 4
    assert DEMO_PASSWORD == "vneid-demo"
