"""``motcua notifications send [--every SECONDS]``: deliver every notification that is due."""

from __future__ import annotations

import contextlib
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.notifications.actions import do_send_due_notifications


class Command(BaseCommand):
    help = "Notifications: 'send' delivers the due ones (new, to retry, or stuck)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        send = sub.add_parser("send", help="Deliver the notifications that are due.")
        send.add_argument("--every", type=float, default=0, help="Repeat every SECONDS.")
        send.add_argument("--limit", type=int, default=200)

    def handle(self, *args: Any, **options: Any) -> None:
        every = float(options["every"])
        with contextlib.suppress(KeyboardInterrupt):
            while True:
                stats = do_send_due_notifications(limit=options["limit"])
                self.stdout.write(f"due {stats.due}: sent {stats.sent}, failed {stats.failed}")
                if every <= 0:
                    return
                time.sleep(every)
