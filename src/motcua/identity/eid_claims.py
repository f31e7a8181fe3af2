"""The identity that an e-ID login proves, read from the provider's claims.

The claims are those of a validated ID token merged with the userinfo answer
(``identity.eid``). The names are the local provider's (ADR 0010): the standard OIDC
``name``, ``birthdate``, ``phone_number``, ``email``, ``address.formatted`` and ``acr``,
plus ``account_type``, ``personal_id``, ``enterprise_code`` and ``representative``
(``name``, ``personal_id``). A real provider with other names changes this module only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from motcua.identity.errors import EidInvalidClaims
from motcua.identity.models import CitizenKind

__all__ = ["EidIdentity", "assurance_level_of", "parse_eid_claims"]

_PERSONAL_ID = re.compile(r"^\d{12}$")
_ENTERPRISE_CODE = re.compile(r"^\d{10}(-\d{3})?$")


@dataclass(frozen=True)
class EidIdentity:
    """What motcua keeps of an e-ID account (``identity.models.Citizen``'s fields)."""

    issuer: str
    subject: str
    kind: CitizenKind
    full_name: str
    assurance_level: int
    birth_date: dt.date | None = None
    personal_id: str = ""
    organisation_code: str = ""
    representative_name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


def _text(claims: Mapping[str, Any], name: str, max_length: int) -> str:
    value = claims.get(name)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise EidInvalidClaims(params={"claim": name})
    value = " ".join(value.split())
    if len(value) > max_length:
        raise EidInvalidClaims(params={"claim": name})
    return value


def assurance_level_of(claims: Mapping[str, Any]) -> int:
    """Return the assurance level the ``acr`` claim stands for (``EID_ACR_LEVELS``).

    Raise ``EidInvalidClaims`` when ``acr`` is missing or unknown.
    """
    acr = claims.get("acr")
    levels: dict[str, int] = settings.EID_ACR_LEVELS
    if not isinstance(acr, str) or acr not in levels:
        raise EidInvalidClaims(params={"claim": "acr"})
    return levels[acr]


def parse_eid_claims(claims: Mapping[str, Any]) -> EidIdentity:
    """Return the identity in ``claims``; raise ``EidInvalidClaims`` naming a bad claim.

    A person needs a name and a 12-digit personal ID; a business needs its name, a
    10-digit enterprise code (``-xxx`` for a branch) and its representative.
    """
    issuer, subject = _text(claims, "iss", 255), _text(claims, "sub", 255)
    for name, value in (("iss", issuer), ("sub", subject)):
        if not value:
            raise EidInvalidClaims(params={"claim": name})
    kind_claim = claims.get("account_type", CitizenKind.PERSON.value)
    if kind_claim not in CitizenKind.values:
        raise EidInvalidClaims(params={"claim": "account_type"})
    kind = CitizenKind(kind_claim)
    full_name = _text(claims, "name", 255)
    if not full_name:
        raise EidInvalidClaims(params={"claim": "name"})
    address_claim = claims.get("address")
    address = (
        _text(address_claim, "formatted", 500)
        if isinstance(address_claim, Mapping)
        else _text(claims, "address", 500)
    )
    common = {
        "issuer": issuer,
        "subject": subject,
        "kind": kind,
        "full_name": full_name,
        "assurance_level": assurance_level_of(claims),
        "phone": _text(claims, "phone_number", 20),
        "email": _text(claims, "email", 254),
        "address": address,
    }
    if kind is CitizenKind.BUSINESS:
        code = _text(claims, "enterprise_code", 20)
        if not _ENTERPRISE_CODE.match(code):
            raise EidInvalidClaims(params={"claim": "enterprise_code"})
        representative = claims.get("representative")
        if not isinstance(representative, Mapping):
            raise EidInvalidClaims(params={"claim": "representative"})
        rep_name = _text(representative, "name", 255)
        rep_id = _text(representative, "personal_id", 12)
        if not rep_name or not _PERSONAL_ID.match(rep_id):
            raise EidInvalidClaims(params={"claim": "representative"})
        return EidIdentity(
            **common,  # type: ignore[arg-type]
            organisation_code=code,
            personal_id=rep_id,
            representative_name=rep_name,
        )
    personal_id = _text(claims, "personal_id", 12)
    if not _PERSONAL_ID.match(personal_id):
        raise EidInvalidClaims(params={"claim": "personal_id"})
    birthdate = _text(claims, "birthdate", 10)
    try:
        birth_date = dt.date.fromisoformat(birthdate) if birthdate else None
    except ValueError:
        raise EidInvalidClaims(params={"claim": "birthdate"}) from None
    return EidIdentity(
        **common,  # type: ignore[arg-type]
        personal_id=personal_id,
        birth_date=birth_date,
    )
