"""``/api/v1/agencies``: lists with keyset pages, details, problem+json for unknown codes.

The router is mounted on a NinjaAPI built here with the project's problem handlers, so
these tests do not depend on the other apps' routers being importable.
"""

from __future__ import annotations

import pytest
from ninja import NinjaAPI
from ninja.testing import TestClient

from motcua.agencies.api import router
from motcua.kernel.problems import install_problem_handlers
from tests.agencies.factories import Agencies, Units

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def client() -> TestClient:
    api = NinjaAPI(urls_namespace="agencies-api-tests")
    install_problem_handlers(api)
    api.add_router("/agencies", router)
    return TestClient(api)


def test_list_agencies_pages_by_code(client: TestClient, agencies: Agencies) -> None:
    first = client.get("/agencies/?limit=4")
    second = client.get(f"/agencies/?limit=4&after={first.json()['next_cursor']}")

    assert first.status_code == 200
    assert [a["code"] for a in first.json()["items"]] == [
        "000.00.00.H26",
        "000.00.00.H56",
        "000.00.12.H56",
        "000.00.13.H56",
    ]
    assert first.json()["next_cursor"] == "000.00.13.H56"
    assert [a["code"] for a in second.json()["items"]] == ["000.00.41.H56", "000.01.41.H56"]
    assert second.json()["next_cursor"] is None


def test_list_agencies_filters_by_parent_unit_kind_and_name(
    client: TestClient, agencies: Agencies
) -> None:
    by_parent = client.get("/agencies/?parent=000.00.41.H56").json()
    by_unit = client.get("/agencies/?admin_unit=14797&kind=commune_pc").json()
    by_name = client.get("/agencies/?q=xay dung").json()

    assert [a["code"] for a in by_parent["items"]] == ["000.01.41.H56"]
    assert [a["code"] for a in by_unit["items"]] == ["000.00.41.H56"]
    assert [a["name"] for a in by_name["items"]] == ["Sở Xây dựng tỉnh Thanh Hóa"]


def test_get_an_agency(client: TestClient, agencies: Agencies) -> None:
    response = client.get("/agencies/000.01.41.H56")

    assert response.status_code == 200
    assert response.json() == {
        "code": "000.01.41.H56",
        "name": "Trung tâm Phục vụ hành chính công phường Hạc Thành",
        "short_name": "",
        "kind": "commune_pasc",
        "kind_label": "Trung tâm Phục vụ hành chính công cấp xã",
        "level": "commune",
        "parent_code": "000.00.41.H56",
        "admin_unit_code": "14797",
        "admin_unit_name": "Phường Hạc Thành",
        "is_vertical_sector": False,
        "is_one_stop_desk": True,
        "portal_department_id": "",
        "address": "",
        "phone": "",
        "email": "",
        "is_active": True,
        "valid_from": "2025-07-01",
        "valid_to": None,
    }


def test_an_unknown_agency_is_a_404_problem(client: TestClient, agencies: Agencies) -> None:
    response = client.get("/agencies/000.00.99.H56")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "agencies.unknown_agency"
    assert response.json()["title"] == "Không tìm thấy cơ quan có mã định danh 000.00.99.H56."


def test_list_admin_units_defaults_to_the_2025_scheme(client: TestClient, units: Units) -> None:
    provinces = client.get("/agencies/admin-units/?level=province").json()
    communes = client.get("/agencies/admin-units/?parent=38&limit=1").json()
    legacy = client.get("/agencies/admin-units/?scheme=2004&q=dien bien").json()

    assert [(u["code"], u["name"]) for u in provinces["items"]] == [
        ("38", "Tỉnh Thanh Hóa"),
        ("01", "Thành phố Hà Nội"),
    ]
    assert [u["code"] for u in communes["items"]] == ["14797"]
    assert communes["next_cursor"] == str(units.hac_thanh.pk)
    assert legacy["items"] == [
        {
            "code": "14797",
            "name": "Phường Điện Biên",
            "level": "commune",
            "scheme": "2004",
            "parent_code": "380",
            "valid_from": "2004-07-08",
            "valid_to": "2025-07-01",
            "successor_code": "14797",
        }
    ]


def test_get_an_admin_unit_on_a_date(client: TestClient, units: Units) -> None:
    today = client.get("/agencies/admin-units/38").json()
    before = client.get("/agencies/admin-units/38?on=2025-06-30").json()
    missing = client.get("/agencies/admin-units/99")

    assert (today["scheme"], today["valid_to"]) == ("2025", None)
    assert (before["scheme"], before["successor_code"]) == ("2004", "38")
    assert missing.status_code == 404
    assert missing.json()["code"] == "agencies.unknown_admin_unit"


def test_bad_query_values_are_422_problems(client: TestClient, units: Units) -> None:
    response = client.get("/agencies/admin-units/?level=hamlet")

    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


def test_the_router_is_mounted_at_api_v1_agencies(agencies: Agencies) -> None:
    from django.test import Client

    response = Client().get("/api/v1/agencies/000.00.12.H56")

    assert response.status_code == 200
    assert response.json()["name"] == "Sở Tư pháp tỉnh Thanh Hóa"
