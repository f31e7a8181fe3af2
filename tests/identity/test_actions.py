"""Managing officials: who may, what is validated, what is written."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from motcua.audit.models import AuditEvent
from motcua.identity.actions import (
    do_create_official,
    do_deactivate_official,
    do_grant_role,
    do_revoke_role,
)
from motcua.identity.errors import (
    DuplicateUsername,
    InvalidOfficial,
    OfficialAlreadyInactive,
    OfficialPermissionDenied,
    RoleAlreadyGranted,
    RoleNotGranted,
    UnknownRole,
)
from motcua.identity.models import Official, RoleAssignment
from motcua.identity.selectors import get_actor
from motcua.kernel.actors import Actor
from tests.agencies.factories import Agencies
from tests.identity.conftest import PASSWORD, Officials

pytestmark = pytest.mark.django_db

User = get_user_model()


def counts() -> tuple[int, int, int, int]:
    return (
        User.objects.count(),
        Official.objects.count(),
        RoleAssignment.objects.count(),
        AuditEvent.objects.count(),
    )


def test_a_system_administrator_creates_an_official_with_roles(agencies: Agencies) -> None:
    official = do_create_official(
        actor=Actor.system("tests"),
        username="thuly.tuphap",
        password=PASSWORD,
        full_name="  Vũ  Thị Hương ",
        agency=agencies.justice,
        roles=["reviewer", "handler", "handler"],
        title="Chuyên viên",
    )

    official.refresh_from_db()
    assert (official.full_name, official.title, official.agency, official.is_active) == (
        "Vũ Thị Hương",
        "Chuyên viên",
        agencies.justice,
        True,
    )
    assert official.user.username == "thuly.tuphap"
    assert official.user.check_password(PASSWORD)
    assert (official.user.is_staff, official.user.is_superuser) == (False, False)
    assert sorted(official.role_assignments.values_list("role", "granted_by")) == [
        ("handler", "system:tests"),
        ("reviewer", "system:tests"),
    ]
    event = AuditEvent.objects.get(
        aggregate_type="identity.official", aggregate_id=str(official.pk)
    )
    assert (event.action, event.data) == (
        "identity.official.created",
        {"agency": "000.00.12.H56", "roles": ["handler", "reviewer"], "is_superuser": False},
    )
    assert "thuly" not in str(event.data)


def test_the_agency_admin_of_the_agency_or_above_may_create_officials(
    agencies: Agencies, officials: Officials
) -> None:
    own = do_create_official(
        actor=get_actor(officials.commune_admin.user), username="canbo.xa", password=PASSWORD,
        full_name="Đặng Thị Mai", agency=agencies.commune_pc, roles=["handler"],
    )  # fmt: skip
    below = do_create_official(
        actor=get_actor(officials.province_admin.user), username="canbo.ttpvhcc", password=PASSWORD,
        full_name="Lý Thị Ngọc", agency=agencies.commune_pasc, roles=["desk_officer"],
    )  # fmt: skip

    assert (own.agency, below.agency) == (agencies.commune_pc, agencies.commune_pasc)


@pytest.mark.parametrize("who", ["handler", "commune_admin"])
def test_others_are_denied_and_nothing_is_written(
    agencies: Agencies, officials: Officials, who: str
) -> None:
    actor = get_actor(getattr(officials, who).user)
    before = counts()

    with pytest.raises(OfficialPermissionDenied) as caught:
        do_create_official(
            actor=actor, username="moi", password=PASSWORD, full_name="Người Mới",
            agency=agencies.construction, roles=["handler"],
        )  # fmt: skip

    assert (caught.value.code, caught.value.status) == ("identity.permission_denied", 403)
    assert counts() == before


def test_only_a_system_administrator_grants_system_administration(
    agencies: Agencies, officials: Officials
) -> None:
    admin = get_actor(officials.province_admin.user)
    before = counts()

    with pytest.raises(OfficialPermissionDenied) as creating:
        do_create_official(
            actor=admin, username="sa", password=PASSWORD, full_name="Người Mới",
            agency=agencies.justice, roles=["system_admin"],
        )  # fmt: skip
    with pytest.raises(OfficialPermissionDenied):
        do_create_official(
            actor=admin, username="su", password=PASSWORD, full_name="Người Mới",
            agency=agencies.justice, roles=[], is_superuser=True,
        )  # fmt: skip
    with pytest.raises(OfficialPermissionDenied):
        do_grant_role(officials.handler, actor=admin, role="system_admin")

    assert (
        creating.value.message == "Chỉ quản trị hệ thống mới được giao vai trò quản trị hệ thống."
    )
    assert counts() == before


def test_invalid_fields_are_reported_together_and_nothing_is_written(agencies: Agencies) -> None:
    before = counts()

    with pytest.raises(InvalidOfficial) as caught:
        do_create_official(
            actor=Actor.system("tests"), username="bad name!", password="123", full_name=" ",
            agency=agencies.justice, roles=["handler"],
        )  # fmt: skip

    assert caught.value.code == "identity.invalid_official"
    assert sorted(caught.value.field_errors) == ["full_name", "password", "username"]
    assert counts() == before


def test_an_unknown_role_is_refused(agencies: Agencies) -> None:
    with pytest.raises(UnknownRole) as caught:
        do_create_official(
            actor=Actor.system("tests"), username="x", password=PASSWORD, full_name="Người Mới",
            agency=agencies.justice, roles=["mayor"],
        )  # fmt: skip

    assert (caught.value.code, caught.value.message) == (
        "identity.unknown_role",
        "Vai trò mayor không tồn tại.",
    )


def test_usernames_are_unique_without_regard_to_case(
    officials: Officials, agencies: Agencies
) -> None:
    before = counts()

    with pytest.raises(DuplicateUsername) as caught:
        do_create_official(
            actor=Actor.system("tests"), username="THULY", password=PASSWORD, full_name="Người Mới",
            agency=agencies.justice, roles=["handler"],
        )  # fmt: skip

    assert caught.value.message == "Tên đăng nhập THULY đã được dùng."
    assert counts() == before


def test_grant_and_revoke_a_role(officials: Officials) -> None:
    admin = get_actor(officials.province_admin.user)

    do_grant_role(officials.handler, actor=admin, role="reviewer")
    with pytest.raises(RoleAlreadyGranted):
        do_grant_role(officials.handler, actor=admin, role="reviewer")
    assert get_actor(officials.handler.user).roles == frozenset({"handler", "reviewer"})

    do_revoke_role(officials.handler, actor=admin, role="handler")
    with pytest.raises(RoleNotGranted) as caught:
        do_revoke_role(officials.handler, actor=admin, role="handler")

    assert caught.value.message == "Cán bộ này không có vai trò “Chuyên viên thụ lý”."
    assert get_actor(officials.handler.user).roles == frozenset({"reviewer"})
    assert list(
        AuditEvent.objects.filter(
            aggregate_type="identity.official", aggregate_id=str(officials.handler.pk)
        )
        .order_by("seq")
        .values_list("action", "data", "actor_ref")
    ) == [
        (
            "identity.official.created",
            {"agency": "000.00.12.H56", "roles": ["handler"], "is_superuser": False},
            "system:tests",
        ),
        (
            "identity.official.role_granted",
            {"role": "reviewer"},
            f"official:{officials.province_admin.pk}",
        ),
        (
            "identity.official.role_revoked",
            {"role": "handler"},
            f"official:{officials.province_admin.pk}",
        ),
    ]


def test_a_commune_admin_cannot_grant_roles_at_the_province(officials: Officials) -> None:
    before = counts()

    with pytest.raises(OfficialPermissionDenied):
        do_grant_role(
            officials.handler, actor=get_actor(officials.commune_admin.user), role="signer"
        )

    assert counts() == before


def test_a_deactivated_official_can_no_longer_act(officials: Officials) -> None:
    do_deactivate_official(
        officials.desk_officer, actor=get_actor(officials.commune_admin.user), reason="Nghỉ hưu"
    )

    officials.desk_officer.refresh_from_db()
    officials.desk_officer.user.refresh_from_db()
    assert (officials.desk_officer.is_active, officials.desk_officer.user.is_active) == (
        False,
        False,
    )
    assert get_actor(officials.desk_officer.user) == Actor.anonymous()
    assert AuditEvent.objects.filter(action="identity.official.deactivated").get().data == {
        "reason": "Nghỉ hưu"
    }
    with pytest.raises(OfficialAlreadyInactive):
        do_deactivate_official(officials.desk_officer, actor=Actor.system("tests"))


def test_officials_cannot_be_created_in_an_inactive_agency(agencies: Agencies) -> None:
    from motcua.agencies.actions import do_deactivate_agency

    do_deactivate_agency(agencies.commune_pasc, actor=Actor.system("tests"))

    with pytest.raises(InvalidOfficial) as caught:
        do_create_official(
            actor=Actor.system("tests"), username="moi", password=PASSWORD, full_name="Người Mới",
            agency=agencies.commune_pasc, roles=["desk_officer"],
        )  # fmt: skip

    assert [str(m) for m in caught.value.field_errors["agency"]] == [
        "Cơ quan này đã ngừng hoạt động."
    ]
