from __future__ import annotations

from tests.dossiers import flows
from tests.scoreboard.conftest import counters, relay


def test_a_received_dossier_is_counted(world, scored) -> None:
    flows.received(world, chain=False)
    relay()
    justice = scored["justice"]
    print(counters(justice, "2025-10"))
    print(counters(scored["province"], "2025-Q4"))
    assert counters(justice, "2025-10")["received"] == 1


def test_pages_render(client, world, scored) -> None:
    flows.received(world, chain=False)
    relay()
    for url in [
        "/chi-so-phuc-vu/",
        "/chi-so-phuc-vu/?loai=commune&ky=2025-10",
        "/chi-so-phuc-vu/phuong-phap/",
        f"/chi-so-phuc-vu/don-vi/{scored['justice'].code}/",
        f"/chi-so-phuc-vu/don-vi/{scored['justice'].code}/?ky=2025-10&thu_tuc=1.000002",
        "/chi-so-phuc-vu/du-lieu-mo/2025-Q4.csv",
        "/chi-so-phuc-vu/du-lieu-mo/2025-Q4.json?loai=department",
    ]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.content[:3000])


def test_api(client, world, scored) -> None:
    flows.received(world, chain=False)
    relay()
    for url in [
        "/api/v1/scoreboard/periods/2025-Q4/units?kind=department",
        f"/api/v1/scoreboard/units/{scored['justice'].code}?period=2025-10",
        f"/api/v1/scoreboard/units/{scored['justice'].code}/trend?year=2025",
        "/api/v1/scoreboard/open-data/2025-Q4",
        "/api/v1/scoreboard/profiles",
    ]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.content[:3000])
    assert client.get("/api/v1/scoreboard/periods/2025-13/units").status_code == 404
    r = client.get("/api/v1/scoreboard/periods/2025-10/units?final=true")
    assert r.status_code == 422, r.content
