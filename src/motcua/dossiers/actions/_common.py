"""What every dossier action shares: permission checks, the transition call, events.

``check_transition`` raises, in this order, ``WrongState`` (the dossier is not in a
state the transition starts from), ``TransitionNotAllowed`` (missing role) and
``OutOfScope`` (another agency's dossier), before anything is written; ``move`` then
takes the transition through ``workflow.engine.apply_transition`` with the national
status in the same compare-and-set. Non-transition writes (digitisation, apology,
payment at collection) lock the dossier row and go through ``check_extra_action``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db.models import F, Max, Subquery, Value
from django.db.models.expressions import CombinedExpression
from django.db.models.functions import Coalesce

from motcua.documents.forms import FormItem
from motcua.dossiers import deadlines, worklist_cache
from motcua.dossiers.actions.inputs import SupplementItem
from motcua.dossiers.enums import Timeliness
from motcua.dossiers.errors import (
    EmptySupplementRequest,
    MissingReason,
    OutOfScope,
    UnknownDocument,
)
from motcua.dossiers.models import Dossier, HandoverEntry, SupplementRequest
from motcua.dossiers.states import (
    DOSSIER_MACHINE,
    EXTRA_ACTIONS,
    at_current_agency,
    at_receiving_desk,
    national_status_of,
)
from motcua.kernel.actors import Actor
from motcua.workdays.values import ClockPause
from motcua.workflow.engine import apply_transition
from motcua.workflow.errors import TransitionNotAllowed, WrongState
from motcua.workflow.journal import record_change

__all__ = [
    "AGGREGATE",
    "add_handover",
    "check_extra_action",
    "check_supplement_items",
    "check_transition",
    "close_open_handover",
    "increment",
    "lock",
    "move",
    "pauses_of",
    "record_event",
    "require_text",
    "supplement_items_json",
]

AGGREGATE = "dossiers.dossier"


def require_text(value: str, field: str = "reason") -> str:
    """Return ``value`` stripped; raise ``MissingReason`` when it is empty."""
    text = (value or "").strip()
    if not text:
        raise MissingReason(field_errors={field: [MissingReason.default_message]})
    return text


def _scope_error(dossier: Dossier, *, desk: bool) -> OutOfScope:
    agency = dossier.receiving_desk if desk else dossier.current_agency
    return OutOfScope(params={"agency": agency.name})


def check_transition(dossier: Dossier, actor: Actor, name: str) -> None:
    """Raise the error that stops transition ``name`` of ``dossier`` by ``actor``, if any."""
    transition = DOSSIER_MACHINE.get(name)
    if dossier.state not in transition.source:
        raise WrongState(params={"state": DOSSIER_MACHINE.label_of(dossier.state)})
    if transition.roles and not actor.has_role(*transition.roles):
        raise TransitionNotAllowed(params={"transition": str(transition.label)})
    authorize = transition.authorize
    if authorize is not None and not actor.is_system and not authorize(dossier, actor):
        raise _scope_error(dossier, desk=authorize is at_receiving_desk)


def check_extra_action(dossier: Dossier, actor: Actor, name: str) -> None:
    """Like ``check_transition`` for an action that changes no state (``EXTRA_ACTIONS``)."""
    rule = EXTRA_ACTIONS[name]
    if dossier.state not in rule.states:
        raise WrongState(params={"state": DOSSIER_MACHINE.label_of(dossier.state)})
    if not actor.has_role(*rule.roles):
        raise TransitionNotAllowed(params={"transition": str(rule.label)})
    check = at_receiving_desk if rule.desk else at_current_agency
    if not actor.is_system and not check(dossier, actor):
        raise _scope_error(dossier, desk=rule.desk)


def move(
    dossier: Dossier,
    name: str,
    *,
    actor: Actor,
    updates: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
) -> None:
    """Take transition ``name``: state and national status in one compare-and-set.

    ``data`` goes to both the audit row and the outbox payload (with the national
    status codes, which the national portal sync needs).
    """
    transition = DOSSIER_MACHINE.get(name)
    status = national_status_of(transition.target)
    before = worklist_cache.agencies_of(dossier)
    event = {
        "national_status": status,
        "previous_national_status": dossier.national_status,
        **(data or {}),
    }
    apply_transition(
        dossier,
        DOSSIER_MACHINE,
        name,
        actor=actor,
        updates={"national_status": status, **(updates or {})},
        audit_data=event,
        payload={"code": dossier.code, "reference": dossier.reference, **event},
    )
    worklist_cache.touch(dossier, before=before)


def record_event(
    dossier: Dossier, name: str, *, actor: Actor, data: dict[str, Any] | None = None
) -> None:
    """Write the audit row and the outbox message of a change that is not a transition."""
    payload = {"code": dossier.code, "reference": dossier.reference, **(data or {})}
    record_change(
        actor=actor,
        aggregate_type=AGGREGATE,
        aggregate_id=dossier.pk,
        name=name,
        data=data or {},
        payload={**payload, "actor": actor.ref},
    )
    worklist_cache.touch(dossier)


def lock(dossier: Dossier | int) -> Dossier:
    """Return ``dossier`` (an instance or its id) re-read under a row lock (for writes
    that are not transitions)."""
    pk = dossier if isinstance(dossier, int) else dossier.pk
    return (
        Dossier.objects.select_for_update(of=("self",))
        .select_related("receiving_desk", "current_agency", "procedure_version", "case")
        .get(pk=pk)
    )


def pauses_of(dossier: Dossier) -> list[ClockPause]:
    """Return the dossier's supplement pauses during processing (open ones run to now)."""
    return [
        ClockPause(request.requested_at, request.fulfilled_at)
        for request in SupplementRequest.objects.filter(dossier=dossier, stage="processing")
    ]


def close_open_handover(
    dossier: Dossier, *, at: dt.datetime, note: str = ""
) -> HandoverEntry | None:
    """Close the dossier's open control-slip row at ``at`` and classify it (R31)."""
    row = (
        HandoverEntry.objects.filter(dossier=dossier, done_at__isnull=True)
        .order_by("-position")
        .first()
    )
    if row is None:
        return None
    schedule = deadlines.schedule_of(dossier.receiving_desk)
    used, timeliness = deadlines.classify_step(
        row.handed_at,
        at,
        row.allotted,
        schedule,
        pauses_of(dossier) if dossier.supplement_count else (),
    )
    if row.allotted is None and row.due_at is not None:
        timeliness = Timeliness.ON_TIME if at <= row.due_at else Timeliness.LATE
    HandoverEntry.objects.filter(pk=row.pk, done_at__isnull=True).update(
        done_at=at, used=used, timeliness=timeliness, note=note or row.note
    )
    row.done_at, row.used, row.timeliness = at, used, timeliness
    return row


def add_handover(dossier: Dossier, **values: Any) -> HandoverEntry:
    """Append the next control-slip row of ``dossier`` (its position taken in the INSERT)."""
    # One statement: the position is the dossier's highest plus one, computed by the
    # INSERT itself; the writers of one dossier hold its row lock (compare-and-set or
    # ``lock``), and (dossier, position) is unique besides.
    after_last = Subquery(
        HandoverEntry.objects.filter(dossier=dossier.pk)
        .values("dossier")
        .annotate(next=Max("position") + 1)
        .values("next")
    )
    position = Coalesce(after_last, Value(1))
    return HandoverEntry.objects.create(dossier=dossier, position=position, **values)


def check_supplement_items(
    dossier: Dossier, items: Sequence[SupplementItem]
) -> tuple[FormItem, ...]:
    if not items or any(not i.text.strip() or not i.reason.strip() for i in items):
        raise EmptySupplementRequest(
            field_errors={"items": [EmptySupplementRequest.default_message]}
        )
    ids = {d.pk for d in dossier.documents.all()}
    unknown = [
        i.document_id for i in items if i.document_id is not None and i.document_id not in ids
    ]
    if unknown:
        raise UnknownDocument(params={"document": ", ".join(str(pk) for pk in unknown)})
    return tuple(FormItem(text=i.text.strip(), reason=i.reason.strip()) for i in items)


def supplement_items_json(items: Sequence[SupplementItem]) -> list[dict[str, Any]]:
    return [
        {"text": i.text.strip(), "reason": i.reason.strip(), "document_id": i.document_id}
        for i in items
    ]


def increment(field: str) -> CombinedExpression:
    """Return ``F(field) + 1`` for a counter updated in the compare-and-set."""
    return F(field) + 1
