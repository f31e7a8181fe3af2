"""Fixtures of the documents tests: private file and CA directories, agencies, actors, contexts.

The CA is created once per test session in a temporary directory (RSA key generation
is the slow part); every test gets its own ``MEDIA_ROOT`` so that "nothing was
written" can be checked on disk.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings

from motcua.agencies.models import Agency, AgencyKind, AgencyLevel
from motcua.kernel.actors import Actor, ActorKind
from tests.documents.samples import DOSSIER_CODE, make_context

__all__ = [
    "DOSSIER_CODE",
    "HEALTH_CODE",
    "JUSTICE_CODE",
    "make_context",
    "official",
    "stored_files",
]

JUSTICE_CODE = "000.00.12.H56"
HEALTH_CODE = "000.00.13.H56"


@pytest.fixture(scope="session", autouse=True)
def _documents_ca_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    directory = tmp_path_factory.mktemp("ca")
    with override_settings(
        DOCUMENTS_CA_DIR=directory, DOCUMENTS_PUBLIC_BASE_URL="https://motcua.thanhhoa.gov.vn"
    ):
        yield directory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path: Path) -> Path:
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


@pytest.fixture
def justice(db) -> Agency:
    return Agency.objects.create(
        code=JUSTICE_CODE,
        name="Sở Tư pháp tỉnh Thanh Hóa",
        kind=AgencyKind.DEPARTMENT,
        level=AgencyLevel.PROVINCE,
    )


@pytest.fixture
def health(db) -> Agency:
    return Agency.objects.create(
        code=HEALTH_CODE,
        name="Sở Y tế tỉnh Thanh Hóa",
        kind=AgencyKind.DEPARTMENT,
        level=AgencyLevel.PROVINCE,
    )


def official(agency: Agency, *roles: str, id: str = "21") -> Actor:
    return Actor(
        kind=ActorKind.OFFICIAL,
        id=id,
        display_name="Cán bộ",
        agency_id=agency.pk,
        roles=frozenset(roles),
    )


@pytest.fixture
def citizen() -> Actor:
    return Actor(kind=ActorKind.CITIZEN, id="c-1", display_name="Công dân")
