"""Citizens and businesses for tests, made through the e-ID write path.

``make_citizen()`` records an e-ID login (``do_record_eid_login``) with the claims of
``person_claims()`` or ``business_claims()``; override any claim by keyword
(``make_citizen(sub="other", personal_id="001192004567")``).
"""

from __future__ import annotations

from typing import Any

from motcua.identity.actions import do_record_eid_login
from motcua.identity.models import Citizen
from motcua.kernel.actors import Actor

__all__ = ["ISSUER", "business_claims", "make_business", "make_citizen", "person_claims"]

ISSUER = "https://eid.example"


def person_claims(**overrides: Any) -> dict[str, Any]:
    """Return the validated claims of a level-2 person; ``None`` removes a claim."""
    claims = {
        "iss": ISSUER,
        "sub": "sub-1",
        "acr": "2",
        "account_type": "person",
        "name": "Trần Thị Bình",
        "birthdate": "1992-11-02",
        "personal_id": "001192004567",
        "phone_number": "0987654321",
        "email": "binh.tran@example.vn",
        "address": {"formatted": "Số 5 phố Hàng Bông, Hà Nội"},
    }
    claims.update(overrides)
    return {name: value for name, value in claims.items() if value is not None}


def business_claims(**overrides: Any) -> dict[str, Any]:
    """Return the validated claims of a level-2 business and its representative."""
    claims = person_claims(
        sub="sub-business-1",
        account_type="business",
        name="Công ty Cổ phần Sông Mã",
        personal_id=None,
        birthdate=None,
        enterprise_code="2801234567",
        representative={"name": "Phạm Văn Dũng", "personal_id": "038078002468"},
    )
    claims.update(overrides)
    return {name: value for name, value in claims.items() if value is not None}


def make_citizen(**overrides: Any) -> Citizen:
    return do_record_eid_login(person_claims(**overrides), actor=Actor.system("tests"))


def make_business(**overrides: Any) -> Citizen:
    return do_record_eid_login(business_claims(**overrides), actor=Actor.system("tests"))
