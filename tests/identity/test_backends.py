"""The authentication backend: each request's user and its actor from one query."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from motcua.identity.backends import AccountBackend
from motcua.identity.selectors import get_actor
from tests.agencies.factories import Agencies
from tests.identity.conftest import PASSWORD, Officials, make_official
from tests.identity.factories import make_citizen

pytestmark = pytest.mark.django_db


def test_the_request_user_carries_its_actor_so_the_actor_costs_no_query(
    officials: Officials,
) -> None:
    user = AccountBackend().get_user(officials.handler.user.pk)
    assert user is not None

    with CaptureQueriesContext(connection) as queries:
        actor = get_actor(user)

    assert len(queries) == 0
    assert actor == get_actor(get_user_model().objects.get(pk=user.pk))
    assert actor.roles == frozenset({"handler"})


def test_an_official_with_several_roles_and_a_citizen_are_read_alike(
    agencies: Agencies,
) -> None:
    leader = make_official(agencies.justice, "lanhdao", "reviewer", "signer", full_name="Lê Thị Hà")
    citizen_user = make_citizen(sub="sub-backend", name="Phạm Văn Bảo").user

    for pk in (leader.user.pk, citizen_user.pk):
        loaded = AccountBackend().get_user(pk)
        assert get_actor(loaded) == get_actor(get_user_model().objects.get(pk=pk))
    assert get_actor(AccountBackend().get_user(leader.user.pk)).roles == {"reviewer", "signer"}


def test_an_inactive_or_unknown_user_is_not_loaded(officials: Officials) -> None:
    user = officials.handler.user
    user.is_active = False
    user.save(update_fields=["is_active"])

    assert AccountBackend().get_user(user.pk) is None
    assert AccountBackend().get_user(987654) is None


def test_a_logged_in_page_reads_the_user_and_the_actor_once(officials: Officials) -> None:
    client = Client()
    assert client.login(username=officials.handler.user.username, password=PASSWORD)

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/ho-so/")

    assert response.status_code == 200
    user_reads = [q["sql"] for q in queries if 'FROM "auth_user"' in q["sql"]]
    assert len(user_reads) == 1, user_reads
    assert "identity_official" in user_reads[0]
