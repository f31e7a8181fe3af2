"""``motcua scoreboard tick | recompute YEAR [--check] [--from-facts] | sync-units |
refresh-catalog [YEAR]``.

* ``tick`` — what a timer runs every few minutes: apply the passage of time (dossiers
  whose due date passed become overdue in their live periods) and refresh the live
  periods' catalogue figures.
* ``recompute YEAR`` — rebuild the year's facts and counters from the system of record
  (``--from-facts``: counters from the stored facts); ``--check`` compares only, prints
  every difference and exits with status 1 if there is one.
* ``sync-units`` — create the evaluated units of new agencies.
* ``refresh-catalog [YEAR]`` — recompute the catalogue figures (of every period of YEAR).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.kernel.actors import Actor
from motcua.scoreboard import actions
from motcua.scoreboard.actions.recompute import year_periods


class Command(BaseCommand):
    help = "Decision 766 scoreboard: tick, recompute a year, sync units, refresh catalogue figures."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("tick", help="Apply the passage of time; refresh live catalogue figures.")
        recompute = sub.add_parser("recompute", help="Rebuild a year's facts and counters.")
        recompute.add_argument("year", type=int)
        recompute.add_argument("--check", action="store_true", help="Compare only; write nothing.")
        recompute.add_argument(
            "--from-facts", action="store_true", help="Rebuild the counters from the stored facts."
        )
        sub.add_parser("sync-units", help="Create the units of new agencies.")
        refresh = sub.add_parser("refresh-catalog", help="Recompute the catalogue figures.")
        refresh.add_argument("year", type=int, nargs="?")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = Actor.system("scoreboard-command")
        command = options["subcommand"]
        if command == "tick":
            swept = actions.do_sweep_facts(actor=actor)
            rows = actions.do_refresh_catalog_figures(actor=actor)
            self.stdout.write(f"swept {swept} facts; {rows} catalogue rows refreshed")
        elif command == "sync-units":
            self.stdout.write(f"{actions.do_sync_units(actor=actor)} units created or updated")
        elif command == "refresh-catalog":
            year = options["year"]
            periods = year_periods(year) if year else None
            rows = actions.do_refresh_catalog_figures(actor=actor, periods=periods)
            self.stdout.write(f"{rows} catalogue rows refreshed")
        else:
            report = actions.do_recompute_year(
                options["year"],
                actor=actor,
                from_facts=options["from_facts"],
                write=not options["check"],
            )
            self.stdout.write(
                f"{options['year']}: {report.facts} facts, {report.counter_rows} counter rows"
                + (" written" if report.written else "")
            )
            for diff in report.differences[:200]:
                self.stdout.write(
                    f"  {diff.period} unit={diff.unit_id} procedure={diff.procedure_code or '*'} "
                    f"{diff.column}: stored {diff.stored}, recomputed {diff.computed}"
                )
            if report.differences:
                raise CommandError(f"{len(report.differences)} differences")
            if options["check"]:
                self.stdout.write("incremental counters agree with the recomputation")
