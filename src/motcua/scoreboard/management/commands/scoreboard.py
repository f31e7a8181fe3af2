"""``motcua scoreboard tick | recompute YEAR [--check] [--from-facts] [--method M] |
sync-units | refresh-catalog [YEAR]``.

* ``tick`` — what a timer runs every few minutes: apply the passage of time (dossiers
  whose due date passed become overdue in their live periods) and refresh the live
  periods' catalogue figures, then the stored scorecards of the leagues that changed.
* ``recompute YEAR`` — rebuild the year's facts and counters from the system of record
  (``--from-facts``: counters from the stored facts); ``--check`` compares only, prints
  every difference and exits with status 1 if there is one; ``--method python|sql``
  forces the reference path or the set-based one (default: SQL on PostgreSQL when the
  facts are current).
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
        recompute.add_argument(
            "--method", choices=["auto", "sql", "python"], default="auto",
            help="How the counters are summed (default: SQL on PostgreSQL).",
        )  # fmt: skip
        sub.add_parser("sync-units", help="Create the units of new agencies.")
        refresh = sub.add_parser("refresh-catalog", help="Recompute the catalogue figures.")
        refresh.add_argument("year", type=int, nargs="?")

    def handle(self, *args: Any, **options: Any) -> None:
        actor = Actor.system("scoreboard-command")
        command = options["subcommand"]
        if command == "tick":
            swept = actions.do_sweep_facts(actor=actor)
            rows = actions.do_refresh_catalog_figures(actor=actor)
            leagues = actions.do_refresh_scorecards()
            self.stdout.write(
                f"swept {swept} facts; {rows} catalogue rows refreshed; {leagues} leagues scored"
            )
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
                method=options["method"],
            )
            self.stdout.write(
                f"{options['year']}: {report.facts} facts, {report.counter_rows} counter rows"
                + (" written" if report.written else "")
                + f" ({report.method})"
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
