"""The Django admin of agencies saves through the actions and shows their errors on fields."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from motcua.agencies.models import Agency
from motcua.audit.models import AuditEvent
from tests.agencies.factories import Agencies

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.identity.urls")]

ADD = "/admin/agencies/agency/add/"


def form(agencies: Agencies, **overrides: Any) -> dict[str, Any]:
    return {
        "code": "000.00.14.H56",
        "name": "Sở Nông nghiệp và Môi trường tỉnh Thanh Hóa",
        "short_name": "",
        "kind": "department",
        "level": "province",
        "parent": agencies.province_pc.pk,
        "admin_unit": agencies.province_pc.admin_unit_id,
        "portal_department_id": "",
        "address": "",
        "phone": "",
        "email": "",
        "valid_from": "2025-07-01",
        "valid_to": "",
    } | overrides


def test_adding_an_agency_goes_through_the_action(admin_client: Client, agencies: Agencies) -> None:
    response = admin_client.post(ADD, form(agencies))

    assert response.status_code == 302
    agency = Agency.objects.get(code="000.00.14.H56")
    assert agency.name_folded == "so nong nghiep va moi truong tinh thanh hoa"
    event = AuditEvent.objects.get(aggregate_type="agencies.agency", aggregate_id=str(agency.pk))
    assert (event.action, event.actor_name) == ("agencies.agency.created", "Quản trị")


def test_an_inconsistent_agency_shows_the_error_on_its_field_and_writes_nothing(
    admin_client: Client, agencies: Agencies
) -> None:
    before = (Agency.objects.count(), AuditEvent.objects.count())

    response = admin_client.post(ADD, form(agencies, kind="commune_pc"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "level": ["“UBND cấp xã” chỉ có thể ở: Cấp xã."]
    }
    assert (Agency.objects.count(), AuditEvent.objects.count()) == before


def test_changing_an_agency_goes_through_the_action(
    admin_client: Client, agencies: Agencies
) -> None:
    url = f"/admin/agencies/agency/{agencies.justice.pk}/change/"

    response = admin_client.post(
        url, form(agencies, code="000.00.12.H56", name="Sở Tư pháp", phone="0237 3852 000")
    )

    assert response.status_code == 302
    agencies.justice.refresh_from_db()
    assert (agencies.justice.name, agencies.justice.phone) == ("Sở Tư pháp", "0237 3852 000")
    assert AuditEvent.objects.get(action="agencies.agency.updated").data["changes"]["name"] == [
        "Sở Tư pháp tỉnh Thanh Hóa",
        "Sở Tư pháp",
    ]


def test_the_deactivate_action_reports_refusals(admin_client: Client, agencies: Agencies) -> None:
    response = admin_client.post(
        "/admin/agencies/agency/",
        {
            "action": "deactivate",
            "_selected_action": [agencies.commune_pc.pk, agencies.construction.pk],
        },
        follow=True,
    )

    agencies.construction.refresh_from_db()
    agencies.commune_pc.refresh_from_db()
    assert (agencies.construction.is_active, agencies.commune_pc.is_active) == (False, True)
    assert "000.00.41.H56: Còn 1 cơ quan trực thuộc đang hoạt động" in response.content.decode()


def test_admin_units_are_read_only(admin_client: Client, agencies: Agencies) -> None:
    assert admin_client.get("/admin/agencies/adminunit/").status_code == 200
    assert admin_client.get("/admin/agencies/adminunit/add/").status_code == 403
