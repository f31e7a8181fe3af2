"""Fixtures of the working-day calendar tests: engines from plain data, actors, agencies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from zoneinfo import ZoneInfo

import pytest

from motcua.agencies.models import Agency, AgencyKind, AgencyLevel
from motcua.identity.roles import Role
from motcua.kernel.actors import Actor, ActorKind
from motcua.workdays.engine import WorkCalendar
from motcua.workdays.seed import holiday_entries
from motcua.workdays.selectors import invalidate_calendar_cache

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def vn(*args: int) -> dt.datetime:
    """Return an aware datetime in Asia/Ho_Chi_Minh: ``vn(2025, 4, 25, 10)``."""
    return dt.datetime(*args, tzinfo=VN)  # type: ignore[misc]


@pytest.fixture(scope="session")
def cal() -> WorkCalendar:
    """The package's calendar (with the parsed working Saturdays) for 2020–2030."""
    return WorkCalendar.from_entries(
        holiday_entries(2020, 2030), first_day=dt.date(2020, 1, 1), last_day=dt.date(2030, 12, 31)
    )


@pytest.fixture(autouse=True)
def _fresh_calendar_cache() -> Iterator[None]:
    # Each test's transaction is rolled back: make the next read compare tokens again.
    invalidate_calendar_cache()
    yield
    invalidate_calendar_cache()


@pytest.fixture
def system_admin() -> Actor:
    return Actor(
        kind=ActorKind.OFFICIAL,
        id="1",
        display_name="Quản trị hệ thống",
        roles=frozenset({Role.SYSTEM_ADMIN}),
    )


@pytest.fixture
def agency() -> Agency:
    return Agency.objects.create(
        code="000.00.12.H38",
        name="Sở Tư pháp tỉnh Thanh Hóa",
        kind=AgencyKind.DEPARTMENT,
        level=AgencyLevel.PROVINCE,
    )


@pytest.fixture
def other_agency() -> Agency:
    return Agency.objects.create(
        code="000.00.13.H38",
        name="Sở Xây dựng tỉnh Thanh Hóa",
        kind=AgencyKind.DEPARTMENT,
        level=AgencyLevel.PROVINCE,
    )


@pytest.fixture
def agency_admin(agency: Agency) -> Actor:
    return Actor(
        kind=ActorKind.OFFICIAL,
        id="2",
        display_name="Quản trị Sở Tư pháp",
        agency_id=agency.pk,
        roles=frozenset({Role.AGENCY_ADMIN}),
    )
