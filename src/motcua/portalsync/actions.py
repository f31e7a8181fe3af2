"""The write path of the portal sync: outcomes of a push, and imports of pulled dossiers.

``do_record_push_results`` runs inside the relay's batch (the consumer's savepoint): it
upserts one ``PortalEvent`` per event, refreshes each dossier's ``PortalDossierSync``
and, for every status event the portal newly acknowledged, enqueues
``integration.portal.acknowledged`` in the same transaction (the scoreboard's contract).
``do_import_online_dossier`` puts a pulled dossier in the desk's queue once;
``do_record_rejected_import`` keeps why one was refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Min, Q

from motcua.agencies.models import Agency
from motcua.dossiers import actions as dossier_actions
from motcua.dossiers.actions import Submission
from motcua.dossiers.models import Dossier
from motcua.integration import bulk, outbox
from motcua.integration.models import OutboxMessage
from motcua.kernel import clock
from motcua.kernel.actors import Actor
from motcua.portalsync.models import (
    ImportStatus,
    PortalDossierSync,
    PortalEvent,
    PortalEventStatus,
    PortalImport,
)

__all__ = [
    "ACKNOWLEDGED_TOPIC",
    "EventOutcome",
    "do_import_online_dossier",
    "do_mark_import_confirmed",
    "do_record_push_results",
    "do_record_rejected_import",
    "do_request_resync",
    "payload_hash",
]

ACKNOWLEDGED_TOPIC = "integration.portal.acknowledged"
_OPEN = Q(acknowledged_at__isnull=True) & ~Q(status=PortalEventStatus.SKIPPED)


@dataclass(frozen=True)
class EventOutcome:
    """What happened to one dossier event in one push."""

    message: OutboxMessage
    dossier_id: int
    event: str
    national_status: int | None
    is_status_event: bool
    status: PortalEventStatus
    portal_code: str = ""
    dossier_code: str | None = None
    error_code: str = ""
    error: str = ""

    @property
    def is_failure(self) -> bool:
        return self.status in (PortalEventStatus.WAITING, PortalEventStatus.REJECTED)


def _target() -> dt.timedelta:
    return dt.timedelta(seconds=settings.DVCQG_SYNC_TARGET_SECONDS)


def _event_rows(
    outcomes: list[EventOutcome], at: dt.datetime
) -> tuple[list[PortalEvent], list[PortalEvent]]:
    """Return (rows to upsert, rows acknowledged now for the first time)."""
    existing = (
        {
            row.message_id: row
            for row in PortalEvent.objects.filter(
                # A message never attempted has no row: its first attempt's would have
                # committed with the attempt count (same transaction).
                message_id__in=[o.message.message_id for o in outcomes if o.message.attempts]
            )
        }
        if any(o.message.attempts for o in outcomes)
        else {}
    )
    rows, newly_acknowledged = [], []
    for o in outcomes:
        before = existing.get(o.message.message_id)
        acknowledged_at = before.acknowledged_at if before is not None else None
        if o.status == PortalEventStatus.ACKNOWLEDGED and acknowledged_at is None:
            acknowledged_at = at
        event_at = o.message.created_at
        row = PortalEvent(
            message_id=o.message.message_id,
            sequence=o.message.pk,
            dossier_id=o.dossier_id,
            event=o.event,
            national_status=o.national_status,
            event_at=event_at,
            status=PortalEventStatus.ACKNOWLEDGED if acknowledged_at else o.status,
            attempts=(before.attempts if before is not None else 0) + 1,
            first_attempt_at=before.first_attempt_at if before is not None else at,
            last_attempt_at=at,
            acknowledged_at=acknowledged_at,
            is_on_time=(acknowledged_at - event_at <= _target()) if acknowledged_at else None,
            error_code=o.error_code[:60],
            last_error=o.error[:2000],
        )
        rows.append(row)
        if acknowledged_at is not None and (before is None or before.acknowledged_at is None):
            newly_acknowledged.append(row)
    return rows, newly_acknowledged


def _refresh_dossiers(
    outcomes: list[EventOutcome], acknowledged: list[PortalEvent], at: dt.datetime
) -> None:
    ids = sorted({o.dossier_id for o in outcomes})
    current = {
        row.dossier_id: row
        for row in PortalDossierSync.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    }
    by_dossier: dict[int, list[EventOutcome]] = defaultdict(list)
    for o in outcomes:
        by_dossier[o.dossier_id].append(o)
    # Count the open events only where some may be open: a dossier with nothing owed
    # before whose events of this batch were all taken or skipped owes nothing now.
    uncertain = [
        pk
        for pk in ids
        if (pk in current and current[pk].unacknowledged)
        or any(o.is_failure for o in by_dossier[pk])
    ]
    open_events = (
        {
            row["dossier_id"]: row
            for row in PortalEvent.objects.filter(_OPEN, dossier_id__in=uncertain)
            .values("dossier_id")
            .annotate(n=Count("pk"), oldest=Min("event_at"))
            .order_by()
        }
        if uncertain
        else {}
    )
    acked: dict[int, list[PortalEvent]] = defaultdict(list)
    for ack in acknowledged:
        acked[ack.dossier_id].append(ack)
    rows: list[PortalDossierSync] = []
    for dossier_id in ids:
        events = sorted(by_dossier[dossier_id], key=lambda o: o.message.pk)
        row = current.get(dossier_id) or PortalDossierSync(dossier_id=dossier_id, updated_at=at)
        failures = [o for o in events if o.is_failure]
        if failures:
            row.consecutive_failures += len(failures)
            row.total_failures += len(failures)
            row.last_error = f"{failures[-1].error_code} {failures[-1].error}".strip()[:2000]
            row.last_failure_at = at
        if not events[-1].is_failure:
            row.consecutive_failures = 0
        for event in sorted(acked[dossier_id], key=lambda e: e.sequence):
            row.last_acknowledged_event = event.event
            row.last_acknowledged_status = event.national_status or row.last_acknowledged_status
            row.last_acknowledged_at = event.acknowledged_at
            row.late_events += 0 if event.is_on_time else 1
        row.portal_code = (
            next((o.portal_code for o in reversed(events) if o.portal_code), "") or row.portal_code
        )
        newest = max(o.message.created_at for o in events)
        row.last_event_at = max(filter(None, [row.last_event_at, newest]))
        summary = open_events.get(dossier_id)
        row.unacknowledged = summary["n"] if summary else 0
        row.oldest_unacknowledged_at = summary["oldest"] if summary else None
        row.updated_at = at
        rows.append(row)
    fields = [f.name for f in PortalDossierSync._meta.concrete_fields if f.name != "dossier"]
    bulk.upsert_models(rows, unique=["dossier"], update=fields)


def do_record_push_results(
    outcomes: list[EventOutcome], *, actor: Actor, at: dt.datetime | None = None
) -> int:
    """Record the outcome of one push; return how many status events were newly acknowledged.

    Runs in the caller's transaction (the relay's); writes the event rows, the dossiers'
    sync status and one ``integration.portal.acknowledged`` message per status event the
    portal acknowledged for the first time.
    """
    if not outcomes:
        return 0
    moment = at or clock.now()
    with transaction.atomic():
        rows, newly = _event_rows(outcomes, moment)
        bulk.upsert_models(
            rows,
            unique=["message_id"],
            update=[
                "status",
                "attempts",
                "last_attempt_at",
                "acknowledged_at",
                "is_on_time",
                "error_code",
                "last_error",
                "national_status",
            ],
        )
        _refresh_dossiers(outcomes, newly, moment)
        status_events = {o.message.message_id: o for o in outcomes if o.is_status_event}
        messages = [
            outbox.NewMessage(
                topic=ACKNOWLEDGED_TOPIC,
                aggregate_type="dossiers.dossier",
                aggregate_id=row.dossier_id,
                payload={
                    "dossier_id": row.dossier_id,
                    "code": status_events[row.message_id].dossier_code,
                    "national_status": row.national_status,
                    "event_at": row.event_at.astimezone(dt.UTC).isoformat(),
                    "acknowledged_at": row.acknowledged_at.astimezone(dt.UTC).isoformat(),  # type: ignore[union-attr]
                    "on_time": bool(row.is_on_time),
                },
            )
            for row in newly
            if row.message_id in status_events
        ]
        outbox.enqueue_many(messages)
    return len(messages)


def payload_hash(row: Any) -> str:
    text = json.dumps(row, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def do_import_online_dossier(
    portal_code: str,
    *,
    actor: Actor,
    submission: Submission,
    desk: Agency,
    is_eid_authenticated: bool,
    digest: str,
) -> tuple[Dossier, bool]:
    """Put the portal's online dossier ``portal_code`` in ``desk``'s queue (status 1), once.

    Return ``(dossier, created)``; a code already imported returns its dossier and
    ``False`` and writes nothing. Raises what ``do_submit_online_dossier`` raises for bad
    data (nothing written then).
    """
    existing = (
        PortalImport.objects.filter(portal_code=portal_code, status=ImportStatus.IMPORTED)
        .select_related("dossier")
        .first()
    )
    if existing is not None and existing.dossier is not None:
        return existing.dossier, False
    now = clock.now()
    try:
        with transaction.atomic():
            dossier = dossier_actions.do_submit_online_dossier(
                submission, actor=actor, receiving_desk=desk
            )
            PortalImport.objects.update_or_create(
                portal_code=portal_code,
                defaults={
                    "dossier": dossier,
                    "status": ImportStatus.IMPORTED,
                    "is_eid_authenticated": is_eid_authenticated,
                    "payload_sha256": digest,
                    "error_code": "",
                    "error": "",
                    "updated_at": now,
                },
                create_defaults={
                    "dossier": dossier,
                    "status": ImportStatus.IMPORTED,
                    "is_eid_authenticated": is_eid_authenticated,
                    "payload_sha256": digest,
                    "first_seen_at": now,
                    "updated_at": now,
                },
            )
    except IntegrityError:
        # Another worker imported it first (portal_code is unique): theirs stands.
        winner = PortalImport.objects.select_related("dossier").get(portal_code=portal_code)
        assert winner.dossier is not None
        return winner.dossier, False
    return dossier, True


def do_record_rejected_import(
    portal_code: str, *, actor: Actor, code: str, error: str, digest: str
) -> bool:
    """Remember why ``portal_code`` was not imported; return False if already recorded as is."""
    now = clock.now()
    with transaction.atomic():
        row = PortalImport.objects.select_for_update().filter(portal_code=portal_code).first()
        if row is None:
            PortalImport.objects.create(
                portal_code=portal_code,
                status=ImportStatus.REJECTED,
                payload_sha256=digest,
                error_code=code[:60],
                error=error[:2000],
                first_seen_at=now,
                updated_at=now,
            )
            return True
        if row.status == ImportStatus.IMPORTED or row.payload_sha256 == digest:
            return False
        PortalImport.objects.filter(pk=row.pk).update(
            payload_sha256=digest,
            error_code=code[:60],
            error=error[:2000],
            attempts=row.attempts + 1,
            updated_at=now,
        )
        return True


def do_mark_import_confirmed(portal_code: str, *, actor: Actor) -> None:
    """Record that the portal was told about ``portal_code`` (pick-up confirmed)."""
    with transaction.atomic():
        PortalImport.objects.filter(portal_code=portal_code).update(is_confirmed=True)


def do_request_resync(
    dossier: Dossier, *, actor: Actor, reason: str = "reconciliation"
) -> OutboxMessage:
    """Queue a full record of ``dossier`` for the portal (``dossiers.dossier.resync``).

    Used by the reconciliation when the portal's last acknowledged status is not the
    dossier's and nothing is owed (events lost before the outbox, or data loaded around
    it). The portal receives the current record and status like any other event.
    """
    with transaction.atomic():
        return outbox.enqueue(
            topic="dossiers.dossier.resync",
            aggregate_type="dossiers.dossier",
            aggregate_id=dossier.pk,
            payload={
                "code": dossier.code,
                "reference": dossier.reference,
                "national_status": dossier.national_status,
                "reason": reason,
                "actor": actor.ref,
            },
        )
