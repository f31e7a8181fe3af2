"""The year page: month tables, accessible markup, text labels."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client

from motcua.kernel import clock

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.workdays.urls")]


def test_index_redirects_to_the_current_year(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 31/12/2026 18:00 UTC is already 2027 in Hà Nội.
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2026, 12, 31, 18, tzinfo=dt.UTC))
    response = client.get("/lich-lam-viec/")
    assert response.status_code == 302
    assert response["location"] == "/lich-lam-viec/year/2027/"


def test_year_page_shows_twelve_accessible_month_tables(client: Client) -> None:
    response = client.get("/lich-lam-viec/year/2025/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Lịch làm việc năm 2025" in html
    assert html.count("<caption") == 12
    assert "Tháng 4 năm 2025" in html
    assert html.count('<th scope="col">') == 12 * 7
    assert "Năm 2025 có 250 ngày làm việc." in html
    assert "tạm tính theo thư viện holidays" in html


def _cell(html: str, iso: str) -> str:
    match = re.search(rf'<td[^>]*>\s*<time datetime="{iso}">.*?</td>', html, re.S)
    assert match, iso
    return match.group(0)


def test_days_are_labelled_in_text_not_only_by_colour(client: Client) -> None:
    html = client.get("/lich-lam-viec/year/2025/").content.decode()
    assert "Làm bù" in _cell(html, "2025-04-26")
    assert "Nghỉ bù" in _cell(html, "2025-05-02")
    assert "Nghỉ lễ, tết" in _cell(html, "2025-04-30")
    assert "nghỉ cuối tuần" in _cell(html, "2025-04-27")
    assert "Nghỉ" not in _cell(html, "2025-04-28")
    assert (
        '<time datetime="2025-04-26">26/04</time> — Ngày làm bù: '
        "Ngày làm bù (thay cho ngày nghỉ 02/05/2025)"
    ) in html


def test_today_is_marked(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "now", lambda: dt.datetime(2025, 4, 28, 3, tzinfo=dt.UTC))
    html = client.get("/lich-lam-viec/year/2025/").content.decode()
    assert 'aria-current="date"' in _cell(html, "2025-04-28")
    assert html.count('aria-current="date"') == 1


def test_years_outside_the_calendar_are_not_found(client: Client) -> None:
    assert client.get("/lich-lam-viec/year/1999/").status_code == 404
    assert client.get("/lich-lam-viec/year/2101/").status_code == 404
    html = client.get("/lich-lam-viec/year/2100/").content.decode()
    assert "/lich-lam-viec/year/2099/" in html
    assert "/lich-lam-viec/year/2101/" not in html
