"""``motcua load_admin_units``: load the administrative units from ``vietnam-provinces``.

Loads the 34 provinces and 3,321 communes in force since 1 July 2025 and, unless
``--current-only``, the 63 provinces, 696 districts and 10,051 communes of the old
list with their successors. Running it again changes nothing.
"""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from motcua.agencies.actions import do_load_admin_units
from motcua.kernel.actors import Actor


class Command(BaseCommand):
    help = "Load administrative units (2025 scheme, and the 2004 scheme with successors)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--current-only",
            action="store_true",
            help="Load only the 2025 scheme (34 provinces, 3,321 communes).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        report = do_load_admin_units(
            actor=Actor.system("load_admin_units"), include_legacy=not options["current_only"]
        )
        elapsed = time.perf_counter() - started
        self.stdout.write(
            f"Administrative units: {report.created} created, {report.updated} updated, "
            f"{report.successions_created} old→new links created "
            f"({report.skipped_successions} skipped: unit missing from the package) "
            f"in {elapsed:.1f} s."
        )
