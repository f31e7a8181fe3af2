"""The catalogue admin saves through the actions, shows rule errors on the rows, keeps
published versions read-only, and imports files with a per-row report."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from motcua.audit.models import AuditEvent
from motcua.catalog.actions import do_create_procedure, do_publish_procedure_version
from motcua.catalog.models import AnnouncementDecision, Field, ProcedureVersion
from tests.catalog.factories import procedure_data, procedure_payload

ADD = "/admin/catalog/procedureversion/add/"
IMPORT = "/admin/catalog/procedureversion/import/"
PARTS = ("cases", "forms", "documents", "fees", "steps", "legal_bases")


@pytest.fixture
def admin_client_(client, django_user_model, agencies):
    user = django_user_model.objects.create_superuser("root", "root@example.vn", "x")
    client.force_login(user)
    return client


def form_data(field: Field, decision: AnnouncementDecision, steps: list[dict]) -> dict:
    data = {
        "procedure_code": "1.001193",
        "name": "Đăng ký khai sinh",
        "field": field.pk,
        "levels": ["commune"],
        "subjects": ["citizen"],
        "submission_methods": ["counter", "online"],
        "implementing_agency_names": "Ủy ban nhân dân xã A\nỦy ban nhân dân xã B",
        "applying_agency_names": "",
        "sequence": "",
        "method_note": "",
        "requirements": "",
        "result_is_document": "on",
        "result_name": "Giấy khai sinh",
        "online_level": "partial",
        "fee_code": "",
        "announcement": decision.pk,
        "note": "",
        "is_free": "on",
    }
    rows = {
        "cases": [
            {
                "code": "TH1",
                "name": "Đúng hạn",
                "time_limit": "1",
                "time_unit": "working_days",
                "description": "",
            }
        ],
        "documents": [
            {
                "name": "Tờ khai",
                "originals": "1",
                "certified_copies": "0",
                "photocopies": "0",
                "requirement": "required",
                "case_code": "",
                "form_code": "",
            }
        ],
        "steps": steps,
    }
    for prefix in PARTS:
        items = rows.get(prefix, [])
        data[f"{prefix}-TOTAL_FORMS"] = str(len(items))
        data[f"{prefix}-INITIAL_FORMS"] = "0"
        for index, item in enumerate(items):
            for key, value in item.items():
                data[f"{prefix}-{index}-{key}"] = value
    return data


@pytest.fixture
def references(db):
    field = Field.objects.create(code="G01-HT", name="Hộ tịch")
    decision = AnnouncementDecision.objects.create(
        number="1/QĐ-UBND", decided_on="2025-06-20", effective_on="2025-07-01"
    )
    return field, decision


def test_add_saves_through_the_action_with_its_parts(admin_client_, references):
    steps = [
        {
            "name": "Tiếp nhận",
            "role": "desk_officer",
            "duration": "4",
            "duration_unit": "hours",
            "case_code": "",
            "agency_name": "",
        },
        {
            "name": "Giải quyết",
            "role": "signer",
            "duration": "4",
            "duration_unit": "hours",
            "case_code": "TH1",
            "agency_name": "",
        },
    ]

    response = admin_client_.post(ADD, form_data(*references, steps))

    assert response.status_code == 302, response.content.decode()[:3000]
    version = ProcedureVersion.objects.get()
    assert (version.code, version.number, version.state) == ("1.001193", 1, "draft")
    assert version.implementing_agency_names == ["Ủy ban nhân dân xã A", "Ủy ban nhân dân xã B"]
    assert [(s.name, s.case.code) for s in version.steps.all()] == [
        ("Tiếp nhận", "TH1"),
        ("Giải quyết", "TH1"),
    ]
    assert AuditEvent.objects.get().action == "catalog.procedureversion.create"


def test_rule_errors_are_shown_on_the_row_and_nothing_is_saved(admin_client_, references):
    steps = [
        {
            "name": "Tiếp nhận",
            "role": "desk_officer",
            "duration": "3",
            "duration_unit": "working_days",
            "case_code": "",
            "agency_name": "",
        }
    ]

    response = admin_client_.post(ADD, form_data(*references, steps))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Tổng thời gian của các bước (3 ngày làm việc) không bằng thời hạn giải quyết" in page
    assert ProcedureVersion.objects.count() == 0
    assert AuditEvent.objects.count() == 0


def test_published_versions_are_read_only(admin_client_, catalog_admin):
    version = do_publish_procedure_version(
        do_create_procedure(procedure_data(), actor=catalog_admin), actor=catalog_admin
    )
    url = f"/admin/catalog/procedureversion/{version.pk}/change/"

    assert admin_client_.get(url).status_code == 200
    assert admin_client_.post(url, {"name": "Khác"}).status_code == 403
    version.refresh_from_db()
    assert version.name == "Đăng ký khai sinh"


def test_publish_action_from_the_changelist(admin_client_, catalog_admin):
    draft = do_create_procedure(procedure_data(), actor=catalog_admin)

    admin_client_.post(
        "/admin/catalog/procedureversion/",
        {"action": "publish_selected", "_selected_action": [draft.pk], "index": 0},
    )

    draft.refresh_from_db()
    assert draft.state == "published"


def test_import_page_shows_every_invalid_row(admin_client_):
    bad = procedure_payload(fees=[{"name": "Phí", "amount": -1}])
    upload = SimpleUploadedFile(
        "c.json", json.dumps({"procedures": [procedure_payload("2.000635"), bad]}).encode()
    )

    response = admin_client_.post(IMPORT, {"file": upload})

    assert response.status_code == 422
    page = response.content.decode()
    assert "Không nhập thủ tục nào: tệp có 1 lỗi." in page
    assert "fees[0].amount" in page
    assert "Không được là số âm." in page
    assert ProcedureVersion.objects.count() == 0


def test_import_page_imports_and_publishes(admin_client_):
    upload = SimpleUploadedFile(
        "c.json", json.dumps({"procedures": [procedure_payload()]}).encode()
    )

    response = admin_client_.post(IMPORT, {"file": upload, "publish": "on"})

    assert response.status_code == 200
    assert "1 thủ tục: 1 mới" in response.content.decode()
    assert ProcedureVersion.objects.get().state == "published"


def test_staff_without_the_role_cannot_use_the_catalogue_admin(client, django_user_model, db):
    user = django_user_model.objects.create_user("clerk", password="x", is_staff=True)
    client.force_login(user)
    assert client.get(IMPORT).status_code == 403
    assert client.get(ADD).status_code == 403


def test_change_of_a_draft_saves_through_the_update_action(admin_client_, catalog_admin):
    draft = do_create_procedure(procedure_data(), actor=catalog_admin)
    url = f"/admin/catalog/procedureversion/{draft.pk}/change/"
    form = admin_client_.get(url).context["adminform"].form
    data = {
        name: form.initial.get(name, "")
        if not hasattr(form.initial.get(name), "pk")
        else form.initial[name].pk
        for name in form.fields
        if name not in {"procedure_code"}
    }
    data.update(
        name="Đăng ký khai sinh (sửa)",
        levels=draft.levels,
        subjects=draft.subjects,
        submission_methods=draft.submission_methods,
        implementing_agencies=[a.pk for a in draft.implementing_agencies.all()],
        applying_agencies=[],
        field=draft.field_id,
        announcement=draft.announcement_id,
        result_is_document="on",
        is_full_online_eligible="on",
    )
    for key in ("is_free", "is_online_only", "is_inter_agency"):
        data.pop(key, None)
    for formset in admin_client_.get(url).context["inline_admin_formsets"]:
        fs = formset.formset
        data[f"{fs.prefix}-TOTAL_FORMS"] = str(len(fs.initial_forms))
        data[f"{fs.prefix}-INITIAL_FORMS"] = str(len(fs.initial_forms))
        for index, child in enumerate(fs.initial_forms):
            for name, field in child.fields.items():
                value = child.initial.get(name, field.initial)
                if hasattr(value, "pk"):
                    value = value.pk
                if hasattr(value, "storage"):  # an empty FieldFile: no upload
                    continue
                if value is None or value is False:
                    continue
                data[f"{fs.prefix}-{index}-{name}"] = "on" if value is True else value

    response = admin_client_.post(url, data)

    assert response.status_code == 302, response.content.decode()[:4000]
    draft.refresh_from_db()
    assert draft.name == "Đăng ký khai sinh (sửa)"
    assert draft.steps.count() == 2
    assert draft.documents.get(name="Tờ khai đăng ký khai sinh").template.code == "TK-KS"
    assert AuditEvent.objects.filter(action="catalog.procedureversion.update").count() == 1


def test_reference_admins_save_through_the_actions(admin_client_):
    response = admin_client_.post(
        "/admin/catalog/field/add/", {"code": "G09-DD", "name": "Đất đai"}
    )
    assert response.status_code == 302
    response = admin_client_.post(
        "/admin/catalog/announcementdecision/add/",
        {
            "number": "12/QĐ-UBND",
            "issuer": "",
            "decided_on": "2026-01-05",
            "effective_on": "2026-01-01",
        },
    )
    assert response.status_code == 200  # effective before decided: the form says so
    assert AnnouncementDecision.objects.count() == 0
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions == ["catalog.field.save"]
    assert Field.objects.get().name == "Đất đai"
