"""The Thanh Hóa demo: every agency valid under the action's rules, and idempotent."""

from __future__ import annotations

from functools import partial

import pytest

from motcua.agencies import demo
from motcua.agencies.actions import do_load_admin_units
from motcua.agencies.models import AdminUnit, Agency
from motcua.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def current_units_only(monkeypatch: pytest.MonkeyPatch) -> None:
    # The legacy units take seconds to load; the slow test below loads them.
    monkeypatch.setattr(
        demo, "do_load_admin_units", partial(do_load_admin_units, include_legacy=False)
    )


def test_the_demo_creates_the_province_its_desks_departments_and_three_communes(
    current_units_only: None,
) -> None:
    lines = demo.load_demo()

    assert Agency.objects.count() == len(demo.DEMO_AGENCIES) == 18
    pc = Agency.objects.get(code="000.00.00.H56")
    assert (pc.name, pc.kind, pc.admin_unit.code) == (
        "Ủy ban nhân dân tỉnh Thanh Hóa",
        "provincial_pc",
        "38",
    )
    pasc = Agency.objects.get(code=demo.PROVINCIAL_PASC_CODE)
    assert (pasc.kind, pasc.parent.code, pasc.is_one_stop_desk) == (
        "provincial_pasc",
        "000.00.01.H56",
        True,
    )
    assert Agency.objects.get(code="000.00.12.H56").name == "Sở Tư pháp tỉnh Thanh Hóa"
    police = Agency.objects.get(name="Công an tỉnh Thanh Hóa")
    assert (police.is_vertical_sector, police.parent) == (True, None)
    for commune in demo.COMMUNES:
        unit = AdminUnit.objects.get(scheme="2025", code=commune.unit_code)
        assert (unit.name, unit.parent.code) == (commune.unit_name, "38")
        assert Agency.objects.get(code=commune.pc_code).admin_unit == unit
        desk = Agency.objects.get(code=commune.pasc_code)
        assert (desk.kind, desk.parent.code) == ("commune_pasc", commune.pc_code)
    assert (
        Agency.objects.get(code="000.01.41.H56").name
        == "Trung tâm Phục vụ hành chính công phường Hạc Thành"
    )
    assert lines[1].startswith("Cơ quan mẫu tỉnh Thanh Hóa: 18 mới")


@pytest.mark.slow  # loads 3,355 units: run in CI (make test-pg)
def test_running_the_demo_twice_changes_nothing(current_units_only: None) -> None:
    demo.load_demo()
    before = (Agency.objects.count(), AdminUnit.objects.count(), AuditEvent.objects.count())

    lines = demo.load_demo()

    assert (Agency.objects.count(), AdminUnit.objects.count(), AuditEvent.objects.count()) == before
    assert lines[1].startswith("Cơ quan mẫu tỉnh Thanh Hóa: 0 mới")


@pytest.mark.slow
def test_the_full_demo_loads_the_legacy_units_too() -> None:
    demo.load_demo()

    assert AdminUnit.objects.filter(scheme="2004", level="province").count() == 63
    assert Agency.objects.count() == 18
