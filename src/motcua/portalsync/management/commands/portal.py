"""``motcua portal pull [--loop SECONDS]``, ``motcua portal reconcile [--since DATE]
[--requeue] [--resync] [--check]`` and ``motcua portal status``.

``pull`` imports the online dossiers waiting on the national portal (the worker also does
it every ``DVCQG_PULL_INTERVAL_SECONDS``). ``reconcile`` lists the dossiers whose events
are not all acknowledged by the portal (``owed``) or whose acknowledged status is not
their status (``drift``); ``--requeue`` gives dead events a fresh series of attempts,
``--resync`` queues the full record of drifting dossiers, ``--check`` exits with status 1
when anything is listed (for a monitoring job). ``status`` prints the backlog and the
"synced on time" share of this month.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from motcua.dossiers.models import Dossier
from motcua.integration.actions import do_requeue_outbox_messages
from motcua.integration.models import OutboxMessage
from motcua.kernel import clock
from motcua.kernel.actors import Actor
from motcua.portalsync import selectors
from motcua.portalsync.actions import do_request_resync
from motcua.portalsync.pull import pull_from_portal

ACTOR = Actor.system("motcua portal")


def _since(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        day = dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--since: not a date (YYYY-MM-DD): {value}") from exc
    return dt.datetime.combine(day, dt.time(), tzinfo=clock.VN_TZ)


class Command(BaseCommand):
    help = "National portal sync: pull online dossiers, reconcile, show the status."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="subcommand", required=True)
        pull = sub.add_parser("pull", help="Import the online dossiers waiting on the portal.")
        pull.add_argument("--loop", type=float, default=0, help="Repeat every N seconds.")
        rec = sub.add_parser("reconcile", help="List dossiers not fully acknowledged.")
        rec.add_argument("--since", help="Only events (or receipts) from this date, YYYY-MM-DD.")
        rec.add_argument("--requeue", action="store_true", help="Retry the dead events.")
        rec.add_argument("--resync", action="store_true", help="Resend drifting dossiers.")
        rec.add_argument("--check", action="store_true", help="Exit 1 when anything is listed.")
        sub.add_parser("status", help="Backlog and the synced-on-time share of this month.")

    def handle(self, *args: Any, **options: Any) -> None:
        command = options["subcommand"]
        if command == "pull":
            self._pull(options["loop"])
        elif command == "reconcile":
            self._reconcile(options)
        else:
            self._status()

    def _pull(self, every: float) -> None:
        while True:
            stats = pull_from_portal()
            self.stdout.write(
                f"fetched {stats.fetched}, imported {stats.imported}, already imported "
                f"{stats.already}, rejected {stats.rejected}"
                + (" — portal unavailable" if stats.unavailable else "")
            )
            if not every:
                return
            time.sleep(every)

    def _reconcile(self, options: dict[str, Any]) -> None:
        rows = selectors.reconcile(since=_since(options["since"]))
        for row in rows:
            oldest = (
                clock.local(row.oldest_owed_at).strftime("%d/%m/%Y %H:%M")
                if row.oldest_owed_at
                else "-"
            )
            self.stdout.write(
                f"{row.reason}\t{row.code or row.dossier_id}\tstatus {row.national_status}"
                f"\tportal {row.acknowledged_status or '-'}\towed {row.owed_events}"
                f"\tdead {row.dead_events}\toldest {oldest}"
            )
        self.stdout.write(f"{len(rows)} dossier(s) not fully acknowledged by the portal")
        if options["requeue"]:
            ids = [pk for row in rows for pk in row.dead_message_ids]
            count = do_requeue_outbox_messages(
                OutboxMessage.objects.filter(pk__in=ids), actor=ACTOR
            )
            self.stdout.write(f"requeued {count} dead event(s)")
        if options["resync"]:
            drifting = [row.dossier_id for row in rows if row.reason == "drift"]
            for dossier in Dossier.objects.filter(pk__in=drifting):
                do_request_resync(dossier, actor=ACTOR)
            self.stdout.write(f"queued a full record of {len(drifting)} dossier(s)")
        if options["check"] and rows:
            raise CommandError("some dossiers are not fully acknowledged by the portal")

    def _status(self) -> None:
        now = clock.now()
        start = clock.local(now).replace(day=1, hour=0, minute=0, second=0, microsecond=0)
        backlog = selectors.get_backlog()
        share = selectors.compute_sync_share(start, now)
        self.stdout.write(
            f"queued {backlog.queued}{'+' if backlog.capped else ''}, dead {backlog.dead}, "
            f"oldest queued {clock.local(backlog.oldest_at):%d/%m/%Y %H:%M:%S}"
            if backlog.oldest_at
            else f"queued 0, dead {backlog.dead}"
        )
        self.stdout.write(
            f"this month: {share.synced_on_time}/{share.dossiers} dossiers synced on time "
            f"({share.percent} %)"
        )
