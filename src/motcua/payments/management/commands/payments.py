"""``motcua payments reconcile [--every SECONDS]``: settle open payments with the platform."""

from __future__ import annotations

import contextlib
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.payments.actions import do_reconcile_payments


class Command(BaseCommand):
    help = "Online payments: 'reconcile' asks the payment platform about open attempts."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        reconcile = sub.add_parser("reconcile", help="Check open attempts whose check is due.")
        reconcile.add_argument(
            "--every", type=float, default=0, help="Repeat every SECONDS until interrupted."
        )
        reconcile.add_argument("--limit", type=int, default=100)

    def handle(self, *args: Any, **options: Any) -> None:
        every = float(options["every"])
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                stats = do_reconcile_payments(limit=options["limit"])
                self.stdout.write(
                    f"checked {stats.checked}: settled {stats.settled}, pending "
                    f"{stats.pending}, platform unavailable {stats.unavailable}"
                )
                if every <= 0:
                    return
                time.sleep(every)
