"""Keep the facts and counters current, one event at a time (the outbox consumers' actions).

An event is a trigger, not a delta: ``do_refresh_facts`` locks the dossier's fact row,
re-reads the dossier from the system of record, computes what it now contributes to
each counter row and what it contributed when last evaluated, and adds the difference
(one upsert statement). Replaying an event therefore changes nothing; events that carry
content stored nowhere else (ratings, online payments, portal acknowledgements) are kept
in the inbox first, once per message id. A change that reaches a period that had already
ended is a *revision*: the row's revision count goes up and a ``CounterRevision`` row
says which dossier and event caused it.

``do_sweep_facts`` applies the passage of time: a dossier still in processing whose due
date passes moves from "within time" to "overdue" in its live periods.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from django.db import connection, transaction
from django.utils.dateparse import parse_datetime
from pydantic import BaseModel, Field, ValidationError

from motcua.integration.models import OutboxMessage
from motcua.kernel import clock
from motcua.kernel.actors import Actor
from motcua.kernel.errors import InvalidInput
from motcua.scoreboard import counters
from motcua.scoreboard.facts import (
    ACK_TOPIC,
    FACT_FIELDS,
    PAID_TOPIC,
    RATED_TOPIC,
    CounterKey,
    FactData,
    contributions,
    extract_facts,
    stored_row,
    subtract,
    time_columns,
)
from motcua.scoreboard.models import CounterRevision, DossierFact, ScoreEvent
from motcua.scoreboard.periods import Period
from motcua.scoreboard.units import UnitResolver

__all__ = [
    "FACT_TOPICS",
    "apply_facts",
    "do_apply_event",
    "do_apply_events",
    "do_refresh_facts",
    "do_sweep_facts",
    "resolver",
]

resolver = UnitResolver()

# Dossier events after which a fact may differ (the others — transfer, assignment,
# review … — change nothing the index counts).
FACT_TOPICS = frozenset(
    f"dossiers.dossier.{name}"
    for name in (
        "receive",
        "request_supplement",
        "receive_supplement",
        "sign_result",
        "sign_result_pending_payment",
        "record_payment",
        "record_payment_release",
        "return_result",
        "stop",
        "withdraw",
        "issue_apology",
        "digitise_document",
        "mark_document_exempt",
    )
)
_ROW_FIELDS = (
    *FACT_FIELDS,
    "class_month",
    "class_quarter",
    "class_year",
    "evaluated_at",
    "sweep_at",
)


class _Rated(BaseModel):
    criteria: list[int] = Field(min_length=9, max_length=9)
    total: int = Field(ge=0, le=18)
    satisfaction: str = Field(pattern="^(very_satisfied|satisfied|dissatisfied)$")
    rated_at: dt.datetime


class _Paid(BaseModel):
    dossier_id: int
    order_id: int
    amount: int
    paid_at: dt.datetime
    channel: str = "online"


class _Acknowledged(BaseModel):
    dossier_id: int
    national_status: int
    event_at: dt.datetime
    acknowledged_at: dt.datetime
    on_time: bool


@lru_cache(maxsize=512)
def _period(key: str) -> Period:
    return Period.parse(key)


def _resolve(agency_id: int) -> tuple[int, int | None] | None:
    found = resolver.resolve(agency_id)
    if found is None and not getattr(_resolve, "_syncing", False):
        from motcua.scoreboard.actions.units import do_sync_units

        _resolve._syncing = True  # type: ignore[attr-defined]
        try:
            if do_sync_units(actor=Actor.system("scoreboard")):
                found = resolver.resolve(agency_id)
        finally:
            _resolve._syncing = False  # type: ignore[attr-defined]
    return found


def _write_fact(
    dossier_id: int,
    fact: FactData | None,
    existing: dict[str, Any] | None,
    *,
    now: dt.datetime,
) -> None:
    if fact is None:
        if existing is not None:
            DossierFact.objects.filter(pk=dossier_id).delete()
        return
    row = stored_row(fact, now)
    if existing is None:
        DossierFact.objects.create(**row)
    else:
        row.pop("dossier_id")
        DossierFact.objects.filter(pk=dossier_id).update(**row)


def _record_revisions(
    deltas: dict[CounterKey, dict[str, int]], *, now: dt.datetime, dossier_id: int, topic: str
) -> list[CounterKey]:
    revised = [key for key in deltas if _period(key[0]).has_ended(now)]
    CounterRevision.objects.bulk_create(
        CounterRevision(
            unit_id=key[2], period=key[0], dossier_id=dossier_id, topic=topic, revised_at=now
        )
        for key in revised
        if key[1] == ""
    )
    return revised


def _same(fact: FactData | None, existing: dict[str, Any] | None) -> bool:
    if fact is None or existing is None:
        return fact is None and existing is None
    if isinstance(existing.get("pauses"), str):
        existing = {**existing, "pauses": json.loads(existing["pauses"])}
    row = fact.as_row()
    return (
        all(row[name] == existing[name] for name in FACT_FIELDS)
        and row["month"] == existing["month"]
    )


def do_refresh_facts(
    dossier_ids: Iterable[int], *, actor: Actor, topic: str, now: dt.datetime | None = None
) -> int:
    """Bring the facts and counters of the given dossiers up to date; return how many changed.

    ``topic`` names the event that caused it (kept with any revision it makes). Runs
    inside the caller's transaction (the relay's delivery savepoint) or its own.
    """
    moment = now or clock.now()
    ids = sorted(set(dossier_ids))
    # No savepoint of its own: inside the relay's delivery savepoint a failure already
    # undoes everything (two round trips fewer per event).
    with transaction.atomic(savepoint=False):
        existing = _lock_facts(ids)
        facts = extract_facts(ids, resolve_units=_resolve)
        return apply_facts(facts, existing, now=moment, topic=topic)


_FACT_TABLE = DossierFact._meta.db_table


def _lock_facts(ids: list[int]) -> dict[int, dict[str, Any]]:
    """Return the stored facts of ``ids``, locked (``SELECT … FOR UPDATE``).

    On PostgreSQL one plain statement (the hot path of every event: the ORM's query
    building costs more than the query); elsewhere the ORM.
    """
    if connection.vendor == "postgresql":
        columns = [*_ROW_FIELDS, "month"]
        quote = connection.ops.quote_name
        sql = (
            f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(_FACT_TABLE)} "  # noqa: S608
            f"WHERE {quote('dossier_id')} = ANY(%s) FOR UPDATE"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [list(ids)])
            return {row[0]: dict(zip(columns, row, strict=True)) for row in cursor.fetchall()}
    return {
        row["dossier_id"]: row
        for row in DossierFact.objects.select_for_update()
        .filter(pk__in=ids)
        .values(*_ROW_FIELDS, "month")
    }


def apply_facts(
    facts: dict[int, FactData | None],
    existing: dict[int, dict[str, Any]],
    *,
    now: dt.datetime,
    topic: str,
) -> int:
    """Replace the stored facts (locked, ``existing``) by ``facts`` and move the counters by
    the difference of what they contribute; return how many changed. Private to the
    actions (and the property tests, which feed it random facts).

    On PostgreSQL the fact's write, the revision rows and the counter increments of one
    dossier go to the database as one statement (one round trip, ADR 0020).
    """
    changed = 0
    for dossier_id in sorted(facts):
        fact = facts[dossier_id]
        old_row = existing.get(dossier_id)
        old = FactData.from_row(old_row) if old_row is not None else None
        due_sweep = (
            old_row is not None and old_row["sweep_at"] is not None and old_row["sweep_at"] <= now
        )
        if _same(fact, old_row) and not due_sweep:
            continue
        before = contributions(old, old_row["evaluated_at"]) if old_row else {}
        delta = subtract(contributions(fact, now), before)
        if connection.vendor == "postgresql":
            revised = [key for key in delta if _period(key[0]).has_ended(now)]
            statements = _fact_write_pg(dossier_id, fact, old_row, now=now)
            statements += _revisions_pg(revised, now=now, dossier_id=dossier_id, topic=topic)
            counters.apply_deltas(delta, revised=revised, revised_at=now, also=statements)
        else:
            revised = _record_revisions(delta, now=now, dossier_id=dossier_id, topic=topic)
            counters.apply_deltas(delta, revised=revised, revised_at=now)
            _write_fact(dossier_id, fact, old_row, now=now)
        changed += 1
    return changed


_REVISION_TABLE = CounterRevision._meta.db_table


def _revisions_pg(
    revised: list[CounterKey], *, now: dt.datetime, dossier_id: int, topic: str
) -> list[tuple[str, list[Any]]]:
    rows = [key for key in revised if key[1] == ""]
    if not rows:
        return []
    quote = connection.ops.quote_name
    columns = ("unit_id", "period", "dossier_id", "topic", "revised_at")
    sql = (
        f"INSERT INTO {quote(_REVISION_TABLE)} ({', '.join(quote(c) for c in columns)}) "  # noqa: S608
        "SELECT u, p, %s, %s, %s FROM unnest(%s::bigint[], %s::varchar[]) AS r(u, p)"
    )
    return [(sql, [dossier_id, topic, now, [key[2] for key in rows], [key[0] for key in rows]])]


def _fact_write_pg(
    dossier_id: int, fact: FactData | None, existing: dict[str, Any] | None, *, now: dt.datetime
) -> list[tuple[str, list[Any]]]:
    """The statement that stores ``fact`` in place of ``existing`` (none if unchanged)."""
    quote = connection.ops.quote_name
    table = quote(_FACT_TABLE)
    if fact is None:
        if existing is None:
            return []
        sql = f"DELETE FROM {table} WHERE {quote('dossier_id')} = %s"  # noqa: S608
        return [(sql, [dossier_id])]
    row = stored_row(fact, now)

    def value(name: str) -> Any:
        return json.dumps(row[name]) if name == "pauses" else row[name]

    def slot(name: str) -> str:
        return "%s::jsonb" if name == "pauses" else "%s"

    if existing is None:
        names = list(row)
        sql = (
            f"INSERT INTO {table} ({', '.join(quote(n) for n in names)}) "  # noqa: S608
            f"VALUES ({', '.join(slot(n) for n in names)})"
        )
        return [(sql, [value(n) for n in names])]
    stored = existing
    if isinstance(stored.get("pauses"), str):
        stored = {**stored, "pauses": json.loads(stored["pauses"])}
    names = [k for k, v in row.items() if k != "dossier_id" and stored.get(k) != v]
    if not names:
        return []
    sets = ", ".join(f"{quote(n)} = {slot(n)}" for n in names)
    sql = f"UPDATE {table} SET {sets} WHERE {quote('dossier_id')} = %s"  # noqa: S608
    return [(sql, [*(value(n) for n in names), dossier_id])]


def _payload_moment(payload: dict[str, Any], name: str, fallback: dt.datetime) -> dt.datetime:
    value = payload.get(name)
    parsed = parse_datetime(value) if isinstance(value, str) else None
    return parsed if parsed is not None and parsed.tzinfo is not None else fallback


def _inbox_entry(message: OutboxMessage) -> tuple[int, dt.datetime]:
    """Validate an inbox event's payload; return (dossier id, moment); raise on bad input."""
    payload = message.payload or {}
    try:
        if message.topic == RATED_TOPIC:
            rated = _Rated.model_validate(payload)
            if any(not 0 <= c <= 2 for c in rated.criteria) or sum(rated.criteria) != rated.total:
                raise InvalidInput(code="scoreboard.invalid_event")
            return int(message.aggregate_id), rated.rated_at
        if message.topic == PAID_TOPIC:
            paid = _Paid.model_validate(payload)
            return paid.dossier_id, paid.paid_at
        ack = _Acknowledged.model_validate(payload)
        return ack.dossier_id, ack.acknowledged_at
    except (ValidationError, ValueError):
        raise InvalidInput(code="scoreboard.invalid_event") from None


def do_apply_event(message: OutboxMessage, *, actor: Actor, now: dt.datetime | None = None) -> int:
    """Apply one outbox message to the facts and counters; return how many facts changed.

    Dossier events in ``FACT_TOPICS`` refresh the dossier's fact; a rating, an online
    payment or a portal acknowledgement is first kept in the inbox (a second delivery of
    the same message id changes nothing). Raise ``scoreboard.invalid_event`` for a
    payload that does not follow its contract; nothing is written then.
    """
    topic = message.topic
    if topic in (RATED_TOPIC, PAID_TOPIC, ACK_TOPIC):
        dossier_id, moment = _inbox_entry(message)
        with transaction.atomic():
            if ScoreEvent.objects.filter(message_id=message.message_id).exists():
                return 0
            ScoreEvent.objects.create(
                message_id=message.message_id,
                topic=topic,
                dossier_id=dossier_id,
                occurred_at=moment,
                payload=message.payload,
            )
            return do_refresh_facts([dossier_id], actor=actor, topic=topic, now=now)
    if topic in FACT_TOPICS:
        return do_refresh_facts([int(message.aggregate_id)], actor=actor, topic=topic, now=now)
    return 0


def do_apply_events(
    messages: list[OutboxMessage], *, actor: Actor, now: dt.datetime | None = None
) -> tuple[int, dict[int, str]]:
    """Apply a batch of outbox messages; return (facts changed, errors by message pk).

    The batch form of ``do_apply_event`` for the relay: the inbox events are validated
    one by one (a bad payload fails only its own message, with
    ``scoreboard.invalid_event``), kept in the inbox in one ``INSERT`` (those already
    kept are skipped), and the facts of every dossier the batch touches are refreshed
    together — one lock, one extraction — per topic (the topic is kept with the
    revisions it makes).
    """
    failures: dict[int, str] = {}
    by_topic: dict[str, set[int]] = defaultdict(set)
    inbox: list[tuple[OutboxMessage, int, dt.datetime]] = []
    for message in messages:
        if message.topic in (RATED_TOPIC, PAID_TOPIC, ACK_TOPIC):
            try:
                dossier_id, moment = _inbox_entry(message)
            except InvalidInput as error:
                failures[message.pk] = f"{error.code}: {error.message}"
                continue
            inbox.append((message, dossier_id, moment))
        elif message.topic in FACT_TOPICS:
            by_topic[message.topic].add(int(message.aggregate_id))
    with transaction.atomic(savepoint=False):
        if inbox:
            kept = set(
                ScoreEvent.objects.filter(
                    message_id__in=[m.message_id for m, _d, _t in inbox]
                ).values_list("message_id", flat=True)
            )
            fresh = [entry for entry in inbox if entry[0].message_id not in kept]
            ScoreEvent.objects.bulk_create(
                [
                    ScoreEvent(
                        message_id=m.message_id,
                        topic=m.topic,
                        dossier_id=dossier_id,
                        occurred_at=moment,
                        payload=m.payload,
                    )
                    for m, dossier_id, moment in fresh
                ]
            )
            for m, dossier_id, _moment in fresh:
                by_topic[m.topic].add(dossier_id)
        changed = sum(
            do_refresh_facts(ids, actor=actor, topic=topic, now=now)
            for topic, ids in sorted(by_topic.items())
        )
    return changed, failures


def do_sweep_facts(*, actor: Actor, now: dt.datetime | None = None, batch_size: int = 2000) -> int:
    """Apply the passage of time to every fact whose next change is due; return how many.

    Facts locked by a concurrent consumer are skipped (their consumer re-evaluates them).
    Changes of an ended period made here are not revisions: they are the clock catching
    up, not late events.
    """
    moment = now or clock.now()
    swept = 0
    while True:
        with transaction.atomic():
            rows = list(
                DossierFact.objects.select_for_update(skip_locked=True)
                .filter(sweep_at__isnull=False, sweep_at__lte=moment)
                .order_by("sweep_at")
                .values(*_ROW_FIELDS, "month")[:batch_size]
            )
            if not rows:
                return swept
            deltas: dict[CounterKey, dict[str, int]] = defaultdict(dict)
            for row in rows:
                fact = FactData.from_row(row)
                delta = subtract(
                    contributions(fact, moment), contributions(fact, row["evaluated_at"])
                )
                for key, values in delta.items():
                    target = deltas[key]
                    for column, value in values.items():
                        target[column] = target.get(column, 0) + value
                DossierFact.objects.filter(pk=row["dossier_id"]).update(
                    **time_columns(fact, moment)
                )
            counters.apply_deltas({k: v for k, v in deltas.items() if any(v.values())})
            swept += len(rows)
            if len(rows) < batch_size:
                return swept
