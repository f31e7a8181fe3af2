"""The officials' worklist pages served from the cache (``dossiers.worklist_cache``).

The cache is on here (``DOSSIER_WORKLIST_CACHE_SECONDS``; the tests' cache is the
process's own, which is what one process needs). Django runs a transaction's on-commit
callbacks only when it really commits: the writes are wrapped in
``django_capture_on_commit_callbacks(execute=True)``, as a commit would run them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.dossiers.factories import World, official
from tests.dossiers.test_views import client_for, received

from motcua.dossiers import actions, worklist_cache
from motcua.dossiers.models import Dossier
from motcua.identity.roles import Role
from motcua.kernel.actors import Actor, ActorKind

pytestmark = pytest.mark.django_db

Commit = Callable[..., AbstractContextManager[Any]]


@pytest.fixture(autouse=True)
def cached(settings: Any) -> Iterator[None]:
    settings.DOSSIER_WORKLIST_CACHE_SECONDS = 30
    cache.clear()
    yield
    cache.clear()


def page(client: Client, path: str) -> tuple[str, int]:
    """Return the page's HTML and the number of SQL statements it took."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def main(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


@dataclass
class DeskPage:
    """A received dossier, the desk's client and its "to transfer" page, just cached."""

    dossier: Dossier
    client: Client
    html: str
    statements: int

    def read(self) -> tuple[str, int]:
        return page(self.client, "/ho-so/?list=to_transfer")


@pytest.fixture
def desk_page(world: World, django_capture_on_commit_callbacks: Commit) -> DeskPage:
    with django_capture_on_commit_callbacks(execute=True):
        dossier = received(world)
    client = client_for("desk_officer")
    return DeskPage(dossier, client, *page(client, "/ho-so/?list=to_transfer"))


def test_a_page_seen_again_comes_from_the_cache_until_a_dossier_of_the_agency_changes(
    world: World, desk_page: DeskPage, django_capture_on_commit_callbacks: Commit
) -> None:
    again, served = desk_page.read()

    assert desk_page.dossier.code in desk_page.html
    assert main(again) == main(desk_page.html)  # the layout's CSRF token is new each time
    assert served == desk_page.statements - 2  # neither the tab counts nor the rows

    with django_capture_on_commit_callbacks(execute=True):
        actions.do_transfer_dossier(desk_page.dossier, actor=world.actors["desk"])
    after, recomputed = desk_page.read()

    assert desk_page.dossier.code not in after
    assert "Không có hồ sơ nào trong danh sách này." in after
    assert recomputed == desk_page.statements


def test_a_transfer_renews_the_page_of_the_agency_it_enters(
    world: World, django_capture_on_commit_callbacks: Commit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        dossier = received(world)
    justice = client_for("justice_reviewer")
    assert dossier.code not in page(justice, "/ho-so/?list=to_assign")[0]  # now cached

    with django_capture_on_commit_callbacks(execute=True):
        actions.do_transfer_dossier(dossier, actor=world.actors["desk"])

    assert dossier.code in page(justice, "/ho-so/?list=to_assign")[0]


def test_a_change_that_rolls_back_keeps_the_cached_page(
    world: World, desk_page: DeskPage, django_capture_on_commit_callbacks: Commit
) -> None:
    def transfer_then_fail() -> None:
        with transaction.atomic():
            actions.do_transfer_dossier(desk_page.dossier, actor=world.actors["desk"])
            raise RuntimeError("rolled back")

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        transfer_then_fail()

    html, served = desk_page.read()
    assert desk_page.dossier.code in html
    assert served == desk_page.statements - 2
    assert Dossier.objects.get(pk=desk_page.dossier.pk).state == "received"


def test_a_handler_sees_only_their_own_page_and_leaders_share_theirs(
    world: World, django_capture_on_commit_callbacks: Commit
) -> None:
    official("justice_handler_2", world.justice, "handler")
    with django_capture_on_commit_callbacks(execute=True):
        dossier = received(world)
        actions.do_transfer_dossier(dossier, actor=world.actors["desk"])
        actions.do_assign_dossier(
            Dossier.objects.get(pk=dossier.pk),
            actor=world.actors["justice_reviewer"],
            assignee_id=world.actors["justice_handler"].user_id,
        )

    mine = page(client_for("justice_handler"), "/ho-so/?list=to_process")[0]
    theirs = page(client_for("justice_handler_2"), "/ho-so/?list=to_process")[0]

    assert dossier.code in mine
    assert dossier.code not in theirs  # not the page cached for the first handler
    assert dossier.code in page(client_for("justice_reviewer"), "/ho-so/?list=to_process")[0]


def test_the_page_in_english_is_cached_apart(
    world: World, django_capture_on_commit_callbacks: Commit
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        received(world)
    desk = client_for("desk_officer")
    vietnamese = page(desk, "/ho-so/?list=to_transfer")[0]
    desk.cookies["django_language"] = "en"

    english = page(desk, "/ho-so/?list=to_transfer")[0]

    assert "Mới tiếp nhận" in vietnamese
    assert "Mới tiếp nhận" not in english


def test_without_the_setting_nothing_is_cached_or_touched(
    world: World, settings: Any, django_capture_on_commit_callbacks: Commit
) -> None:
    settings.DOSSIER_WORKLIST_CACHE_SECONDS = 0
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        dossier = received(world)
    assert not [c for c in callbacks if getattr(c, "func", None) is worklist_cache._bump]
    desk = client_for("desk_officer")

    assert page(desk, "/ho-so/?list=to_transfer")[1] == page(desk, "/ho-so/?list=to_transfer")[1]
    assert not cache.get(f"dossiers:worklist:v:{dossier.receiving_desk_id}")


REDIS_URL = "redis://127.0.0.1:6379/13"


def _redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


@pytest.mark.skipif(not _redis_reachable(), reason="needs Redis on 127.0.0.1:6379")
def test_with_redis_a_renewed_version_is_read_back_as_django_reads_it(settings: Any) -> None:
    # The renewal writes Redis directly (one MSET on a kept client), the page reads through
    # Django's cache: the two must agree on keys and on the stored form of the version.
    settings.CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
    cache.clear()
    actor = Actor(
        kind=ActorKind.OFFICIAL,
        id="5",
        user_id=5,
        agency_id=7,
        roles=frozenset({Role.DESK_OFFICER.value}),
    )
    computed: list[int] = []

    def compute() -> worklist_cache.CachedPage:
        computed.append(1)
        return worklist_cache.CachedPage(
            counts={"to_receive": len(computed)},
            rows_html="<tr></tr>",
            row_count=1,
            next_cursor=None,
        )

    def read() -> worklist_cache.CachedPage:
        return worklist_cache.cached_page(actor, ("to_receive",), own=False, compute=compute)

    assert read().counts == {"to_receive": 1}
    assert read().counts == {"to_receive": 1}
    assert len(computed) == 1
    worklist_cache._bump(frozenset({7, 8}))
    versions = cache.get_many([worklist_cache._version_key(7), worklist_cache._version_key(8)])
    assert len(versions) == 2
    assert len(set(versions.values())) == 1
    assert isinstance(versions[worklist_cache._version_key(7)], int)
    assert read().counts == {"to_receive": 2}
    assert read().counts == {"to_receive": 2}
    worklist_cache._bump(frozenset({8}))  # another agency: this page stays
    assert read().counts == {"to_receive": 2}
    assert len(computed) == 2
    cache.clear()
