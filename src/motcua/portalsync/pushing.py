"""Push a batch of dossier events to the portal and record what it answered.

Called by the relay with the due ``dossiers.dossier.*`` messages of one batch, in order
(``consumers.push_to_portal``; ordered: a dossier's later events wait while an earlier
one is unacknowledged). One HTTP request carries the whole batch. Events that cannot
be sent are recorded as skipped and never retried:

* events the portal does not take (``deadline_warning`` is internal);
* events of a dossier that has neither a code nor a portal code yet — a submission at
  the counter before its receipt, or a desk refusal, which issues no code (R25): the
  portal learns of a desk dossier when it is received (status 2).

When the portal cannot be reached every event of the batch fails (and is retried with
back-off by the relay); when it refuses an item, that item fails with the portal's code.
Failures are recorded too — the consumer never raises for a portal error, so its
bookkeeping survives.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from motcua.integration.adapters.dvcqg import (
    PortalError,
    PortalRejected,
    PushResult,
    get_client,
)
from motcua.integration.models import OutboxMessage
from motcua.kernel import clock
from motcua.kernel.actors import Actor
from motcua.kernel.logging import get_logger
from motcua.portalsync.actions import EventOutcome, do_record_push_results
from motcua.portalsync.models import PortalEventStatus
from motcua.portalsync.payloads import build_item, event_name
from motcua.portalsync.selectors import load_for_sync

__all__ = ["NOT_SYNCED_EVENTS", "push_messages"]

log = get_logger(__name__)

NOT_SYNCED_EVENTS = frozenset({"deadline_warning"})
ACTOR = Actor.system("dvcqg-sync")


def push_messages(messages: list[OutboxMessage]) -> Mapping[int, str]:
    """Push ``messages`` (in order); return ``{message.pk: error}`` for those not taken."""
    dossiers, contexts = load_for_sync({int(m.aggregate_id) for m in messages})
    outcomes: dict[int, EventOutcome] = {}
    to_send: list[tuple[OutboxMessage, dict[str, object], EventOutcome]] = []
    for message in messages:
        dossier = dossiers.get(int(message.aggregate_id))
        if dossier is None:
            continue  # the dossier is gone (never in production): nothing to record against
        context = contexts[dossier.pk]
        name = event_name(message)
        status = message.payload.get("national_status")
        if status is not None:
            context.last_status = int(status)
        template = EventOutcome(
            message=message,
            dossier_id=dossier.pk,
            event=name,
            national_status=context.last_status or dossier.national_status,
            is_status_event=status is not None,
            status=PortalEventStatus.WAITING,
        )
        # The key the event had when it happened: a desk submission before its receipt
        # stays off the portal even when the push comes after the receipt.
        key = context.portal_code or message.payload.get("code") or ""
        if name in NOT_SYNCED_EVENTS or not key:
            reason = "internal event" if name in NOT_SYNCED_EVENTS else "no dossier code yet"
            outcomes[message.pk] = _with(template, PortalEventStatus.SKIPPED, "", reason)
            continue
        template = replace(template, portal_code=key, dossier_code=dossier.code)
        try:
            item = build_item(message, dossier, key, context)
        except Exception as exc:  # a bug in one item must not block the batch
            log.exception("portal.item_failed", message_id=str(message.message_id))
            outcomes[message.pk] = _with(template, PortalEventStatus.WAITING, "BUILD", repr(exc))
            continue
        to_send.append((message, item, template))

    if to_send:
        _push(to_send, outcomes)
    ordered = [outcomes[m.pk] for m in messages if m.pk in outcomes]
    do_record_push_results(ordered, actor=ACTOR, at=clock.now())
    return {o.message.pk: f"{o.error_code} {o.error}".strip() for o in ordered if o.is_failure}


def _with(template: EventOutcome, status: PortalEventStatus, code: str, error: str) -> EventOutcome:
    return replace(template, status=status, error_code=code, error=error)


def _push(
    to_send: list[tuple[OutboxMessage, dict[str, object], EventOutcome]],
    outcomes: dict[int, EventOutcome],
) -> None:
    client = get_client()
    started = clock.now()
    try:
        results: list[PushResult] = client.push([item for _m, item, _t in to_send])
    except PortalError as exc:
        kind = "REJECTED" if isinstance(exc, PortalRejected) else "UNAVAILABLE"
        log.warning(
            "portal.push_failed",
            items=len(to_send),
            kind=kind,
            code=exc.code,
            status=exc.status,
        )
        for message, _item, template in to_send:
            outcomes[message.pk] = _with(
                template, PortalEventStatus.WAITING, exc.code or kind, str(exc)[:500]
            )
        return
    rejected = 0
    for (message, _item, template), result in zip(to_send, results, strict=True):
        if result.is_accepted:
            outcomes[message.pk] = _with(template, PortalEventStatus.ACKNOWLEDGED, "", "")
        else:
            rejected += 1
            outcomes[message.pk] = _with(
                template, PortalEventStatus.REJECTED, result.code, result.description
            )
    log.info(
        "portal.push",
        items=len(to_send),
        rejected=rejected,
        ms=int((clock.now() - started).total_seconds() * 1000),
    )
