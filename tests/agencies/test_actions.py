"""Creating, changing and deactivating agencies: validation, permission, audit."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from motcua.agencies.actions import do_create_agency, do_deactivate_agency, do_update_agency
from motcua.agencies.errors import (
    AgencyAlreadyInactive,
    AgencyHasActiveChildren,
    AgencyPermissionDenied,
    DuplicateAgencyCode,
    InvalidAgency,
    InvalidAgencyCode,
    UnknownAdminUnit,
    UnknownAgency,
)
from motcua.agencies.models import Agency
from motcua.audit.models import AuditEvent
from motcua.kernel.actors import Actor, ActorKind
from motcua.kernel.errors import ApplicationError
from tests.agencies.factories import Agencies, Units

pytestmark = pytest.mark.django_db

SYSTEM = Actor.system("tests")


def official(agency: Agency, *roles: str) -> Actor:
    return Actor(
        kind=ActorKind.OFFICIAL,
        id="99",
        display_name="Cán bộ",
        agency_id=agency.pk,
        roles=frozenset(roles),
    )


def new_department(**overrides: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "code": "000.00.14.H56",
        "name": "Sở Nông nghiệp và Môi trường tỉnh Thanh Hóa",
        "kind": "department",
        "level": "province",
        "parent_code": "000.00.00.H56",
        "admin_unit_code": "38",
    }
    return values | overrides


def assert_nothing_written(
    before: tuple[int, int], error: pytest.ExceptionInfo[ApplicationError]
) -> None:
    assert (Agency.objects.count(), AuditEvent.objects.count()) == before, error.value


def counts() -> tuple[int, int]:
    return Agency.objects.count(), AuditEvent.objects.count()


def test_a_system_administrator_creates_a_department_with_one_audit_row(agencies: Agencies) -> None:
    agency = do_create_agency(
        actor=SYSTEM, short_name="Sở NN&MT", email="snnmt@thanhhoa.gov.vn", **new_department()
    )

    agency.refresh_from_db()
    assert (agency.code, agency.kind, agency.level) == ("000.00.14.H56", "department", "province")
    assert agency.parent == agencies.province_pc
    assert agency.admin_unit.code == "38"
    assert agency.name_folded == "so nong nghiep va moi truong tinh thanh hoa"
    assert (agency.is_active, agency.is_vertical_sector, agency.valid_from) == (
        True,
        False,
        dt.date(2025, 7, 1),
    )
    event = AuditEvent.objects.get(aggregate_type="agencies.agency", aggregate_id=str(agency.pk))
    assert (event.action, event.actor_ref) == ("agencies.agency.created", "system:tests")
    assert event.data == {
        "code": "000.00.14.H56",
        "name": "Sở Nông nghiệp và Môi trường tỉnh Thanh Hóa",
        "kind": "department",
        "level": "province",
        "parent": "000.00.00.H56",
        "admin_unit": "38",
    }


def test_a_vertical_sector_agency_needs_no_parent_and_is_flagged(units: Units) -> None:
    agency = do_create_agency(
        actor=SYSTEM, code="000.00.90.H56", name="Công an tỉnh Thanh Hóa", kind="vertical_sector",
        level="province", admin_unit_code="38",
    )  # fmt: skip

    assert (agency.parent, agency.is_vertical_sector) == (None, True)


@pytest.mark.parametrize(
    ("overrides", "error_type", "code", "fields"),
    [
        ({"code": "G09.20"}, InvalidAgencyCode, "agencies.invalid_code", ["code"]),
        ({"code": "000.00.12.H56"}, DuplicateAgencyCode, "agencies.duplicate_code", ["code"]),
        ({"code": "000.00.12.h56"}, DuplicateAgencyCode, "agencies.duplicate_code", ["code"]),
        (
            {"parent_code": "000.00.77.H56"},
            UnknownAgency,
            "agencies.unknown_agency",
            ["parent_code"],
        ),
        (
            {"admin_unit_code": "99"},
            UnknownAdminUnit,
            "agencies.unknown_admin_unit",
            ["admin_unit_code"],
        ),
        ({"name": "   "}, InvalidAgency, "agencies.invalid_agency", ["name"]),
        ({"email": "not-an-email"}, InvalidAgency, "agencies.invalid_agency", ["email"]),
        ({"level": "commune"}, InvalidAgency, "agencies.invalid_agency", ["level"]),
        ({"admin_unit_code": None}, InvalidAgency, "agencies.invalid_agency", ["admin_unit_code"]),
        ({"admin_unit_code": "01"}, InvalidAgency, "agencies.invalid_agency", ["admin_unit_code"]),
        ({"code": "000.00.00.H56"}, InvalidAgency, "agencies.invalid_agency", ["code"]),
        ({"code": "000.00.14.H26"}, InvalidAgency, "agencies.invalid_agency", ["code"]),
        ({"kind": "embassy"}, InvalidAgency, "agencies.invalid_agency", ["kind"]),
    ],
)
def test_invalid_input_is_refused_with_its_code_and_writes_nothing(
    agencies: Agencies,
    overrides: dict[str, Any],
    error_type: type[ApplicationError],
    code: str,
    fields: list[str],
) -> None:
    before = counts()

    with pytest.raises(error_type) as caught:
        do_create_agency(actor=SYSTEM, **new_department(**overrides))

    assert caught.value.code == code
    assert sorted(caught.value.field_errors) == fields
    assert_nothing_written(before, caught)


def test_a_commune_pc_must_be_at_commune_level_and_sit_in_a_commune(agencies: Agencies) -> None:
    with pytest.raises(InvalidAgency) as at_province:
        do_create_agency(actor=SYSTEM, **new_department(code="000.00.42.H56", kind="commune_pc"))
    with pytest.raises(InvalidAgency) as in_province:
        do_create_agency(
            actor=SYSTEM, **new_department(code="000.00.42.H56", kind="commune_pc", level="commune")
        )

    assert [str(m) for m in at_province.value.field_errors["level"]] == [
        "“UBND cấp xã” chỉ có thể ở: Cấp xã."
    ]
    assert [str(m) for m in in_province.value.field_errors["admin_unit_code"]] == [
        "Tỉnh Thanh Hóa không phải đơn vị hành chính cấp xã, phường, đặc khu."
    ]


def test_a_commune_outside_the_parents_province_is_refused(agencies: Agencies) -> None:
    with pytest.raises(InvalidAgency) as caught:
        do_create_agency(
            actor=SYSTEM, **new_department(code="000.00.42.H56", kind="commune_pc", level="commune",
                                           admin_unit_code="00004")
        )  # fmt: skip

    assert [str(m) for m in caught.value.field_errors["admin_unit_code"]] == [
        "Phường Ba Đình không thuộc địa bàn của cơ quan cấp trên (Tỉnh Thanh Hóa)."
    ]


def test_the_unit_is_looked_up_on_the_agencys_start_date(agencies: Agencies) -> None:
    before = counts()

    # Phường Sầm Sơn exists from 1 July 2025; an agency starting in 2024 cannot sit in it.
    with pytest.raises(UnknownAdminUnit) as caught:
        do_create_agency(
            actor=SYSTEM, valid_from=dt.date(2024, 1, 1),
            **new_department(code="000.00.42.H56", kind="commune_pc", level="commune", admin_unit_code="16531"),
        )  # fmt: skip

    assert caught.value.message == "Không tìm thấy đơn vị hành chính có mã 16531."
    assert_nothing_written(before, caught)


def test_an_official_without_an_admin_role_is_denied_and_nothing_is_written(
    agencies: Agencies,
) -> None:
    before = counts()

    with pytest.raises(AgencyPermissionDenied) as caught:
        do_create_agency(
            actor=official(agencies.province_pc, "handler", "signer"), **new_department()
        )

    assert (caught.value.code, caught.value.status) == ("agencies.permission_denied", 403)
    assert_nothing_written(before, caught)


def test_an_agency_admin_creates_under_their_agency_but_not_elsewhere(agencies: Agencies) -> None:
    admin = official(agencies.province_pc, "agency_admin")
    commune_admin = official(agencies.commune_pc, "agency_admin")

    created = do_create_agency(actor=admin, **new_department())
    before = counts()
    with pytest.raises(AgencyPermissionDenied):
        do_create_agency(actor=commune_admin, **new_department(code="000.00.15.H56"))
    with pytest.raises(AgencyPermissionDenied) as top_level:
        do_create_agency(
            actor=admin, code="000.00.00.H57", name="Ủy ban nhân dân tỉnh khác",
            kind="provincial_pc", level="province", admin_unit_code="01",
        )  # fmt: skip

    assert created.parent == agencies.province_pc
    assert_nothing_written(before, top_level)


def test_update_changes_the_fields_and_audits_the_difference(agencies: Agencies) -> None:
    admin = official(agencies.province_pc, "agency_admin")

    agency = do_update_agency(
        agencies.justice, actor=admin, name="Sở Tư pháp", phone="0237 3852 000", short_name="STP"
    )

    agency.refresh_from_db()
    assert (agency.name, agency.name_folded, agency.phone) == (
        "Sở Tư pháp",
        "so tu phap",
        "0237 3852 000",
    )
    event = AuditEvent.objects.filter(action="agencies.agency.updated").get()
    assert event.data == {
        "changes": {
            "name": ["Sở Tư pháp tỉnh Thanh Hóa", "Sở Tư pháp"],
            "short_name": ["", "STP"],
            "phone": ["", "0237 3852 000"],
        }
    }


def test_an_update_that_changes_nothing_writes_nothing(agencies: Agencies) -> None:
    before = counts()

    do_update_agency(agencies.justice, actor=SYSTEM, name="Sở Tư pháp tỉnh Thanh Hóa")

    assert counts() == before


def test_moving_an_agency_under_its_own_child_is_refused(agencies: Agencies) -> None:
    with pytest.raises(InvalidAgency) as caught:
        do_update_agency(agencies.commune_pc, actor=SYSTEM, parent_code="000.01.41.H56")

    assert list(caught.value.field_errors) == ["parent_code"]
    agencies.commune_pc.refresh_from_db()
    assert agencies.commune_pc.parent == agencies.province_pc


def test_an_agency_admin_may_not_change_their_own_agency_nor_move_a_child_away(
    agencies: Agencies,
) -> None:
    commune_admin = official(agencies.commune_pc, "agency_admin")
    before = counts()

    with pytest.raises(AgencyPermissionDenied):
        do_update_agency(agencies.commune_pc, actor=commune_admin, name="UBND khác")
    with pytest.raises(AgencyPermissionDenied) as moved:
        do_update_agency(agencies.commune_pasc, actor=commune_admin, parent_code="000.00.00.H56")

    assert_nothing_written(before, moved)


def test_unknown_fields_are_refused(agencies: Agencies) -> None:
    with pytest.raises(InvalidAgency) as caught:
        do_update_agency(agencies.justice, actor=SYSTEM, is_active=False)

    assert list(caught.value.field_errors) == ["is_active"]


def test_changing_the_code_to_a_taken_one_is_a_conflict(agencies: Agencies) -> None:
    with pytest.raises(DuplicateAgencyCode):
        do_update_agency(agencies.justice, actor=SYSTEM, code="000.00.13.H56")


def test_deactivation_needs_the_children_deactivated_first(
    agencies: Agencies, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        "motcua.kernel.clock.now", lambda: dt.datetime(2026, 3, 2, 1, 0, tzinfo=dt.UTC)
    )
    with pytest.raises(AgencyHasActiveChildren) as caught:
        do_deactivate_agency(agencies.commune_pc, actor=SYSTEM)
    assert caught.value.message == (
        "Còn 1 cơ quan trực thuộc đang hoạt động; hãy cho các cơ quan đó ngừng hoạt động trước."
    )

    do_deactivate_agency(agencies.commune_pasc, actor=SYSTEM, reason="Sáp nhập")

    agencies.commune_pasc.refresh_from_db()
    assert (agencies.commune_pasc.is_active, agencies.commune_pasc.valid_to) == (
        False,
        dt.date(2026, 3, 2),
    )
    event = AuditEvent.objects.get(action="agencies.agency.deactivated")
    assert event.data == {"code": "000.01.41.H56", "reason": "Sáp nhập", "valid_to": "2026-03-02"}
    with pytest.raises(AgencyAlreadyInactive):
        do_deactivate_agency(agencies.commune_pasc, actor=SYSTEM)
    with pytest.raises(InvalidAgency) as under_inactive:
        do_create_agency(
            actor=SYSTEM, code="000.02.41.H56", name="Điểm tiếp nhận", kind="reception_point",
            level="commune", parent_code="000.01.41.H56", admin_unit_code="14797",
        )  # fmt: skip
    assert list(under_inactive.value.field_errors) == ["parent_code"]


def test_the_role_values_agencies_use_are_those_of_identity() -> None:
    from motcua.agencies.permissions import AGENCY_ADMIN_ROLE, SYSTEM_ADMIN_ROLE
    from motcua.identity.roles import Role

    assert (SYSTEM_ADMIN_ROLE, AGENCY_ADMIN_ROLE) == (
        Role.SYSTEM_ADMIN.value,
        Role.AGENCY_ADMIN.value,
    )
