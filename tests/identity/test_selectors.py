"""``get_actor``: who the platform thinks is acting, and with which agency and roles."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from motcua.identity.models import AssuranceLevel, Citizen, CitizenKind
from motcua.identity.selectors import actor_from_request, get_actor, list_officials
from motcua.kernel import clock
from motcua.kernel.actors import Actor, ActorKind
from tests.agencies.factories import Agencies
from tests.identity.conftest import Officials, make_official

pytestmark = pytest.mark.django_db


def test_an_official_is_an_official_actor_with_agency_and_roles(
    officials: Officials, agencies: Agencies
) -> None:
    actor = get_actor(officials.handler.user)

    assert actor == Actor(
        kind=ActorKind.OFFICIAL,
        id=str(officials.handler.pk),
        display_name="Vũ Thị Hương",
        user_id=officials.handler.user.pk,
        agency_id=agencies.justice.pk,
        roles=frozenset({"handler"}),
        is_superuser=False,
    )
    assert actor.ref == f"official:{officials.handler.pk}"
    assert actor.has_role("handler")
    assert not actor.has_role("signer")


def test_a_superuser_official_keeps_agency_and_is_superuser(agencies: Agencies) -> None:
    admin = make_official(
        agencies.province_pc, "admin", "system_admin", full_name="Quản trị", is_superuser=True
    )

    actor = get_actor(admin.user)

    assert (actor.kind, actor.agency_id, actor.is_superuser, actor.roles) == (
        ActorKind.OFFICIAL,
        agencies.province_pc.pk,
        True,
        frozenset({"system_admin"}),
    )


def test_a_superuser_without_an_official_is_a_system_administrator(db: None) -> None:
    user = get_user_model().objects.create_superuser("root", password="x-long-password")

    actor = get_actor(user)

    assert (actor.kind, actor.id, actor.agency_id, actor.is_superuser) == (
        ActorKind.OFFICIAL,
        str(user.pk),
        None,
        True,
    )
    assert actor.roles == frozenset({"system_admin"})


def test_anonymous_and_plain_accounts_are_anonymous(db: None) -> None:
    plain = get_user_model().objects.create_user("citizen", password="x-long-password")

    assert get_actor(AnonymousUser()) == Actor.anonymous()
    assert get_actor(None) == Actor.anonymous()
    assert get_actor(plain) == Actor.anonymous()
    assert Actor.anonymous().has_role("handler") is False


def test_actor_from_request_is_computed_once(
    officials: Officials, django_assert_num_queries: pytest.FixtureRequest
) -> None:
    request = RequestFactory().get("/")
    request.user = officials.handler.user

    with django_assert_num_queries(1):  # the official with their roles, the citizen record
        first = actor_from_request(request)
        second = actor_from_request(request)

    assert first is second


def test_list_officials_by_agency_and_role(officials: Officials, agencies: Agencies) -> None:
    assert [o.full_name for o in list_officials(agency=agencies.commune_pc)] == ["Trần Thị Xã"]
    assert [o.full_name for o in list_officials(role="agency_admin")] == [
        "Lê Văn Quản",
        "Trần Thị Xã",
    ]


def test_a_citizen_account_is_a_citizen_actor_without_agency_or_role() -> None:
    user = get_user_model().objects.create_user("vneid-0001", password=None)
    now = clock.now()
    Citizen.objects.create(
        user=user,
        kind=CitizenKind.PERSON,
        issuer="http://127.0.0.1:8103",
        subject="0001",
        full_name="Nguyễn Thị Mai",
        personal_id="038190000123",
        assurance_level=AssuranceLevel.LEVEL_2,
        created_at=now,
        verified_at=now,
    )

    actor = get_actor(user)

    assert actor == Actor(
        kind=ActorKind.CITIZEN, id=str(user.pk), display_name="Nguyễn Thị Mai", user_id=user.pk
    )
    assert actor.ref == f"citizen:{user.pk}"
    assert not actor.has_role("desk_officer")
