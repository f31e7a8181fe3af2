"""The demo catalogue: it validates, imports and publishes, and a second run changes nothing.

The fast tests create only the demo province's agencies (``agencies.demo.DEMO_AGENCIES``)
on the four administrative units they sit on; the slow one runs the real loaders.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.storage import default_storage

from motcua.agencies.actions import do_create_agency
from motcua.agencies.demo import COMMUNES, DEMO_AGENCIES, PROVINCE_CODE
from motcua.agencies.models import AdminUnit, AdminUnitLevel, AdminUnitScheme
from motcua.audit.models import AuditEvent
from motcua.catalog import demo
from motcua.catalog.enums import ImplementationLevel, OnlineLevel, PublicationState
from motcua.catalog.importing import read_import_file
from motcua.catalog.models import BoundaryFreeListing, Procedure, ProcedureVersion
from motcua.catalog.selectors import search_procedures
from motcua.integration.models import OutboxMessage
from motcua.kernel.actors import Actor


def demo_payload() -> dict[str, Any]:
    return json.loads(demo.DEMO_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def demo_agencies(db: None) -> None:
    """Create the demo province's agencies, as ``agencies.demo`` does, on minimal units."""
    since = dt.date(2025, 7, 1)
    province = AdminUnit.objects.create(
        scheme=AdminUnitScheme.CURRENT,
        code=PROVINCE_CODE,
        level=AdminUnitLevel.PROVINCE,
        name="Tỉnh Thanh Hóa",
        name_folded="tinh thanh hoa",
        valid_from=since,
    )
    for commune in COMMUNES:
        AdminUnit.objects.create(
            scheme=AdminUnitScheme.CURRENT,
            code=commune.unit_code,
            level=AdminUnitLevel.COMMUNE,
            name=commune.unit_name,
            name_folded=commune.unit_name.lower(),
            parent=province,
            valid_from=since,
        )
    actor = Actor.system("tests")
    for spec in DEMO_AGENCIES:
        do_create_agency(
            actor=actor,
            code=spec.code,
            name=spec.name,
            kind=spec.kind,
            level=spec.level,
            parent_code=spec.parent_code,
            admin_unit_code=spec.admin_unit_code,
            short_name=spec.short_name,
        )


def test_the_file_validates_without_the_database() -> None:
    batch = read_import_file(demo.DEMO_FILE.read_bytes())

    assert batch.issues == []
    assert [issue for c in batch.candidates for issue in c.issues] == []
    assert len(batch.candidates) >= 40


def test_the_file_covers_every_level_inter_agency_full_online_and_boundary_free() -> None:
    procedures = demo_payload()["procedures"]

    levels = {level for p in procedures for level in p["levels"]}
    assert levels == {level.value for level in ImplementationLevel}
    assert sum(p["is_inter_agency"] for p in procedures) >= 3
    assert sum(p["online_level"] == OnlineLevel.FULL for p in procedures) >= 10
    assert sum(bool(p["boundary_free"]) for p in procedures) >= 5
    assert any(p["is_free"] for p in procedures)
    assert {case["time_unit"] for p in procedures for case in p["cases"]} >= {
        "working_days",
        "hours",
        "days",
        "months",
    }
    assert len({p["code"] for p in procedures}) == len(procedures)


def test_the_file_names_only_demo_agencies_and_committed_forms() -> None:
    procedures = demo_payload()["procedures"]
    demo_codes = {agency.code for agency in DEMO_AGENCIES}

    named = {code for p in procedures for code in p["implementing_agency_codes"]}
    named |= {s["agency_code"] for p in procedures for s in p["steps"] if s.get("agency_code")}
    assert named <= demo_codes
    files = {f["file"] for p in procedures for f in p["forms"]}
    committed = {demo.STORAGE_PREFIX + path.name for path in demo.FORMS_DIR.glob("*.pdf")}
    assert files == committed


@pytest.mark.django_db
@pytest.mark.usefixtures("demo_agencies", "media")
class TestLoadDemo:
    def test_imports_and_publishes_every_procedure(self) -> None:
        expected = len(demo_payload()["procedures"])

        lines = demo.load_demo()

        assert lines == [
            f"Danh mục: {expected} thủ tục ({expected} mới, 0 không đổi, {expected} được công "
            "bố) — tra cứu tại /thu-tuc/."
        ]
        assert Procedure.objects.count() == expected
        states = set(ProcedureVersion.objects.values_list("state", flat=True))
        assert states == {PublicationState.PUBLISHED}
        assert search_procedures(page_size=100).total == expected
        assert search_procedures(q="dang ky khai sinh").items[0].name == "Đăng ký khai sinh"
        assert search_procedures(level="ministry").total >= 3
        assert BoundaryFreeListing.objects.filter(province__code=PROVINCE_CODE).count() >= 5
        for path in demo.FORMS_DIR.glob("*.pdf"):
            assert default_storage.exists(demo.STORAGE_PREFIX + path.name)

    def test_second_run_changes_nothing(self) -> None:
        demo.load_demo()
        versions = list(ProcedureVersion.objects.values_list("pk", "state", "content_hash"))
        audit_rows = AuditEvent.objects.count()
        outbox_rows = OutboxMessage.objects.count()

        lines = demo.load_demo()

        expected = len(demo_payload()["procedures"])
        assert lines == [
            f"Danh mục: {expected} thủ tục (0 mới, {expected} không đổi, 0 được công bố) — "
            "tra cứu tại /thu-tuc/."
        ]
        assert list(ProcedureVersion.objects.values_list("pk", "state", "content_hash")) == versions
        assert AuditEvent.objects.count() == audit_rows
        assert OutboxMessage.objects.count() == outbox_rows


@pytest.mark.slow
@pytest.mark.django_db
@pytest.mark.usefixtures("media")
def test_with_the_real_demo_loaders() -> None:
    from motcua.agencies.demo import load_demo as load_agencies

    load_agencies()
    demo.load_demo()

    assert Procedure.objects.count() == len(demo_payload()["procedures"])
