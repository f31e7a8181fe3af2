"""``do_record_eid_login``: the account of a citizen or business, from validated claims."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from motcua.audit.models import AuditEvent
from motcua.identity.actions import do_record_eid_login
from motcua.identity.errors import EidAssuranceTooLow, EidInvalidClaims
from motcua.identity.models import Citizen, CitizenKind
from motcua.identity.selectors import get_actor
from motcua.kernel.actors import Actor, ActorKind
from tests.identity.factories import business_claims, make_citizen, person_claims

pytestmark = pytest.mark.django_db


def person(**overrides: Any) -> dict[str, Any]:
    return person_claims(**({"name": "  Trần   Thị Bình "} | overrides))


def business(**overrides: Any) -> dict[str, Any]:
    return business_claims(**({"enterprise_code": "2801234567-001"} | overrides))


def test_a_first_login_creates_the_account_and_its_citizen_actor() -> None:
    citizen = do_record_eid_login(person(), actor=Actor.system("tests"))

    assert citizen.full_name == "Trần Thị Bình"
    assert citizen.kind == CitizenKind.PERSON
    assert citizen.birth_date == dt.date(1992, 11, 2)
    assert citizen.address == "Số 5 phố Hàng Bông, Hà Nội"
    actor = get_actor(citizen.user)
    assert (actor.kind, actor.id, actor.display_name) == (
        ActorKind.CITIZEN,
        str(citizen.pk),
        "Trần Thị Bình",
    )
    assert actor.agency_id is None
    assert actor.roles == frozenset()
    event = AuditEvent.objects.get()
    assert event.actor_ref == "system:tests"
    assert event.aggregate_id == str(citizen.pk)


def test_a_business_keeps_its_code_and_its_representative() -> None:
    citizen = do_record_eid_login(business(), actor=Actor.anonymous())

    assert citizen.kind == CitizenKind.BUSINESS
    assert citizen.organisation_code == "2801234567-001"
    assert citizen.representative_name == "Phạm Văn Dũng"
    assert citizen.personal_id == "038078002468"
    assert AuditEvent.objects.get().actor_ref == f"citizen:{citizen.pk}"


def test_the_same_subject_at_another_provider_is_another_account() -> None:
    first = do_record_eid_login(person(), actor=Actor.anonymous())
    second = do_record_eid_login(person(iss="https://other.example"), actor=Actor.anonymous())

    assert first.pk != second.pk
    assert Citizen.objects.count() == 2


@pytest.mark.parametrize(
    ("claims", "claim"),
    [
        (person(iss=None), "iss"),
        (person(sub=""), "sub"),
        (person(name="   "), "name"),
        (person(personal_id="12345"), "personal_id"),
        (person(personal_id=None), "personal_id"),
        (person(birthdate="02/11/1992"), "birthdate"),
        (person(acr=None), "acr"),
        (person(acr="3"), "acr"),
        (person(account_type="robot"), "account_type"),
        (person(name=["Trần"]), "name"),
        (person(phone_number="0" * 21), "phone_number"),
        (business(enterprise_code="28012"), "enterprise_code"),
        (business(representative=None), "representative"),
        (business(representative={"name": "Phạm Văn Dũng"}), "representative"),
    ],
)
def test_missing_or_malformed_claims_write_nothing(claims: dict[str, Any], claim: str) -> None:
    with pytest.raises(EidInvalidClaims) as raised:
        do_record_eid_login(claims, actor=Actor.anonymous())

    assert raised.value.code == "identity.eid.invalid_claims"
    assert f"({claim})" in raised.value.message
    assert get_user_model().objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_a_level_below_the_minimum_writes_nothing(settings: Any) -> None:
    settings.EID_MIN_ASSURANCE_LEVEL = 2

    with pytest.raises(EidAssuranceTooLow) as raised:
        do_record_eid_login(person(acr="1"), actor=Actor.anonymous())

    assert raised.value.status == 403
    assert raised.value.params == {"level": 1, "required": 2}
    assert get_user_model().objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_an_acr_mapping_for_a_real_provider_is_a_setting(settings: Any) -> None:
    settings.EID_ACR_LEVELS = {"urn:example:loa:high": 2}

    citizen = do_record_eid_login(person(acr="urn:example:loa:high"), actor=Actor.anonymous())

    assert citizen.assurance_level == 2


def test_the_factory_makes_a_citizen_through_the_action() -> None:
    citizen = make_citizen(sub="sub-9", personal_id="038085001234")

    assert (citizen.subject, citizen.personal_id) == ("sub-9", "038085001234")
    assert AuditEvent.objects.get().action == "identity.citizen.logged_in"
