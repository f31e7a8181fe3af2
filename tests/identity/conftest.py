"""Fixtures of the identity tests: the agencies of one province and a few officials."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from motcua.agencies.models import Agency
from motcua.identity.actions import do_create_official
from motcua.identity.models import Official
from motcua.kernel.actors import Actor
from tests.agencies.factories import Agencies, make_agencies, make_units

PASSWORD = "cau-ngang-song-38"


@pytest.fixture
def agencies(db: None) -> Agencies:
    make_units()
    return make_agencies()


@dataclass
class Officials:
    province_admin: Official
    commune_admin: Official
    handler: Official
    desk_officer: Official


def make_official(
    agency: Agency,
    username: str,
    *roles: str,
    full_name: str = "Nguyễn Văn An",
    is_superuser: bool = False,
) -> Official:
    return do_create_official(
        actor=Actor.system("tests"),
        username=username,
        password=PASSWORD,
        full_name=full_name,
        agency=agency,
        roles=roles,
        is_superuser=is_superuser,
    )


@pytest.fixture
def officials(agencies: Agencies) -> Officials:
    return Officials(
        province_admin=make_official(
            agencies.province_pc, "quantri.tinh", "agency_admin", full_name="Lê Văn Quản"
        ),
        commune_admin=make_official(
            agencies.commune_pc, "quantri.xa", "agency_admin", full_name="Trần Thị Xã"
        ),
        handler=make_official(agencies.justice, "thuly", "handler", full_name="Vũ Thị Hương"),
        desk_officer=make_official(
            agencies.commune_pasc, "tiepnhan", "desk_officer", full_name="Hoàng Văn Minh"
        ),
    )


@pytest.fixture
def admin_client(agencies: Agencies) -> Client:
    """A client logged in as a superuser official (system administrator)."""
    admin = make_official(
        agencies.province_pc, "admin", "system_admin", full_name="Quản trị", is_superuser=True
    )
    client = Client()
    client.force_login(admin.user)
    return client
