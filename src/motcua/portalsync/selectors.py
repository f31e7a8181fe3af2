"""Reads of the portal sync: batch loading, sync status, operations list, reconciliation,
and the "synced on time" share of a period.

``compute_sync_share`` is the internal measure of 766 indicator 1.4 / row 4 (R62): of
the dossiers received in a period (receipt time, else submission time, for the dossiers
the portal knows: with a code or pulled from it), the share whose every event was
acknowledged by the portal within ``DVCQG_SYNC_TARGET_SECONDS``. An event still owed
and older than the target makes its dossier late too. The 766 denominator
(max(BCQG, DVCQG)) is the scoreboard's to apply.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db.models import CharField, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import Cast, Coalesce

from motcua.agencies.models import Agency
from motcua.catalog.models import ProcedureCase, ProcedureVersion
from motcua.documents.models import Result
from motcua.dossiers.models import Dossier, DossierDocument, Refusal
from motcua.identity.roles import DESK_ROLES, Role
from motcua.integration.models import OutboxDelivery, OutboxMessage, OutboxStatus
from motcua.kernel import clock
from motcua.kernel.actors import Actor
from motcua.kernel.errors import PermissionDenied
from motcua.payments.selectors import paid_online_dossier_ids
from motcua.portalsync.models import (
    ImportStatus,
    PortalDossierSync,
    PortalEvent,
    PortalEventStatus,
    PortalImport,
)
from motcua.portalsync.payloads import DossierContext

__all__ = [
    "CONSUMER_NAME",
    "Backlog",
    "ReconciliationRow",
    "SyncShare",
    "can_view_operations",
    "compute_sync_share",
    "get_backlog",
    "get_sync_status",
    "list_rejected_imports",
    "list_sync_problems",
    "load_for_sync",
    "reconcile",
]

CONSUMER_NAME = "portalsync.push"
TOPIC_PREFIX = "dossiers.dossier."
AGGREGATE = "dossiers.dossier"


def _target() -> dt.timedelta:
    return dt.timedelta(seconds=settings.DVCQG_SYNC_TARGET_SECONDS)


def load_for_sync(ids: set[int]) -> tuple[dict[int, Dossier], dict[int, DossierContext]]:
    """Return the dossiers ``ids`` and what their portal record needs.

    A fixed number of queries whatever the batch size; the versions, cases and agencies
    a batch shares are read once each (with only the columns the record uses) and set
    on the dossiers, instead of one wide join row per dossier.
    """
    dossiers = {d.pk: d for d in Dossier.objects.filter(pk__in=ids)}
    versions = {
        v.pk: v
        for v in ProcedureVersion.objects.filter(
            pk__in={d.procedure_version_id for d in dossiers.values()}
        )
        .select_related("field")
        .only("pk", "name", "field__code", "field__name")
    }
    cases = {
        c.pk: c
        for c in ProcedureCase.objects.filter(pk__in={d.case_id for d in dossiers.values()}).only(
            "pk", "code"
        )
    }
    agency_ids = {
        pk
        for d in dossiers.values()
        for pk in (d.receiving_desk_id, d.competent_agency_id, d.current_agency_id)
    }
    agencies = {
        a.pk: a
        for a in Agency.objects.filter(pk__in=agency_ids)
        .select_related("admin_unit__parent")
        .only(
            "pk",
            "code",
            "name",
            "admin_unit__code",
            "admin_unit__level",
            "admin_unit__parent__code",
        )
    }
    for d in dossiers.values():
        d.procedure_version = versions[d.procedure_version_id]
        d.case = cases[d.case_id]
        d.receiving_desk = agencies[d.receiving_desk_id]
        d.competent_agency = agencies[d.competent_agency_id]
        d.current_agency = agencies[d.current_agency_id]
    contexts = {pk: DossierContext() for pk in dossiers}
    documents = (
        DossierDocument.objects.filter(dossier_id__in=dossiers)
        .select_related("procedure_document")
        .order_by("dossier_id", "position", "id")
    )
    for document in documents:
        contexts[document.dossier_id].documents.append(document)
    results = Result.objects.filter(
        subject_type=AGGREGATE, subject_id__in=[str(pk) for pk in dossiers]
    ).order_by("issued_at", "id")
    for result in results:
        contexts[int(result.subject_id)].results.append(result)
    for row in PortalImport.objects.filter(
        dossier_id__in=dossiers, status=ImportStatus.IMPORTED
    ).values("dossier_id", "portal_code", "is_eid_authenticated"):
        context = contexts[row["dossier_id"]]
        context.portal_code = row["portal_code"]
        context.is_eid_from_portal = row["is_eid_authenticated"]
    for dossier_id, status in PortalDossierSync.objects.filter(pk__in=dossiers).values_list(
        "dossier_id", "last_acknowledged_status"
    ):
        contexts[dossier_id].last_status = status
    for dossier_id in paid_online_dossier_ids(dossiers):
        contexts[dossier_id].is_paid_online = True
    refused = [pk for pk, d in dossiers.items() if d.national_status == 3]
    if refused:
        for dossier_id, at in Refusal.objects.filter(dossier_id__in=refused).values_list(
            "dossier_id", "refused_at"
        ):
            contexts[dossier_id].refused_at = at
    return dossiers, contexts


def can_view_operations(actor: Actor) -> bool:
    return actor.is_superuser or actor.has_role(Role.SYSTEM_ADMIN, *DESK_ROLES)


def _scope(actor: Actor) -> Q:
    """System administrators see every dossier; desk staff those their desk received."""
    if not can_view_operations(actor):
        raise PermissionDenied()
    if actor.is_superuser or actor.is_system or actor.has_role(Role.SYSTEM_ADMIN):
        return Q()
    return Q(dossier__receiving_desk_id=actor.agency_id)


def get_sync_status(dossier: Dossier) -> PortalDossierSync | None:
    return PortalDossierSync.objects.filter(pk=dossier.pk).first()


def list_sync_problems(actor: Actor, *, limit: int = 200) -> list[PortalDossierSync]:
    """Return the dossiers with events the portal has not acknowledged, oldest first."""
    return list(
        PortalDossierSync.objects.filter(_scope(actor), unacknowledged__gt=0)
        .select_related("dossier")
        .order_by("oldest_unacknowledged_at", "dossier_id")[:limit]
    )


@dataclass(frozen=True)
class Backlog:
    """Dossier events in the outbox not yet taken by the portal consumer."""

    queued: int
    oldest_at: dt.datetime | None
    dead: int
    capped: bool


def get_backlog(*, cap: int = 10_000) -> Backlog:
    owed = OutboxMessage.objects.filter(topic__startswith=TOPIC_PREFIX, status=OutboxStatus.PENDING)
    queued = owed[: cap + 1].count()
    oldest = owed.order_by("created_at").values_list("created_at", flat=True).first()
    dead = (
        OutboxMessage.objects.filter(topic__startswith=TOPIC_PREFIX, status=OutboxStatus.DEAD)
        .exclude(
            Exists(OutboxDelivery.objects.filter(message=OuterRef("pk"), consumer=CONSUMER_NAME))
        )[: cap + 1]
        .count()
    )
    return Backlog(
        queued=min(queued, cap), oldest_at=oldest, dead=min(dead, cap), capped=queued > cap
    )


def list_rejected_imports(*, limit: int = 50) -> list[PortalImport]:
    return list(PortalImport.objects.filter(status=ImportStatus.REJECTED)[:limit])


@dataclass(frozen=True)
class ReconciliationRow:
    dossier_id: int
    code: str | None
    national_status: int
    acknowledged_status: int | None
    owed_events: int
    dead_events: int
    oldest_owed_at: dt.datetime | None
    reason: str  # "owed" (events not acknowledged) | "drift" (status differs, nothing owed)
    dead_message_ids: tuple[int, ...] = ()


def reconcile(*, since: dt.datetime | None = None, limit: int = 10_000) -> list[ReconciliationRow]:
    """Return the dossiers whose events are not all acknowledged by the portal.

    ``owed``: an event is pending or dead in the outbox without the portal consumer's
    delivery, or was sent and not acknowledged. ``drift``: nothing is owed, yet the last
    status the portal acknowledged is not the dossier's (or a received dossier never
    reached the portal) — events lost before the outbox, or data loaded around it.
    ``since`` limits both to dossiers with events (or receipt) after it.
    """
    owed_messages = OutboxMessage.objects.filter(
        aggregate_type=AGGREGATE,
        topic__startswith=TOPIC_PREFIX,
        status__in=(OutboxStatus.PENDING, OutboxStatus.DEAD),
    ).exclude(Exists(OutboxDelivery.objects.filter(message=OuterRef("pk"), consumer=CONSUMER_NAME)))
    if since is not None:
        owed_messages = owed_messages.filter(created_at__gte=since)
    owed: dict[int, dict[str, object]] = defaultdict(lambda: {"n": 0, "dead": [], "oldest": None})
    for pk, aggregate_id, status, created_at in owed_messages.values_list(
        "pk", "aggregate_id", "status", "created_at"
    )[:limit]:
        entry = owed[int(aggregate_id)]
        entry["n"] = int(entry["n"]) + 1  # type: ignore[call-overload]
        if status == OutboxStatus.DEAD:
            entry["dead"].append(pk)  # type: ignore[attr-defined]
        oldest = entry["oldest"]
        entry["oldest"] = created_at if oldest is None or created_at < oldest else oldest  # type: ignore[operator]
    open_events = PortalEvent.objects.filter(acknowledged_at__isnull=True).exclude(
        status=PortalEventStatus.SKIPPED
    )
    if since is not None:
        open_events = open_events.filter(event_at__gte=since)
    for dossier_id, event_at in open_events.values_list("dossier_id", "event_at")[:limit]:
        entry = owed[dossier_id]
        oldest = entry["oldest"]
        entry["oldest"] = event_at if oldest is None or event_at < oldest else oldest  # type: ignore[operator]
        entry["n"] = max(int(entry["n"]), 1)  # type: ignore[call-overload]
    syncs = {s.dossier_id: s for s in PortalDossierSync.objects.filter(dossier_id__in=list(owed))}
    rows: list[ReconciliationRow] = []
    for dossier in Dossier.objects.filter(pk__in=list(owed)).only("pk", "code", "national_status"):
        entry, sync = owed[dossier.pk], syncs.get(dossier.pk)
        rows.append(
            ReconciliationRow(
                dossier_id=dossier.pk,
                code=dossier.code,
                national_status=dossier.national_status,
                acknowledged_status=sync.last_acknowledged_status if sync else None,
                owed_events=int(entry["n"]),  # type: ignore[call-overload]
                dead_events=len(entry["dead"]),  # type: ignore[arg-type]
                oldest_owed_at=entry["oldest"],  # type: ignore[arg-type]
                reason="owed",
                dead_message_ids=tuple(entry["dead"]),  # type: ignore[arg-type]
            )
        )
    drift = (
        Dossier.objects.exclude(pk__in=list(owed))
        .filter(Q(code__isnull=False) | Exists(PortalImport.objects.filter(dossier=OuterRef("pk"))))
        .annotate(
            acknowledged=PortalDossierSync.objects.filter(dossier=OuterRef("pk")).values(
                "last_acknowledged_status"
            )[:1]
        )
        .filter(Q(acknowledged__isnull=True) | ~Q(acknowledged=F("national_status")))
    )
    if since is not None:
        drift = drift.annotate(period_at=Coalesce("received_at", "submitted_at")).filter(
            period_at__gte=since
        )
    for dossier in drift.only("pk", "code", "national_status")[:limit]:
        rows.append(
            ReconciliationRow(
                dossier_id=dossier.pk,
                code=dossier.code,
                national_status=dossier.national_status,
                acknowledged_status=dossier.acknowledged,
                owed_events=0,
                dead_events=0,
                oldest_owed_at=None,
                reason="drift",
            )
        )
    return sorted(rows, key=lambda r: (r.reason != "owed", r.dossier_id))


@dataclass(frozen=True)
class SyncShare:
    start: dt.datetime
    end: dt.datetime
    dossiers: int
    synced_on_time: int

    @property
    def percent(self) -> Decimal:
        """The share in percent with two decimals (0 when there is no dossier)."""
        if not self.dossiers:
            return Decimal("0.00")
        value = Decimal(self.synced_on_time) * 100 / Decimal(self.dossiers)
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _period_dossiers(start: dt.datetime, end: dt.datetime) -> QuerySet[Dossier]:
    return (
        Dossier.objects.annotate(period_at=Coalesce("received_at", "submitted_at"))
        .filter(period_at__gte=start, period_at__lt=end)
        .filter(Q(code__isnull=False) | Exists(PortalImport.objects.filter(dossier=OuterRef("pk"))))
    )


def compute_sync_share(
    start: dt.datetime,
    end: dt.datetime,
    *,
    agency_id: int | None = None,
    now: dt.datetime | None = None,
) -> SyncShare:
    """Return the "synced on time" share of dossiers received in ``[start, end)``.

    ``agency_id`` limits it to one receiving desk. A dossier counts as synced on time
    when the portal acknowledged at least one of its events, every acknowledged event
    within the target, and no event is owed past the target (sent and unacknowledged,
    or still in the outbox).
    """
    moment = now or clock.now()
    dossiers = _period_dossiers(start, end)
    if agency_id is not None:
        dossiers = dossiers.filter(receiving_desk_id=agency_id)
    events = PortalEvent.objects.filter(dossier=OuterRef("pk")).exclude(
        status=PortalEventStatus.SKIPPED
    )
    late_or_open = events.filter(
        Q(is_on_time=False) | Q(acknowledged_at__isnull=True, event_at__lt=moment - _target())
    )
    stuck = OutboxMessage.objects.filter(
        aggregate_type=AGGREGATE,
        aggregate_id=Cast(OuterRef("pk"), CharField()),
        topic__startswith=TOPIC_PREFIX,
        status__in=(OutboxStatus.PENDING, OutboxStatus.DEAD),
        created_at__lt=moment - _target(),
    ).exclude(Exists(OutboxDelivery.objects.filter(message=OuterRef("pk"), consumer=CONSUMER_NAME)))
    on_time = dossiers.filter(
        Exists(events.filter(acknowledged_at__isnull=False)),
        ~Exists(late_or_open),
        ~Exists(stuck),
    )
    return SyncShare(
        start=start, end=end, dossiers=dossiers.count(), synced_on_time=on_time.count()
    )
