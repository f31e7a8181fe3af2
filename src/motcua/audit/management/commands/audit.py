"""``motcua audit verify``: recompute the hash chain of every aggregate and report the first break."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.audit.selectors import verify_chain


class Command(BaseCommand):
    help = "Audit log tools. 'verify' checks the hash chains (exit 1 on the first broken row)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("subcommand", choices=["verify"])

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if report.ok:
            self.stdout.write(
                self.style.SUCCESS(
                    f"OK: {report.checked} audit events in {report.chains} chains verified."
                )
            )
            return
        brk = report.first_break
        assert brk is not None
        raise CommandError(
            f"BROKEN: audit event id={brk.event_id} ({brk.aggregate} #{brk.seq}): {brk.reason}. "
            f"{report.checked} events verified before it."
        )
