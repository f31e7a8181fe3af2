"""Public pages, the JSON API, open data, bad input, and who may see the dossiers behind
an indicator."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest
from django.test import Client

from motcua.scoreboard.models import DossierFact, ScoreCounter
from tests.dossiers import flows
from tests.dossiers.conftest import Clock, local
from tests.dossiers.factories import World
from tests.scoreboard.conftest import relay


@pytest.fixture
def data(world: World, scored: dict[str, Any], frozen: Clock) -> dict[str, Any]:
    flows.result_ready(world)  # Sở Tư pháp, on time
    flows.received(world)  # Sở Tư pháp, open
    relay()
    return scored


def _user(world: World, name: str) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(pk=world.actors[name].user_id)


def test_the_league_table(client: Client, data: dict[str, Any]) -> None:
    response = client.get("/chi-so-phuc-vu/?ky=2025-Q4&loai=department")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Xếp hạng Sở, ban, ngành — Quý IV/2025" in html
    assert "số liệu tạm tính" in html
    assert html.index("Sở Tư pháp tỉnh Thanh Hóa") < html.index("Sở Xây dựng tỉnh Thanh Hóa")
    assert 'href="/chi-so-phuc-vu/du-lieu-mo/2025-Q4.csv?loai=department"' in html


def test_a_units_page_shows_its_groups_and_trend_without_explain_links_for_the_public(
    client: Client, data: dict[str, Any]
) -> None:
    response = client.get("/chi-so-phuc-vu/don-vi/000.00.12.H56/?ky=2025-Q4")
    html = response.content.decode()
    assert response.status_code == 200
    for label in ("Công khai, minh bạch", "Tiến độ, kết quả giải quyết", "Mức độ hài lòng"):
        assert label in html
    assert "Tỷ lệ hồ sơ xử lý đúng hạn" in html
    assert 'id="trend-data"' in html
    assert "<caption" in html
    assert "/giai-trinh/" not in html  # the public sees counts only


def test_an_official_of_the_unit_opens_the_dossiers_behind_an_indicator(
    client: Client, world: World, data: dict[str, Any]
) -> None:
    client.force_login(_user(world, "justice_signer"))
    page = client.get("/chi-so-phuc-vu/don-vi/000.00.12.H56/?ky=2025-Q4").content.decode()
    assert "/chi-so-phuc-vu/don-vi/000.00.12.H56/giai-trinh/DOSSIER_ON_TIME/" in page
    response = client.get(
        "/chi-so-phuc-vu/don-vi/000.00.12.H56/giai-trinh/DOSSIER_ON_TIME/?ky=2025-Q4&phan=mau-so"
    )
    html = response.content.decode()
    assert response.status_code == 200
    codes = list(DossierFact.objects.order_by("pk").values_list("code", flat=True))
    assert all(code in html for code in codes)
    assert "2 hồ sơ." in html


def test_an_official_of_another_unit_may_not(
    client: Client, world: World, data: dict[str, Any]
) -> None:
    client.force_login(_user(world, "hanoi_signer"))
    response = client.get(
        "/chi-so-phuc-vu/don-vi/000.00.12.H56/giai-trinh/DOSSIER_ON_TIME/?ky=2025-Q4"
    )
    assert response.status_code == 403
    api = client.get(
        "/api/v1/scoreboard/units/000.00.12.H56/explain/DOSSIER_ON_TIME?period=2025-Q4"
    )
    assert (api.status_code, api.json()["code"]) == (403, "scoreboard.explain_not_allowed")


def test_the_public_may_not_open_the_list(client: Client, data: dict[str, Any]) -> None:
    response = client.get(
        "/chi-so-phuc-vu/don-vi/000.00.12.H56/giai-trinh/DOSSIER_ON_TIME/?ky=2025-Q4"
    )
    assert response.status_code == 403
    assert (
        client.get(
            "/api/v1/scoreboard/units/000.00.12.H56/explain/DOSSIER_ON_TIME?period=2025-Q4"
        ).status_code
        == 401
    )


@pytest.mark.parametrize(
    "indicator", ["DOSSIER_ON_TIME", "DOSSIER_SYNC", "ONLINE_DOSSIERS", "ORIGINAL_RESULT_AVAILABLE",
                  "SO_HOA_GIAY_TO_GIAI_QUYET", "PAYMENT_ONLINE_DOSSIERS", "DOSSIER_RECEIVING_SATISFACTION",
                  "CITIZEN_DATA_CONNECTED_DOSSIER"],
)  # fmt: skip
def test_the_explain_lists_count_what_the_counters_count(
    client: Client, world: World, data: dict[str, Any], indicator: str
) -> None:
    client.force_login(_user(world, "justice_signer"))
    unit = client.get("/api/v1/scoreboard/units/000.00.12.H56?period=2025-Q4").json()
    shown = next(i for g in unit["groups"] for i in g["indicators"] if i["code"] == indicator)
    for part, key in (("numerator", "numerator"), ("denominator", "denominator")):
        listed = client.get(
            f"/api/v1/scoreboard/units/000.00.12.H56/explain/{indicator}?period=2025-Q4&part={part}"
        ).json()
        assert listed["total"] == shown[key], (indicator, part)


def test_the_api_league_and_unit(client: Client, data: dict[str, Any]) -> None:
    league = client.get("/api/v1/scoreboard/periods/2025-Q4/units?kind=department").json()
    assert league["profile"] == "qd766 v1"
    assert league["is_final"] is False
    first = league["rows"][0]
    assert (first["unit"]["code"], first["rank"]) == ("000.00.12.H56", 1)
    assert set(first["groups"]) == {"CKMB", "TDGQ", "CLGQ", "TTTT", "MDSH", "MDHL"}
    unit = client.get("/api/v1/scoreboard/units/000.00.12.H56?period=2025-Q4").json()
    on_time = next(
        i for g in unit["groups"] for i in g["indicators"] if i["code"] == "DOSSIER_ON_TIME"
    )
    assert (on_time["numerator"], on_time["denominator"], on_time["rate"], on_time["score"]) == (
        2,
        2,
        100.0,
        20.0,
    )
    assert unit["total"] == first["total"]


def test_open_data_csv_and_json(client: Client, data: dict[str, Any]) -> None:
    response = client.get("/chi-so-phuc-vu/du-lieu-mo/2025-Q4.csv?loai=department")
    assert response.status_code == 200
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="chi-so-766-2025-Q4-department.csv"'
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    justice = [
        r for r in rows if r["unit_code"] == "000.00.12.H56" and r["indicator"] == "DOSSIER_ON_TIME"
    ]
    assert justice == [
        {
            "period": "2025-Q4", "profile": "qd766 v1", "unit_code": "000.00.12.H56",
            "unit_name": "Sở Tư pháp tỉnh Thanh Hóa", "unit_kind": "department", "group": "TDGQ",
            "indicator": "DOSSIER_ON_TIME", "numerator": "2", "denominator": "2", "rate": "100.0",
            "score": "20.0", "max_score": "20.0", "status": "ok", "group_score": "20.0",
            "total": justice[0]["total"], "rank": "1", "band": justice[0]["band"], "is_final": "False",
        }
    ]  # fmt: skip
    payload = json.loads(client.get("/chi-so-phuc-vu/du-lieu-mo/2025-Q4.json").content)
    assert payload["period"] == "2025-Q4"
    assert {r["unit_kind"] for r in payload["rows"]} == {"province", "department", "commune"}


@pytest.mark.parametrize(
    ("url", "status", "code"),
    [
        ("/api/v1/scoreboard/units/000.99.99.H56?period=2025-Q4", 404, "scoreboard.unknown_unit"),
        ("/api/v1/scoreboard/periods/2025-13/units", 404, "scoreboard.unknown_period"),
        ("/api/v1/scoreboard/periods/2026-Q1/units", 404, "scoreboard.period_not_started"),
        # A month counts only after it ends: October 2025 asked as final on 06/10/2025.
        ("/api/v1/scoreboard/periods/2025-10/units?final=true", 422, "scoreboard.period_not_ended"),
        ("/api/v1/scoreboard/units/000.00.12.H56?period=2025-10&final=true", 422, "scoreboard.period_not_ended"),
        ("/api/v1/scoreboard/units/000.00.12.H56?period=2025-Q4&procedure=9.999999", 404, "scoreboard.unknown_procedure"),
    ],
)  # fmt: skip
def test_bad_input_is_a_clear_error_and_writes_nothing(
    client: Client, data: dict[str, Any], url: str, status: int, code: str
) -> None:
    before = ScoreCounter.objects.count()
    response = client.get(url)
    assert (response.status_code, response.json()["code"]) == (status, code)
    assert response["Content-Type"] == "application/problem+json"
    assert ScoreCounter.objects.count() == before


def test_a_final_month_is_served_once_it_has_ended(
    client: Client, data: dict[str, Any], frozen: Clock
) -> None:
    frozen.set(local(2025, 11, 1, 0, 0))
    assert client.get("/api/v1/scoreboard/periods/2025-10/units?final=true").status_code == 200


def test_bad_input_on_the_pages(client: Client, data: dict[str, Any]) -> None:
    assert client.get("/chi-so-phuc-vu/don-vi/000.99.99.H56/").status_code == 404
    response = client.get("/chi-so-phuc-vu/?ky=2025-Q7")
    assert response.status_code == 404
    assert "Kỳ đánh giá “2025-Q7” không hợp lệ" in response.content.decode()
    assert client.get("/chi-so-phuc-vu/?ky=2025-10&chinh_thuc=1").status_code == 422
    assert client.get("/chi-so-phuc-vu/?loai=planet").status_code == 404


def test_the_methodology_names_what_the_platform_does_not_support(
    client: Client, data: dict[str, Any]
) -> None:
    html = client.get("/chi-so-phuc-vu/phuong-phap/").content.decode()
    assert "qd766 v1" in html
    assert "Tỷ lệ PAKN xử lý đúng hạn" in html
    assert "Dữ liệu của nền tảng chưa hỗ trợ" in html
