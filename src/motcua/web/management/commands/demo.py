"""``motcua demo``: migrate, load the demo data, then serve the platform with a worker.

The local fakes of the national systems (``settings.FAKE_SERVERS``) run beside it.

The demo data is loaded by each app's ``demo.load_demo()`` in dependency order; every
loader is idempotent, so running the demo twice changes nothing. Ctrl-C stops the web
server and the worker together.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils.module_loading import import_string

# Order matters: each loader may use what the previous ones created.
DEMO_LOADERS = [
    "motcua.workdays.demo.load_demo",
    "motcua.agencies.demo.load_demo",
    "motcua.identity.demo.load_demo",
    "motcua.catalog.demo.load_demo",
    "motcua.documents.demo.load_demo",
    "motcua.dossiers.demo.load_demo",
    # A dossier awaiting its fees, to pay on the fake payment platform (issue 6).
    "motcua.payments.demo.load_demo",
    "motcua.portal.demo.load_demo",
    "motcua.integration.demo.load_demo",
    # Last: the index counts what the loaders above created.
    "motcua.scoreboard.demo.load_demo",
]


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def load_all_demo_data() -> list[str]:
    """Run every demo loader; return the lines to print (accounts, passwords, links)."""
    lines: list[str] = []
    for path in DEMO_LOADERS:
        loader = import_string(path)
        with transaction.atomic():
            lines.extend(loader())
    return lines


class Command(BaseCommand):
    help = "Run motcua with demo data: migrate, seed, serve on 127.0.0.1:8000 with a worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument("--no-serve", action="store_true", help="Migrate and seed only.")

    def handle(self, *args: Any, **options: Any) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Đang nạp dữ liệu mẫu / loading demo data …")
        lines = load_all_demo_data()
        self.stdout.write("\n".join(lines))
        if options["no_serve"]:
            return
        # A supervisor's SIGTERM stops everything as Ctrl-C does (no orphaned children).
        signal.signal(signal.SIGTERM, _interrupt)
        # The local fakes of the national systems first, so the worker finds them up.
        children = [
            subprocess.Popen([sys.executable, "-m", "motcua.cli", "fake", name])  # noqa: S603
            for name in sorted(getattr(settings, "FAKE_SERVERS", {}))
        ]
        children.append(subprocess.Popen([sys.executable, "-m", "motcua.cli", "worker"]))
        url = f"http://{options['addrport']}/"
        self.stdout.write(
            self.style.SUCCESS(
                f"\nmotcua: {url}  ·  API docs: {url}api/v1/docs  ·  admin: {url}admin/"
                f"\nDatabase: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}"
                "  ·  Ctrl-C to stop the server, the worker and the local fakes.\n"
            )
        )
        try:
            call_command("runserver", options["addrport"], use_reloader=False)
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                if child.poll() is None:
                    child.terminate()
            for child in children:
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
