"""Loading the administrative units from ``vietnam-provinces``: counts, links, idempotency."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command

from motcua.agencies.actions import do_load_admin_units
from motcua.agencies.models import AdminUnit, AdminUnitSuccession
from motcua.audit.models import AuditEvent
from motcua.kernel.actors import Actor

pytestmark = pytest.mark.django_db

REFORM = dt.date(2025, 7, 1)


def test_the_2025_scheme_has_34_provinces_and_3321_communes() -> None:
    report = do_load_admin_units(actor=Actor.system("tests"), include_legacy=False)

    current = AdminUnit.objects.filter(scheme="2025")
    assert report.created == 3355
    assert current.filter(level="province").count() == 34
    assert current.filter(level="commune").count() == 3321
    assert current.filter(level="district").count() == 0
    assert set(current.values_list("valid_from", "valid_to").distinct()) == {(REFORM, None)}
    assert current.filter(level="commune", parent__isnull=True).count() == 0
    ward = AdminUnit.objects.select_related("parent").get(scheme="2025", code="14797")
    assert (ward.name, ward.name_folded, ward.level) == (
        "Phường Hạc Thành",
        "phuong hac thanh",
        "commune",
    )
    assert (ward.parent.code, ward.parent.name) == ("38", "Tỉnh Thanh Hóa")
    assert AdminUnit.objects.get(scheme="2025", code="01").name == "Thành phố Hà Nội"


@pytest.mark.slow  # loads 3,355 units: run in CI (make test-pg)
def test_loading_twice_changes_nothing_and_audits_only_the_first_load() -> None:
    first = do_load_admin_units(actor=Actor.system("tests"), include_legacy=False)
    before = list(AdminUnit.objects.order_by("id").values_list("id", "name", "parent_id"))

    second = do_load_admin_units(actor=Actor.system("tests"), include_legacy=False)

    assert first.changed is True
    assert (second.created, second.updated, second.successions_created) == (0, 0, 0)
    assert list(AdminUnit.objects.order_by("id").values_list("id", "name", "parent_id")) == before
    events = AuditEvent.objects.filter(action="agencies.admin_units.loaded")
    assert events.count() == 1
    assert events.get().data["created"] == 3355
    assert events.get().data["source"].startswith("vietnam-provinces ")


@pytest.mark.slow  # loads 3,355 units: run in CI (make test-pg)
def test_a_renamed_unit_in_a_new_package_version_is_updated_in_place() -> None:
    do_load_admin_units(actor=Actor.system("tests"), include_legacy=False)
    ward = AdminUnit.objects.get(scheme="2025", code="14797")
    AdminUnit.objects.filter(pk=ward.pk).update(name="Phường Cũ", name_folded="phuong cu")

    report = do_load_admin_units(actor=Actor.system("tests"), include_legacy=False)

    ward.refresh_from_db()
    assert (report.created, report.updated) == (0, 1)
    assert (ward.name, ward.name_folded) == ("Phường Hạc Thành", "phuong hac thanh")


@pytest.mark.slow
def test_the_legacy_scheme_has_63_provinces_with_their_successors() -> None:
    report = do_load_admin_units(actor=Actor.system("tests"))

    legacy = AdminUnit.objects.filter(scheme="2004")
    assert legacy.filter(level="province").count() == 63
    assert legacy.filter(level="district").count() == 696
    assert legacy.filter(level="commune").count() == 10051
    assert set(legacy.values_list("valid_to", flat=True).distinct()) == {REFORM}
    assert legacy.filter(level="province", successor__isnull=True).count() == 0
    # Hà Giang (02) merged into Tuyên Quang (08); Thanh Hóa kept its code.
    assert legacy.get(level="province", code="02").successor.code == "08"
    assert legacy.get(level="province", code="38").successor.name == "Tỉnh Thanh Hóa"
    # Tiền Giang (82) went to Đồng Tháp (82) and, in part, to Tây Ninh (80).
    tien_giang = legacy.get(level="province", code="82")
    assert tien_giang.successor.code == "82"
    assert sorted(
        AdminUnitSuccession.objects.filter(predecessor=tien_giang).values_list(
            "successor__code", "is_partial"
        )
    ) == [("80", True), ("82", True)]
    assert report.successions_created == 10618
    assert report.skipped_successions == 11

    again = do_load_admin_units(actor=Actor.system("tests"))
    assert (again.created, again.updated, again.successions_created) == (0, 0, 0)


@pytest.mark.slow  # loads 3,355 units: run in CI (make test-pg)
def test_the_command_loads_the_current_scheme(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("load_admin_units", "--current-only")

    assert AdminUnit.objects.filter(scheme="2025").count() == 3355
    assert AdminUnit.objects.filter(scheme="2004").count() == 0
    assert "3355 created" in capsys.readouterr().out
