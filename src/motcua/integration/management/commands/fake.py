"""``motcua fake NAME``: serve one local fake of a national system (see ``integration.fakes``)."""

from __future__ import annotations

import contextlib
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.integration.fakes import fake_spec, serve_fake


class Command(BaseCommand):
    help = "Serve a local fake of a national system (portal, payment, e-ID, SMS …)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", nargs="?", help="The fake to serve; omit to list them.")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=None)

    def handle(self, *args: Any, **options: Any) -> None:
        name = options["name"]
        if not name:
            for key in sorted(getattr(settings, "FAKE_SERVERS", {})):
                spec = fake_spec(key)
                self.stdout.write(f"{key}\t:{spec.port}\t{spec.app}")
            return
        try:
            spec = fake_spec(name)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        port = options["port"] or spec.port
        self.stdout.write(f"motcua fake {name}: http://{options['host']}:{port}/")
        with contextlib.suppress(KeyboardInterrupt):
            serve_fake(name, host=options["host"], port=port)
