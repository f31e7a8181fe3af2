"""Fixtures of the agencies tests."""

from __future__ import annotations

import pytest

from tests.agencies.factories import Agencies, Units, make_agencies, make_units


@pytest.fixture
def units(db: None) -> Units:
    return make_units()


@pytest.fixture
def agencies(units: Units) -> Agencies:
    return make_agencies()
