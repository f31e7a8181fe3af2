"""``/api/v1/calendar``: a year's overrides and the due-date computation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from motcua.agencies.models import Agency
from motcua.kernel.actors import Actor
from motcua.workdays import actions
from motcua.workdays.seed import KNOWN_SWAPS

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.workdays.urls")]
T = dt.time


def test_year_lists_days_off_and_working_saturdays_with_their_source(client: Client) -> None:
    response = client.get("/api/v1/calendar/2025")
    assert response.status_code == 200
    body = response.json()
    assert body["year"] == 2025
    assert body["source"] == "package"
    assert body["working_days"] == 250
    by_date = {day["date"]: day for day in body["days"]}
    assert by_date["2025-04-26"] == {
        "date": "2025-04-26",
        "kind": "extra_working_day",
        "kind_label": "Ngày làm bù",
        "name": "Ngày làm bù (thay cho ngày nghỉ 02/05/2025)",
        "source_document": KNOWN_SWAPS[dt.date(2025, 4, 26)][1],
        "is_working_day": True,
    }
    assert by_date["2025-05-02"]["kind"] == "compensatory_off"
    assert by_date["2025-04-30"]["kind"] == "holiday"
    assert len(body["days"]) == 13  # 12 weekdays off, 1 working Saturday


def test_a_seeded_year_says_so(client: Client, system_admin: Actor) -> None:
    actions.do_seed_calendar_from_holidays([2025], actor=system_admin)
    assert client.get("/api/v1/calendar/2025").json()["source"] == "database"


def test_a_year_outside_the_calendar_is_a_problem(client: Client) -> None:
    response = client.get("/api/v1/calendar/1999")
    assert response.status_code == 422
    assert response["content-type"] == "application/problem+json"
    assert response.json()["code"] == "calendar.out_of_range"


@pytest.mark.parametrize(
    ("received_at", "deemed", "due"),
    [
        ("2025-04-25T10:00:00+07:00", "2025-04-25T10:00:00+07:00", "2025-04-29T17:00:00+07:00"),
        ("2025-04-25T16:00:00+07:00", "2025-04-26T07:30:00+07:00", "2025-05-05T17:00:00+07:00"),
        ("2025-04-25T09:00:00Z", "2025-04-26T07:30:00+07:00", "2025-05-05T17:00:00+07:00"),
    ],
)
def test_due_date_worked_examples(client: Client, received_at: str, deemed: str, due: str) -> None:
    response = client.get(
        "/api/v1/calendar/due-date",
        {"received_at": received_at, "time_limit": 3, "time_unit": "working_days"},
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["deemed_receipt_at"] == deemed
    assert body["due_at"] == due
    assert body["agency"] is None
    assert body["schedule"] == {
        "morning_start": "07:30:00",
        "morning_end": "11:30:00",
        "afternoon_start": "13:30:00",
        "afternoon_end": "17:00:00",
        "cutoff_time": "15:00:00",
        "due_time": "end_of_office_hours",
    }


def test_due_date_uses_the_agencys_schedule(
    client: Client, agency: Agency, system_admin: Actor
) -> None:
    actions.do_set_agency_schedule(
        agency,
        actor=system_admin,
        morning_start=T(7),
        morning_end=T(11),
        afternoon_start=T(13),
        afternoon_end=T(16, 30),
        cutoff_time=T(16),
    )
    response = client.get(
        "/api/v1/calendar/due-date",
        {
            "received_at": "2025-04-24T15:30:00+07:00",
            "time_limit": 4,
            "time_unit": "hours",
            "agency": agency.code,
        },
    )
    body = response.json()
    # 15:30–16:30 is one hour; three more from 07:00 on Friday end at 10:00.
    assert (body["deemed_receipt_at"], body["due_at"]) == (
        "2025-04-24T15:30:00+07:00",
        "2025-04-25T10:00:00+07:00",
    )
    assert body["agency"] == "000.00.12.H38"


def test_due_date_same_clock_time(client: Client) -> None:
    response = client.get(
        "/api/v1/calendar/due-date",
        {
            "received_at": "2025-04-25T10:20:00+07:00",
            "time_limit": 3,
            "due_time": "same_clock_time",
        },
    )
    assert response.json()["due_at"] == "2025-04-29T10:20:00+07:00"


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"agency": "000.00.99.H99"}, 404, "agencies.unknown_agency"),
        ({"received_at": "2025-04-25T10:00:00"}, 422, "calendar.naive_datetime"),
        ({"time_limit": 2.5}, 422, "calendar.invalid_time_limit"),
        ({"time_limit": -1}, 422, "invalid_input"),
        ({"time_unit": "weeks"}, 422, "invalid_input"),
        ({"received_at": "2100-12-31T10:00:00+07:00"}, 422, "calendar.out_of_range"),
    ],
)
def test_due_date_errors_are_problems_with_stable_codes(
    client: Client, params: dict[str, object], status: int, code: str
) -> None:
    query = {"received_at": "2025-04-25T10:00:00+07:00", "time_limit": 3, **params}
    response = client.get("/api/v1/calendar/due-date", query)
    assert response.status_code == status, response.content
    assert response["content-type"] == "application/problem+json"
    assert response.json()["code"] == code
