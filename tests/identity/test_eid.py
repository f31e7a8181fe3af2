"""The ID-token validator, fed tokens signed here (``identity.eid.validate_id_token``)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import pytest
from joserfc import jwt

from motcua.identity.eid import get_key_set, get_metadata, validate_id_token
from motcua.identity.errors import EidInvalidIdToken, EidProviderUnavailable
from motcua.identity.fake_eid import generate_key
from tests.identity.eid import CLIENT_ID, FakeEid, running_fake_eid

pytestmark = pytest.mark.django_db

NONCE = "nonce-123"


def claims(fake: FakeEid, **overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    values = {
        "iss": fake.url,
        "sub": "subject-1",
        "aud": CLIENT_ID,
        "exp": now + 300,
        "iat": now,
        "nonce": NONCE,
        "acr": "2",
    }
    values.update(overrides)
    return {name: value for name, value in values.items() if value is not None}


def sign(fake: FakeEid, payload: dict[str, Any], *, key: Any = None, alg: str = "RS256") -> str:
    signing_key = key or fake.provider.key
    return jwt.encode({"alg": alg, "kid": fake.provider.key.kid}, payload, signing_key)


def validate(fake: FakeEid, token: str) -> dict[str, Any]:
    return validate_id_token(token, metadata=get_metadata(), nonce=NONCE)


def test_a_good_token_gives_its_claims(fake_eid: FakeEid) -> None:
    assert validate(fake_eid, sign(fake_eid, claims(fake_eid)))["sub"] == "subject-1"


def test_an_audience_list_needs_the_authorised_party(fake_eid: FakeEid) -> None:
    both = [CLIENT_ID, "other"]

    assert validate(fake_eid, sign(fake_eid, claims(fake_eid, aud=both, azp=CLIENT_ID)))
    with pytest.raises(EidInvalidIdToken):
        validate(fake_eid, sign(fake_eid, claims(fake_eid, aud=both)))


@pytest.mark.parametrize(
    "overrides",
    [
        {"aud": "another-client"},
        {"aud": ["another-client"]},
        {"iss": "http://issuer.invalid"},
        {"exp": int(time.time()) - 120},
        {"iat": int(time.time()) + 3600},
        {"nonce": "another"},
        {"nonce": None},
        {"exp": None},
        {"iat": None},
        {"sub": None},
    ],
    ids=[
        "other-audience",
        "other-audience-list",
        "other-issuer",
        "expired",
        "issued-in-the-future",
        "other-nonce",
        "no-nonce",
        "no-exp",
        "no-iat",
        "no-sub",
    ],
)
def test_a_token_failing_a_claim_check_is_refused(
    fake_eid: FakeEid, overrides: dict[str, Any]
) -> None:
    with pytest.raises(EidInvalidIdToken):
        validate(fake_eid, sign(fake_eid, claims(fake_eid, **overrides)))


def test_a_token_signed_by_another_key_is_refused(fake_eid: FakeEid) -> None:
    with pytest.raises(EidInvalidIdToken):
        validate(fake_eid, sign(fake_eid, claims(fake_eid), key=generate_key()))


def test_a_symmetric_token_made_with_the_public_key_is_refused(fake_eid: FakeEid) -> None:
    # The algorithm-confusion attack: HS256 keyed with the provider's public key.
    public = fake_eid.provider.key.as_pem(private=False)
    header = _b64({"alg": "HS256", "kid": fake_eid.provider.key.kid, "typ": "JWT"})
    body = _b64(claims(fake_eid))
    mac = hmac.new(public, f"{header}.{body}".encode(), hashlib.sha256).digest()
    token = f"{header}.{body}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"

    with pytest.raises(EidInvalidIdToken):
        validate(fake_eid, token)


def _b64(data: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()


@pytest.mark.parametrize("token", ["", "not-a-jwt", "a.b.c"])
def test_garbage_is_refused(fake_eid: FakeEid, token: str) -> None:
    with pytest.raises(EidInvalidIdToken):
        validate(fake_eid, token)


def test_a_rotated_key_is_fetched_once_more(fake_eid: FakeEid) -> None:
    # Given the provider's keys in the cache
    metadata = get_metadata()
    get_key_set(metadata)
    # When the provider rotates its key
    fake_eid.provider.key = generate_key()

    # Then a token under the new key id is accepted after one refetch
    assert validate(fake_eid, sign(fake_eid, claims(fake_eid)))["sub"] == "subject-1"


def test_discovery_naming_another_issuer_is_refused(fake_eid: FakeEid, settings: Any) -> None:
    settings.EID_DISCOVERY_URL = f"{fake_eid.url}/.well-known/openid-configuration"
    settings.EID_ISSUER = "http://127.0.0.1:1"

    with pytest.raises(EidProviderUnavailable):
        get_metadata()


def test_metadata_and_keys_are_cached(settings: Any) -> None:
    with running_fake_eid(settings) as fake:
        metadata = get_metadata()
        keys = get_key_set(metadata)
        fake.server.stop()

        assert get_metadata() == metadata
        assert get_key_set(metadata).as_dict() == keys.as_dict()
        with pytest.raises(EidProviderUnavailable):
            get_key_set(metadata, refresh=True)
