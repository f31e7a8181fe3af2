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
import functools
from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import F, Field
from django.db.models.expressions import CombinedExpression

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


def lock(dossier: Dossier | int, *, light: bool = False) -> Dossier:
    """Return ``dossier`` (an instance or its id) re-read under a row lock (for writes
    that are not transitions).

    ``light``: read only what the checks and the event need (state, agencies, code), not
    the agencies and the procedure with it; other fields load when first used. For a write
    to a document of the dossier, where the full read was most of the action's cost.
    """
    pk = dossier if isinstance(dossier, int) else dossier.pk
    rows = Dossier.objects.select_for_update(of=("self",))
    if light:
        return rows.only(*_LIGHT_FIELDS).get(pk=pk)
    return rows.select_related("receiving_desk", "current_agency", "procedure_version", "case").get(
        pk=pk
    )


# What ``check_extra_action`` and ``record_event`` read.
_LIGHT_FIELDS = (
    "state",
    "code",
    "reference",
    "receiving_desk_id",
    "current_agency_id",
)


def pauses_of(dossier: Dossier) -> list[ClockPause]:
    """Return the dossier's supplement pauses during processing (open ones run to now)."""
    return [
        ClockPause(request.requested_at, request.fulfilled_at)
        for request in SupplementRequest.objects.filter(dossier=dossier, stage="processing")
    ]


def close_open_handover(dossier: Dossier, *, at: dt.datetime, note: str = "") -> None:
    """Close the dossier's open control-slip row at ``at`` and classify it (R31)."""
    row = (
        HandoverEntry.objects.filter(dossier=dossier, done_at__isnull=True)
        .order_by("-position")
        .values_list("pk", "handed_at", "allotted", "due_at", "note")
        .first()
    )
    if row is None:
        return
    pk, handed_at, allotted, due_at, kept_note = row
    schedule = deadlines.schedule_of(dossier.receiving_desk)
    used, timeliness = deadlines.classify_step(
        handed_at,
        at,
        allotted,
        schedule,
        pauses_of(dossier) if dossier.supplement_count else (),
    )
    if allotted is None and due_at is not None:
        timeliness = Timeliness.ON_TIME if at <= due_at else Timeliness.LATE
    _write_handover(
        _CLOSE_HANDOVER,
        {"done_at": at, "used": used, "timeliness": timeliness, "note": note or kept_note},
        {"id": pk},
    )


def add_handover(dossier: Dossier, **values: Any) -> None:
    """Append the next control-slip row of ``dossier`` (its position taken in the INSERT)."""
    # One statement: the position is the dossier's highest plus one, computed by the
    # INSERT itself; the writers of one dossier hold its row lock (compare-and-set or
    # ``lock``), and (dossier, position) is unique besides.
    row = {"dossier": dossier.pk, **values}
    for name in ("from_agency", "to_agency"):
        agency = row.get(name)
        row[name] = getattr(agency, "pk", agency)
    _write_handover(_ADD_HANDOVER, row, {"dossier": dossier.pk})


# The control slip's two writes, one on every transfer, forward, signature and return,
# written as SQL prepared once per process: the ORM compiles an ``INSERT … SELECT`` with
# a subquery in about 1 ms of CPU, more than the rest of a transition's own work (issue 4).
# Values still go through the model's fields (``get_db_prep_save``), as the ORM does.
_ADD_HANDOVER = "add"
_CLOSE_HANDOVER = "close"


_Fields = tuple["Field[Any, Any]", ...]


@functools.cache
def _handover_sql(kind: str, vendor: str) -> tuple[str, _Fields, _Fields]:
    """Return the statement, the fields it sets and the fields it filters on.

    Identifiers come from the model's metadata; every value is a parameter. ``vendor``
    keys the cache (the quoting is the connection's).
    """
    meta = HandoverEntry._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    field = {f.name: f for f in meta.concrete_fields}
    # The statement sends values as they are; a field whose value the ORM computes at
    # save time (``pre_save``: auto_now, auto_now_add) would be written as NULL here.
    computed = [f.name for f in field.values() if getattr(f, "auto_now", False)]
    computed += [f.name for f in field.values() if getattr(f, "auto_now_add", False)]
    if computed:
        raise TypeError(f"HandoverEntry fields set at save time need the ORM: {computed}")
    column = {name: quote(str(f.column)) for name, f in field.items()}
    names: tuple[str, ...]
    if kind == _CLOSE_HANDOVER:
        names = ("done_at", "used", "timeliness", "note")
        sets = ", ".join(f"{column[name]} = %s" for name in names)
        sql = (
            f"UPDATE {table} SET {sets} "  # noqa: S608
            f"WHERE {column['id']} = %s AND {column['done_at']} IS NULL"
        )
        return sql, tuple(field[name] for name in names), (field["id"],)
    names = tuple(name for name in field if name not in ("id", "position"))
    columns = ", ".join(column[name] for name in (*names, "position"))
    parameters = ", ".join(["%s"] * len(names))
    sql = (
        f"INSERT INTO {table} ({columns}) SELECT {parameters}, "  # noqa: S608
        f"COALESCE(MAX({column['position']}), 0) + 1 FROM {table} "
        f"WHERE {column['dossier']} = %s"
    )
    return sql, tuple(field[name] for name in names), (field["dossier"],)


def _write_handover(kind: str, values: dict[str, Any], where: dict[str, Any]) -> None:
    sql, sets, keys = _handover_sql(kind, connection.vendor)
    params = [
        f.get_db_prep_save(values[f.name] if f.name in values else f.get_default(), connection)
        for f in sets
    ]
    params += [f.get_db_prep_save(where[f.name], connection) for f in keys]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


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
