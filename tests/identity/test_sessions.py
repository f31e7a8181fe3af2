"""The session engine reads what Django's database engine would, with one written query."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from motcua.identity.sessions import SessionStore

pytestmark = pytest.mark.django_db


def test_a_saved_session_is_read_back_in_one_query() -> None:
    saved = SessionStore()
    saved["greeting"] = "xin chào"
    saved.create()

    with CaptureQueriesContext(connection) as queries:
        loaded = SessionStore(saved.session_key)
        assert loaded["greeting"] == "xin chào"

    assert len(queries) == 1
    assert loaded.session_key == saved.session_key


def test_an_expired_or_unknown_session_is_empty_and_forgets_its_key() -> None:
    expired = SessionStore()
    expired["greeting"] = "xin chào"
    expired.create()
    Session.objects.filter(session_key=expired.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )

    for key in (expired.session_key, "k" * 32):
        store = SessionStore(key)
        assert dict(store.items()) == {}
        assert store.session_key is None


def test_a_login_survives_the_next_request(client, django_user_model) -> None:  # type: ignore[no-untyped-def]
    django_user_model.objects.create_user("an.nguyen", password="mat-khau-dai-38")
    assert client.login(username="an.nguyen", password="mat-khau-dai-38")

    assert client.session.session_key
    assert SessionStore(client.session.session_key)["_auth_user_id"]
