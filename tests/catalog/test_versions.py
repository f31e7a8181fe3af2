"""Versions of a procedure: create, edit drafts, publish, supersede, abolish, and which
version is in force at a given moment."""

from __future__ import annotations

import datetime as dt

import pytest

from motcua.audit.models import AuditEvent
from motcua.catalog.actions import (
    do_abolish_procedure,
    do_create_procedure,
    do_create_procedure_version,
    do_publish_procedure_version,
    do_update_procedure_version,
)
from motcua.catalog.errors import (
    DraftExists,
    DuplicateCode,
    NotADraft,
    NoVersionInForce,
    ProcedureAbolished,
    UnknownProcedure,
    ValidityOverlap,
)
from motcua.catalog.models import Procedure, ProcedureVersion
from motcua.catalog.schemas import AnnouncementData
from motcua.catalog.selectors import get_version_in_force
from motcua.integration.models import OutboxMessage
from motcua.kernel.clock import VN_TZ
from motcua.kernel.errors import PermissionDenied
from tests.catalog.factories import announcement, procedure_data

pytestmark = pytest.mark.usefixtures("agencies")


def vn(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=VN_TZ)


def test_create_procedure_makes_a_draft_first_version_with_one_audit_row(catalog_admin):
    version = do_create_procedure(procedure_data(), actor=catalog_admin)

    assert (version.code, version.number, version.state) == ("1.001193", 1, "draft")
    assert version.valid_from is None
    assert [c.code for c in version.cases.all()] == ["TH1"]
    assert version.documents.count() == 2
    assert version.documents.get(name="Tờ khai đăng ký khai sinh").template.code == "TK-KS"
    assert version.search_text.startswith("1.001193 dang ky khai sinh g01-ht ho tich")
    events = list(AuditEvent.objects.values_list("action", "aggregate_id"))
    assert events == [("catalog.procedureversion.create", str(version.pk))]


def test_publish_sets_validity_from_the_announcement_and_writes_audit_and_outbox(catalog_admin):
    draft = do_create_procedure(procedure_data(), actor=catalog_admin)

    version = do_publish_procedure_version(draft, actor=catalog_admin)

    version.refresh_from_db()
    assert version.state == "published"
    assert version.valid_from == vn(2025, 7, 1)
    assert version.valid_to is None
    assert version.published_at is not None
    assert AuditEvent.objects.filter(action="catalog.procedureversion.publish").count() == 1
    message = OutboxMessage.objects.get(topic="catalog.procedureversion.publish")
    assert message.payload["code"] == "1.001193"
    assert message.payload["to"] == "published"


def test_publishing_v2_ends_v1_and_in_force_depends_on_the_date(catalog_admin):
    v1 = do_publish_procedure_version(
        do_create_procedure(procedure_data(), actor=catalog_admin), actor=catalog_admin
    )
    amended = procedure_data(
        name="Đăng ký khai sinh (sửa đổi)",
        announcement=announcement("88/QĐ-UBND", "2026-02-10", "2026-03-01"),
    )
    v2 = do_create_procedure_version(v1.procedure, actor=catalog_admin, data=amended)

    do_publish_procedure_version(v2, actor=catalog_admin)

    v1.refresh_from_db()
    v2.refresh_from_db()
    assert (v1.state, v1.valid_to) == ("amended", vn(2026, 3, 1))
    assert (v2.state, v2.number, v2.valid_from) == ("published", 2, vn(2026, 3, 1))
    assert get_version_in_force("1.001193", at=vn(2026, 2, 28, 23, 59)).pk == v1.pk
    assert get_version_in_force("1.001193", at=vn(2026, 3, 1)).pk == v2.pk
    with pytest.raises(NoVersionInForce):
        get_version_in_force("1.001193", at=vn(2025, 6, 30, 23, 59))
    with pytest.raises(UnknownProcedure) as excinfo:
        get_version_in_force("2.000001", at=vn(2026, 3, 1))
    assert excinfo.value.code == "catalog.unknown_procedure"


def test_a_copy_of_the_published_version_keeps_its_parts(catalog_admin):
    v1 = do_publish_procedure_version(
        do_create_procedure(procedure_data(), actor=catalog_admin), actor=catalog_admin
    )

    v2 = do_create_procedure_version(v1.procedure, actor=catalog_admin)

    assert (v2.number, v2.state, v2.announcement) == (2, "draft", None)
    assert [s.name for s in v2.steps.all()] == ["Tiếp nhận hồ sơ", "Thẩm định, ký"]
    assert v2.steps.all()[1].agency.code == "000.00.41.H56"
    with pytest.raises(DraftExists):
        do_create_procedure_version(v1.procedure, actor=catalog_admin)


def test_published_versions_cannot_be_edited(catalog_admin):
    version = do_publish_procedure_version(
        do_create_procedure(procedure_data(), actor=catalog_admin), actor=catalog_admin
    )
    before = AuditEvent.objects.count()

    with pytest.raises(NotADraft):
        do_update_procedure_version(version, actor=catalog_admin, data=procedure_data(name="Khác"))

    version.refresh_from_db()
    assert version.name == "Đăng ký khai sinh"
    assert AuditEvent.objects.count() == before


def test_update_replaces_the_parts_of_a_draft(catalog_admin):
    draft = do_create_procedure(procedure_data(), actor=catalog_admin)
    data = procedure_data(
        name="Đăng ký khai sinh lưu động",
        documents=[{"name": "Tờ khai", "originals": 1}],
        fees=[],
        is_free=True,
    )

    updated = do_update_procedure_version(draft, actor=catalog_admin, data=data)

    assert updated.name == "Đăng ký khai sinh lưu động"
    assert [d.name for d in updated.documents.all()] == ["Tờ khai"]
    assert updated.fees.count() == 0
    assert updated.is_free is True
    assert "luu dong" in updated.search_text
    assert AuditEvent.objects.filter(action="catalog.procedureversion.update").count() == 1


def test_duplicate_code_is_refused_and_nothing_is_written(catalog_admin):
    do_create_procedure(procedure_data(), actor=catalog_admin)
    before = (ProcedureVersion.objects.count(), AuditEvent.objects.count())

    with pytest.raises(DuplicateCode) as excinfo:
        do_create_procedure(procedure_data(name="Trùng mã"), actor=catalog_admin)

    assert excinfo.value.code == "catalog.duplicate_code"
    assert "1.001193" in excinfo.value.message
    assert (ProcedureVersion.objects.count(), AuditEvent.objects.count()) == before


def test_a_new_version_must_take_effect_after_the_current_one(catalog_admin):
    v1 = do_publish_procedure_version(
        do_create_procedure(procedure_data(), actor=catalog_admin), actor=catalog_admin
    )
    early = procedure_data(announcement=announcement("5/QĐ-UBND", "2025-05-01", "2025-06-01"))
    v2 = do_create_procedure_version(v1.procedure, actor=catalog_admin, data=early)

    with pytest.raises(ValidityOverlap) as excinfo:
        do_publish_procedure_version(v2, actor=catalog_admin)

    assert "01/07/2025" in excinfo.value.message
    v2.refresh_from_db()
    assert v2.state == "draft"


def test_abolish_ends_the_version_in_force_but_keeps_it_for_past_dates(catalog_admin):
    v1 = do_publish_procedure_version(
        do_create_procedure(procedure_data(), actor=catalog_admin), actor=catalog_admin
    )
    decision = AnnouncementData(
        number="99/QĐ-UBND", decided_on=dt.date(2026, 1, 5), effective_on=dt.date(2026, 1, 15)
    )

    procedure = do_abolish_procedure(v1.procedure, actor=catalog_admin, decision=decision)

    v1.refresh_from_db()
    assert (v1.state, v1.valid_to) == ("abolished", vn(2026, 1, 15))
    assert procedure.abolished_at == vn(2026, 1, 15)
    assert procedure.abolition_decision.number == "99/QĐ-UBND"
    assert get_version_in_force("1.001193", at=vn(2026, 1, 14)).pk == v1.pk
    with pytest.raises(NoVersionInForce):
        get_version_in_force("1.001193", at=vn(2026, 1, 15))
    with pytest.raises(ProcedureAbolished):
        do_create_procedure_version(procedure, actor=catalog_admin)


def test_only_catalogue_admins_change_the_catalogue(desk_officer, catalog_admin):
    with pytest.raises(PermissionDenied) as excinfo:
        do_create_procedure(procedure_data(), actor=desk_officer)
    assert excinfo.value.code == "catalog.permission_denied"
    assert Procedure.objects.count() == 0
    assert AuditEvent.objects.count() == 0

    draft = do_create_procedure(procedure_data(), actor=catalog_admin)
    before = AuditEvent.objects.count()
    with pytest.raises(PermissionDenied):
        do_publish_procedure_version(draft, actor=desk_officer)
    draft.refresh_from_db()
    assert draft.state == "draft"
    assert AuditEvent.objects.count() == before
