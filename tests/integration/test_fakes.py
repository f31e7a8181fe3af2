"""The plumbing of the local fakes: registry, thread server, the ``motcua fake`` command."""

from __future__ import annotations

import subprocess
import sys
import time

import httpx
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from motcua.integration.fakes import FakeServer, fake_spec

ECHO = {"echo": {"app": "tests.testapp.fake.make_app", "port": 0}}


@override_settings(FAKE_SERVERS=ECHO)
def test_a_registered_fake_serves_in_a_thread_on_a_free_port() -> None:
    with FakeServer.of("echo") as server:
        response = httpx.get(f"{server.url}/ping", timeout=5)

    assert response.status_code == 200
    assert response.text == "echo /ping"
    assert server.app.received == ["/ping"]


@override_settings(FAKE_SERVERS=ECHO)
def test_an_unknown_fake_is_a_clear_configuration_error() -> None:
    with pytest.raises(ImproperlyConfigured, match="Unknown fake server 'nope'"):
        fake_spec("nope")


@pytest.mark.slow
def test_the_fake_command_serves_until_terminated(tmp_path: object) -> None:
    with FakeServer(lambda environ, start: [b""]) as probe:
        port = int(probe.url.rsplit(":", 1)[1])
    code = (
        "import django, os;"
        "os.environ['DJANGO_SETTINGS_MODULE']='tests.settings';"
        "from django.conf import settings;"
        f"settings.FAKE_SERVERS={ECHO!r};"
        "from motcua.cli import main;"
        f"main(['fake', 'echo', '--port', '{port}'])"
    )
    process = subprocess.Popen([sys.executable, "-c", code])
    try:
        for _ in range(100):
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/up", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        else:
            pytest.fail("the fake did not start")
        assert response.text == "echo /up"
    finally:
        process.terminate()
        process.wait(timeout=10)
