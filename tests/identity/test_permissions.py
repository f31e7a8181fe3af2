"""``check_roles`` and ``check_agency_scope``: the checks later actions and selectors call."""

from __future__ import annotations

import pytest

from motcua.identity.errors import MissingRole, OutsideAgencyScope
from motcua.identity.permissions import check_agency_scope, check_roles, is_in_agency_scope
from motcua.kernel.actors import Actor, ActorKind
from tests.agencies.factories import Agencies

pytestmark = pytest.mark.django_db


def official(agency_id: int, *roles: str) -> Actor:
    return Actor(kind=ActorKind.OFFICIAL, id="5", agency_id=agency_id, roles=frozenset(roles))


def test_check_roles_passes_with_any_of_the_roles_and_names_them_otherwise() -> None:
    check_roles(official(1, "reviewer"), "reviewer", "signer")
    check_roles(Actor.system(), "signer")

    with pytest.raises(MissingRole) as caught:
        check_roles(official(1, "desk_officer"), "reviewer", "signer")

    assert (caught.value.code, caught.value.status) == ("identity.missing_role", 403)
    assert caught.value.message == (
        "Thao tác này cần một trong các vai trò: Lãnh đạo phòng (xem xét), Lãnh đạo cơ quan (ký duyệt)."
    )
    with pytest.raises(MissingRole):
        check_roles(Actor.anonymous(), "handler")


def test_agency_scope_is_the_own_agency_unless_descendants_are_included(agencies: Agencies) -> None:
    leader = official(agencies.province_pc.pk, "signer")

    check_agency_scope(leader, agencies.province_pc.pk)
    check_agency_scope(leader, agencies.commune_pasc.pk, include_descendants=True)
    with pytest.raises(OutsideAgencyScope) as caught:
        check_agency_scope(leader, agencies.commune_pasc.pk)
    with pytest.raises(OutsideAgencyScope):
        check_agency_scope(
            official(agencies.commune_pc.pk, "signer"),
            agencies.province_pc.pk,
            include_descendants=True,
        )

    assert (caught.value.code, caught.value.message) == (
        "identity.outside_agency",
        "Bạn chỉ được xem và xử lý dữ liệu của cơ quan mình.",
    )


def test_system_administrators_and_the_system_are_in_every_scope_and_anonymous_in_none(
    agencies: Agencies,
) -> None:
    assert is_in_agency_scope(official(agencies.justice.pk, "system_admin"), agencies.hanoi_pc.pk)
    assert is_in_agency_scope(Actor.system(), agencies.hanoi_pc.pk)
    assert not is_in_agency_scope(Actor.anonymous(), agencies.hanoi_pc.pk, include_descendants=True)
