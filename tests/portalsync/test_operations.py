"""The operations page, the reconciliation command and the admin of the portal sync."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client, override_settings

from motcua.integration.fakes import FakeServer
from motcua.integration.models import OutboxMessage
from motcua.portalsync.models import PortalEvent
from tests.dossiers import flows
from tests.dossiers.conftest import Clock
from tests.dossiers.factories import World
from tests.portalsync.conftest import drain

pytestmark = pytest.mark.django_db


def _client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


@override_settings(OUTBOX_MAX_ATTEMPTS=1)
def test_the_page_lists_late_and_failing_dossiers(
    world: World, portal: FakeServer, frozen: Clock
) -> None:
    portal.app.fail_next(1, status=503)
    failing = flows.received(world, chain=False)
    drain()
    frozen.set(frozen.moment + dt.timedelta(minutes=12))

    response = _client("desk_officer").get("/dong-bo-dvcqg/")

    assert response.status_code == 200
    text = response.content.decode()
    assert "<h1>Đồng bộ Cổng Dịch vụ công quốc gia</h1>" in text
    assert failing.code in text
    assert "12 phút — <strong>trễ</strong>" in text
    assert "UNAVAILABLE HTTP 503" in text
    assert "Sự kiện đã dừng thử lại (cần xử lý)</dt>" in text


def test_the_header_links_the_page_for_those_who_may_see_it(world: World) -> None:
    # A desk officer's header links their dossiers and this page (marked current here)
    desk = _client("desk_officer")
    home = desk.get("/").content.decode()
    assert 'href="/ho-so/"' in home
    assert 'href="/dong-bo-dvcqg/"' in home
    assert (
        'href="/dong-bo-dvcqg/" aria-current="page"' in desk.get("/dong-bo-dvcqg/").content.decode()
    )
    # a handler's header links their dossiers only
    handler = _client("justice_handler").get("/").content.decode()
    assert 'href="/ho-so/"' in handler
    assert 'href="/dong-bo-dvcqg/"' not in handler


def test_only_desk_staff_and_administrators_see_it(world: World) -> None:
    assert _client("justice_handler").get("/dong-bo-dvcqg/").status_code == 403
    assert Client().get("/dong-bo-dvcqg/").status_code == 302


@override_settings(OUTBOX_MAX_ATTEMPTS=1)
def test_reconcile_lists_then_requeues_dead_events(
    world: World, portal: FakeServer, frozen: Clock
) -> None:
    portal.app.fail_next(1)
    dossier = flows.received(world, chain=False)
    drain()
    out = StringIO()

    with pytest.raises(CommandError):
        call_command("portal", "reconcile", "--check", stdout=out)
    assert f"owed\t{dossier.code}\tstatus 2\tportal -\towed 2\tdead 2" in out.getvalue()

    since = StringIO()
    call_command("portal", "reconcile", "--since", "2025-10-07", stdout=since)
    assert "0 dossier(s) not fully acknowledged" in since.getvalue()
    with pytest.raises(CommandError, match="not a date"):
        call_command("portal", "reconcile", "--since", "hôm qua", stdout=StringIO())

    call_command("portal", "reconcile", "--requeue", stdout=out)
    assert "requeued 2 dead event(s)" in out.getvalue()
    drain()
    assert set(PortalEvent.objects.exclude(event="submit").values_list("status", flat=True)) == {
        "acknowledged"
    }
    call_command("portal", "reconcile", "--check", stdout=StringIO())


def test_a_dossier_the_portal_never_saw_is_resynced(world: World, portal: FakeServer) -> None:
    with override_settings(DVCQG_SYNC_ENABLED=False):  # events consumed while sync was off
        dossier = flows.received(world, chain=False)
        drain()
    out = StringIO()

    call_command("portal", "reconcile", "--resync", stdout=out)
    drain()

    assert f"drift\t{dossier.code}\tstatus 2\tportal -" in out.getvalue()
    assert [(h["LoaiSuKien"], h["TrangThai"]) for h in portal.app.history(dossier.code)] == [
        ("resync", 2)
    ]
    assert OutboxMessage.objects.filter(topic="integration.portal.acknowledged").count() == 1


def test_pull_and_status_commands(world: World, portal: FakeServer) -> None:
    out = StringIO()
    call_command("portal", "pull", stdout=out)
    call_command("portal", "status", stdout=out)
    assert "fetched 0, imported 0, already imported 0, rejected 0" in out.getvalue()
    assert "this month: 0/0 dossiers synced on time (0.00 %)" in out.getvalue()


def test_the_admin_pages_open(world: World, portal: FakeServer) -> None:
    flows.received(world, chain=False)
    drain()
    admin = get_user_model().objects.create_superuser("root", password="x")
    client = Client()
    client.force_login(admin)
    for path in (
        "/admin/portalsync/portaldossiersync/",
        "/admin/portalsync/portalevent/",
        "/admin/portalsync/portalimport/",
        "/admin/integration/webhooksubscription/add/",
        "/admin/integration/webhookdelivery/",
        "/admin/integration/outboxmessage/",
    ):
        assert client.get(path).status_code == 200, path
