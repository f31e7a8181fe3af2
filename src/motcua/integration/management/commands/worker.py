"""``motcua worker``: the outbox relay and the django.tasks worker, stopped together.

The relay runs in this process, with the webhook dispatcher and the periodic jobs of
``settings.WORKER_PERIODIC_JOBS`` (the national portal pull) between its batches; the
``db_worker`` of django-tasks-db runs as a child process. SIGINT/SIGTERM stops both. Run as many workers as you like, on any machine:
they share work through the database (``FOR UPDATE SKIP LOCKED`` on PostgreSQL).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from motcua.integration.relay import run_relay


class Command(BaseCommand):
    help = "Run the outbox relay and the background task worker until interrupted."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-tasks", action="store_true", help="Run the outbox relay only.")
        parser.add_argument("--idle-sleep", type=float, default=0.5)
        parser.add_argument(
            "--nice",
            type=int,
            default=0,
            help="Lower this process's CPU priority (Unix nice increment), so that web "
            "requests on the same machine come first while a backlog drains.",
        )
        parser.add_argument(
            "--idle",
            action="store_true",
            help="Run with the idle scheduling class (Linux SCHED_IDLE): the process gets "
            "the CPU only when nothing else wants it. Beside a web server prefer --nice 10: "
            "on Linux 6.x an idle-class worker slowed the pages more (ADR 0023).",
        )
        parser.add_argument(
            "--max-rate",
            type=float,
            default=0,
            help="Relay at most this many outbox messages per second (0: as fast as it "
            "can), so that a large backlog drains without slowing the web pages.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["nice"]:
            os.nice(options["nice"])
        if options["idle"]:
            if not hasattr(os, "SCHED_IDLE"):
                raise CommandError(_("--idle chỉ dùng được trên Linux (lớp lập lịch SCHED_IDLE)."))
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
        stop = threading.Event()
        child: subprocess.Popen[bytes] | None = None
        if not options["no_tasks"]:
            child = subprocess.Popen(
                [sys.executable, "-m", "motcua.cli", "db_worker", "--queue-name", "*"]
            )

        def _stop(signum: int, frame: object) -> None:
            stop.set()

        signal.signal(signal.SIGINT, _stop)
        signal.signal(signal.SIGTERM, _stop)
        self.stdout.write("motcua worker: outbox relay running (Ctrl-C to stop)")
        try:
            run_relay(
                idle_sleep=options["idle_sleep"], stop=stop, max_rate=options["max_rate"] or None
            )
        finally:
            if child is not None and child.poll() is None:
                child.terminate()
                try:
                    child.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    child.kill()
