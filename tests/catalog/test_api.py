"""``/api/v1/procedures``: list with filters and pages, detail by code and by version, 404s."""

from __future__ import annotations

import pytest

from motcua.catalog.actions import (
    do_create_procedure,
    do_create_procedure_version,
    do_publish_procedure_version,
)
from tests.catalog.factories import JUSTICE, announcement, procedure_data

URL = "/api/v1/procedures/"


@pytest.fixture
def catalogue(agencies, catalog_admin):
    v1 = do_publish_procedure_version(
        do_create_procedure(procedure_data(), actor=catalog_admin), actor=catalog_admin
    )
    do_publish_procedure_version(
        do_create_procedure(
            procedure_data(
                "2.000635",
                name="Cấp bản sao trích lục hộ tịch",
                implementing_agency_codes=[JUSTICE],
                online_level="partial",
            ),
            actor=catalog_admin,
        ),
        actor=catalog_admin,
    )
    do_create_procedure_version(
        v1.procedure,
        actor=catalog_admin,
        data=procedure_data(
            name="Đăng ký khai sinh (dự thảo)",
            announcement=announcement("9/QĐ-UBND", "2030-01-01", "2030-02-01"),
        ),
    )


@pytest.mark.usefixtures("catalogue")
class TestList:
    def test_lists_versions_in_force_by_code(self, client):
        body = client.get(URL).json()
        assert (body["total"], body["page"], body["num_pages"]) == (2, 1, 1)
        first = body["items"][0]
        assert first["code"] == "1.001193"
        assert first["version"] == 1
        assert first["name"] == "Đăng ký khai sinh"
        assert first["field_name"] == "Hộ tịch"
        assert first["implementing_agencies"] == [
            {"code": "000.00.41.H56", "name": "Ủy ban nhân dân phường Hạc Thành"}
        ]
        assert first["cases"][0]["time_limit_display"] == "1 ngày làm việc"

    def test_q_is_diacritics_insensitive_and_filters_combine(self, client):
        assert [i["code"] for i in client.get(URL, {"q": "trich luc"}).json()["items"]] == [
            "2.000635"
        ]
        assert [i["code"] for i in client.get(URL, {"agency": JUSTICE}).json()["items"]] == [
            "2.000635"
        ]
        assert [
            i["code"]
            for i in client.get(
                URL, {"online_level": "full", "subject": "citizen", "level": "commune"}
            ).json()["items"]
        ] == ["1.001193"]
        assert client.get(URL, {"field": "KHAC"}).json()["total"] == 0

    def test_pagination(self, client):
        body = client.get(URL, {"page": 2, "page_size": 1}).json()
        assert [i["code"] for i in body["items"]] == ["2.000635"]
        assert (body["total"], body["num_pages"]) == (2, 2)

    def test_bad_filter_is_a_problem(self, client):
        response = client.get(URL, {"level": "district", "page_size": 1000})
        assert response.status_code == 422
        assert response["Content-Type"] == "application/problem+json"
        body = response.json()
        assert body["code"] == "invalid_input"
        assert {e["field"] for e in body["errors"]} == {"query.level", "query.page_size"}

    def test_fields(self, client):
        assert client.get(URL + "fields").json() == [{"code": "G01-HT", "name": "Hộ tịch"}]


@pytest.mark.usefixtures("catalogue")
class TestDetail:
    def test_detail_is_the_version_in_force_in_the_exchange_format(
        self, client, django_assert_num_queries
    ):
        with django_assert_num_queries(2):  # the version with its content, the listings
            response = client.get(URL + "1.001193")
        assert response.status_code == 200
        body = response.json()
        assert (body["code"], body["version"], body["state"]) == ("1.001193", 1, "published")
        assert body["valid_from"] == "2025-06-30T17:00:00Z"
        assert body["announcement"]["number"] == "1234/QĐ-UBND"
        assert body["steps"][0] == {
            "case_code": "TH1",
            "name": "Tiếp nhận hồ sơ",
            "agency_code": "",
            "agency_name": "",
            "role": "desk_officer",
            "duration": 2,
            "duration_unit": "hours",
        }
        assert body["documents"][1]["replaceable_by_data"] is True

    def test_detail_at_a_date_before_publication_is_404(self, client):
        response = client.get(URL + "1.001193", {"at": "2025-01-01T00:00:00+07:00"})
        assert response.status_code == 404
        assert response.json()["code"] == "catalog.no_version_in_force"

    def test_unknown_code_is_a_404_problem(self, client):
        response = client.get(URL + "1.999999")
        assert response.status_code == 404
        assert response["Content-Type"] == "application/problem+json"
        body = response.json()
        assert body["code"] == "catalog.unknown_procedure"
        assert body["title"] == "Không có thủ tục hành chính mã “1.999999”."

    def test_version_by_number(self, client):
        assert client.get(URL + "1.001193/versions/1").json()["name"] == "Đăng ký khai sinh"
        missing = client.get(URL + "1.001193/versions/7")
        assert (missing.status_code, missing.json()["code"]) == (404, "catalog.unknown_version")

    def test_drafts_are_hidden_from_the_public(self, client):
        response = client.get(URL + "1.001193/versions/2")
        assert (response.status_code, response.json()["code"]) == (404, "catalog.unknown_version")

    def test_drafts_are_visible_to_a_superuser(self, client, django_user_model):
        admin = django_user_model.objects.create_superuser("root", "root@example.vn", "x")
        client.force_login(admin)
        body = client.get(URL + "1.001193/versions/2").json()
        assert (body["state"], body["name"]) == ("draft", "Đăng ký khai sinh (dự thảo)")
