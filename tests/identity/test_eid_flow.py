"""The e-ID login end to end against the local provider running in a thread."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from motcua.audit.models import AuditEvent
from motcua.identity.models import Citizen
from tests.identity.eid import LEVEL2, log_in_with_eid

pytestmark = pytest.mark.django_db


def test_a_level_2_citizen_logs_in_and_their_verified_identity_is_kept(fake_eid: Any) -> None:
    client = Client()

    response = log_in_with_eid(client, LEVEL2.login, next_url="/thu-tuc/")

    assert response.status_code == 302
    assert response["Location"] == "/thu-tuc/"
    citizen = Citizen.objects.get()
    assert citizen.full_name == "Nguyễn Văn An"
    assert citizen.personal_id == "038085001234"
    assert citizen.birth_date == dt.date(1985, 3, 14)
    assert citizen.assurance_level == 2
    assert citizen.issuer == fake_eid.url
    assert int(client.session["_auth_user_id"]) == citizen.pk
    event = AuditEvent.objects.get(aggregate_type="identity.citizen")
    assert event.action == "identity.citizen.logged_in"
