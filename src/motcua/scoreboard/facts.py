"""The facts of a dossier, how a period counts them, and where they come from.

``FactData`` is everything the Decision 766 indicators count about one received dossier,
each with the moment it became true. ``values_at(fact, at)`` is what the dossier
contributes to a period evaluated at ``at`` (§5.4: "situation at period end"), and
``contributions(fact, now)`` spreads that over the counter rows it belongs to: its
receipt month, quarter and year (evaluated at ``min(period end, now)``), its unit and the
unit above, all procedures and its own procedure. Both the incremental consumers and the
full recomputation go through these functions, so they cannot disagree.

``extract_facts`` reads the system-of-record rows (dossiers, their supplement requests,
documents, apology, the procedure version) and the scoreboard's inbox of events that
live nowhere else (ratings, online payments, national-portal acknowledgements). Flags
that other parts of the platform will add later (reuse of data, the citizen data store)
are declared in ``FLAG_SOURCES``: adding one is one entry there.

Counting rules that the law leaves open are settings (ADR 0019):
``SCOREBOARD_SECOND_SUPPLEMENT_IS_LATE`` (default True: more than one supplement request
in processing makes a dossier late, R33) and ``SCOREBOARD_APOLOGY_IS_LATE`` (default True:
a dossier given an apology and a new date counts as late, R39).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q
from django.utils.dateparse import parse_datetime

from motcua.agencies.models import Agency
from motcua.catalog.enums import OnlineLevel
from motcua.catalog.models import ProcedureVersion
from motcua.dossiers import deadlines
from motcua.dossiers.enums import SubmissionChannel
from motcua.dossiers.models import Dossier, DossierDocument, Extension, SupplementRequest
from motcua.dossiers.states import DossierState
from motcua.scoreboard.enums import Channel, Timeliness
from motcua.scoreboard.models import ScoreEvent
from motcua.scoreboard.periods import month_number, periods_of

__all__ = [
    "FACT_FIELDS",
    "FLAG_SOURCES",
    "INBOX_TOPICS",
    "CounterKey",
    "FactData",
    "FlagSource",
    "classes_of",
    "classify",
    "contributions",
    "extract_facts",
    "next_change_at",
    "stored_row",
    "time_columns",
    "values_at",
]

_TICK = dt.timedelta(microseconds=1)
CounterKey = tuple[str, str, int]  # (period key, procedure code or "", unit id)

PAID_TOPIC = "payments.order.paid"
RATED_TOPIC = "dossiers.dossier.rated"
ACK_TOPIC = "integration.portal.acknowledged"
INBOX_TOPICS = (RATED_TOPIC, PAID_TOPIC, ACK_TOPIC)


@dataclass
class FactData:
    """One received dossier as the index sees it (the fields of ``DossierFact``)."""

    dossier_id: int
    unit_id: int
    parent_unit_id: int | None
    procedure_code: str
    code: str
    received_at: dt.datetime
    due_at: dt.datetime | None
    channel: int
    end_at: dt.datetime | None = None
    result_at: dt.datetime | None = None
    e_result_at: dt.datetime | None = None
    extended_at: dt.datetime | None = None
    # (requested, fulfilled or None, due date after it or None), oldest first.
    pauses: list[tuple[dt.datetime, dt.datetime | None, dt.datetime | None]] = field(
        default_factory=list
    )
    is_full_online_eligible: bool = False
    is_full_online: bool = False
    has_fees: bool = False
    paid_online_at: dt.datetime | None = None
    result_is_document: bool = True
    has_component_files: bool = False
    is_reused: bool = False
    is_from_data_store: bool = False
    is_citizen_data: bool = False
    first_ack_at: dt.datetime | None = None
    first_late_ack_at: dt.datetime | None = None
    satisfaction: str = ""
    rated_at: dt.datetime | None = None
    rating_total: int | None = None

    @property
    def month(self) -> int:
        return month_number(self.received_at)

    def as_row(self) -> dict[str, Any]:
        """Return the values of a ``DossierFact`` row (without classes and sweep)."""
        row = {name: getattr(self, name) for name in FACT_FIELDS}
        row["pauses"] = [[p[0].isoformat(), _iso(p[1]), _iso(p[2])] for p in self.pauses]
        row["month"] = self.month
        return row

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> FactData:
        values = {name: row[name] for name in FACT_FIELDS}
        pauses = row.get("pauses") or []
        if isinstance(pauses, str):  # a raw jsonb value (the PostgreSQL fast path)
            pauses = json.loads(pauses)
        values["pauses"] = [(_dt(p[0]), _dt(p[1]), _dt(p[2])) for p in pauses]
        return cls(**values)


FACT_FIELDS: tuple[str, ...] = (
    "dossier_id",
    "unit_id",
    "parent_unit_id",
    "procedure_code",
    "code",
    "received_at",
    "due_at",
    "channel",
    "end_at",
    "result_at",
    "e_result_at",
    "extended_at",
    "pauses",
    "is_full_online_eligible",
    "is_full_online",
    "has_fees",
    "paid_online_at",
    "result_is_document",
    "has_component_files",
    "is_reused",
    "is_from_data_store",
    "is_citizen_data",
    "first_ack_at",
    "first_late_ack_at",
    "satisfaction",
    "rated_at",
    "rating_total",
)


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _dt(value: Any) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value
    return parse_datetime(str(value))


def _rule(name: str, default: bool) -> bool:
    return bool(getattr(settings, name, default))


# --- How a period counts a fact ------------------------------------------------------------


def _happened(moment: dt.datetime | None, at: dt.datetime) -> bool:
    return moment is not None and moment <= at


def due_at_as_of(fact: FactData, at: dt.datetime) -> dt.datetime | None:
    """Return the original due date moved by the supplement pauses completed by ``at``."""
    due = fact.due_at
    for _requested, fulfilled, due_after in fact.pauses:
        if fulfilled is not None and fulfilled <= at and due_after is not None:
            due = due_after
    return due


def _waiting_since(fact: FactData, at: dt.datetime) -> dt.datetime | None:
    for requested, fulfilled, _due in fact.pauses:
        if requested <= at and (fulfilled is None or fulfilled > at):
            return requested
    return None


def _late_by_rule(fact: FactData, at: dt.datetime) -> bool:
    if _rule("SCOREBOARD_SECOND_SUPPLEMENT_IS_LATE", True) and (
        sum(1 for p in fact.pauses if p[0] <= at) > 1
    ):
        return True
    return _rule("SCOREBOARD_APOLOGY_IS_LATE", True) and _happened(fact.extended_at, at)


def classify(fact: FactData, at: dt.datetime) -> str | None:
    """Return the dossier's class at ``at`` (§5.4, R35), or None before its receipt.

    Finished (end of processing by ``at``): on time iff its end is not after the due
    date moved by its supplement pauses. Not finished: within time iff ``at`` — or, while
    it waits for the applicant's supplement, the request's time — is not after that due
    date. More than one supplement request, or an apology, makes it late (settings).
    """
    if fact.received_at > at:
        return None
    late = _late_by_rule(fact, at)
    if _happened(fact.end_at, at):
        assert fact.end_at is not None
        if late:
            return Timeliness.LATE
        due = due_at_as_of(fact, fact.end_at)
        return Timeliness.ON_TIME if due is None or fact.end_at <= due else Timeliness.LATE
    if late:
        return Timeliness.OVERDUE
    reference = _waiting_since(fact, at) or at
    due = due_at_as_of(fact, at)
    return Timeliness.IN_TIME if due is None or reference <= due else Timeliness.OVERDUE


def values_at(fact: FactData, at: dt.datetime) -> dict[str, int]:
    """Return what the dossier adds to the counters of a period evaluated at ``at``."""
    klass = classify(fact, at)
    if klass is None:
        return {}
    out = {"received": 1}
    if klass in (Timeliness.ON_TIME, Timeliness.LATE):
        out["finished"] = 1
        if klass == Timeliness.ON_TIME:
            out["finished_on_time"] = 1
    else:
        out["open"] = 1
        if klass == Timeliness.IN_TIME:
            out["open_in_time"] = 1
    if fact.channel == Channel.ONLINE:
        out["channel_online"] = 1
    elif fact.channel == Channel.POSTAL:
        out["channel_postal"] = 1
    else:
        out["channel_direct"] = 1
    if fact.is_full_online_eligible:
        out["full_online_eligible"] = 1
        if fact.is_full_online:
            out["full_online"] = 1
    if fact.has_fees:
        out["fee_dossiers"] = 1
        if _happened(fact.paid_online_at, at):
            out["paid_online"] = 1
    has_result = fact.result_is_document and _happened(fact.result_at, at)
    has_e_result = has_result and _happened(fact.e_result_at, at)
    if has_result:
        out["result_documents"] = 1
        if has_e_result:
            out["e_results"] = 1
    if fact.has_component_files and (not has_result or has_e_result):
        out["digitised"] = 1
    if fact.is_reused:
        out["reused"] = 1
    if fact.is_from_data_store:
        out["from_data_store"] = 1
    if fact.is_citizen_data:
        out["citizen_data"] = 1
    if _happened(fact.first_ack_at, at) and not _happened(fact.first_late_ack_at, at):
        out["synced"] = 1
    dissatisfied = False
    if _happened(fact.rated_at, at):
        out["rated"] = 1
        level = f"rated_{fact.satisfaction}"
        if fact.satisfaction in ("very_satisfied", "satisfied", "dissatisfied"):
            out[level] = 1
        out["rating_points"] = fact.rating_total or 0
        dissatisfied = fact.satisfaction == "dissatisfied"
    if dissatisfied or klass in (Timeliness.LATE, Timeliness.OVERDUE):
        out["unsatisfactory"] = 1
    return out


def classes_of(fact: FactData, now: dt.datetime) -> tuple[str, str, str]:
    """Return the class at the end of the receipt month, quarter and year (live: now)."""
    month, quarter, year = periods_of(fact.received_at)
    return (
        classify(fact, month.evaluated_at(now)) or "",
        classify(fact, quarter.evaluated_at(now)) or "",
        classify(fact, year.evaluated_at(now)) or "",
    )


def units_of(fact: FactData) -> tuple[int, ...]:
    if fact.parent_unit_id is None:
        return (fact.unit_id,)
    return (fact.unit_id, fact.parent_unit_id)


def contributions(fact: FactData | None, now: dt.datetime) -> dict[CounterKey, dict[str, int]]:
    """Return the counter rows the fact adds to, and by how much, when evaluated at ``now``."""
    out: dict[CounterKey, dict[str, int]] = {}
    if fact is None:
        return out
    units = units_of(fact)
    for period in periods_of(fact.received_at):
        values = values_at(fact, period.evaluated_at(now))
        if not values:
            continue
        for unit in units:
            out[(period.key, "", unit)] = values
            out[(period.key, fact.procedure_code, unit)] = values
    return out


def subtract(
    new: Mapping[CounterKey, Mapping[str, int]], old: Mapping[CounterKey, Mapping[str, int]]
) -> dict[CounterKey, dict[str, int]]:
    """Return ``new - old`` per row and column, without the zeros."""
    out: dict[CounterKey, dict[str, int]] = {}
    for key in set(new) | set(old):
        after, before = new.get(key, {}), old.get(key, {})
        row = {
            column: after.get(column, 0) - before.get(column, 0)
            for column in set(after) | set(before)
        }
        row = {column: delta for column, delta in row.items() if delta}
        if row:
            out[key] = row
    return out


def next_change_at(fact: FactData | None, now: dt.datetime) -> dt.datetime | None:
    """Return the first moment after ``now`` at which time alone changes what the fact counts.

    Events carry their own moments (a rating's, a payment's); what matters here is the
    due date of an unfinished dossier passing, and any moment recorded ahead of the clock.
    Beyond the end of the receipt year every period of the dossier is frozen.
    """
    if fact is None:
        return None
    horizon = periods_of(fact.received_at)[2].end
    candidates: list[dt.datetime] = [
        moment
        for moment in (
            fact.received_at,
            fact.end_at,
            fact.result_at,
            fact.e_result_at,
            fact.extended_at,
            fact.paid_online_at,
            fact.first_ack_at,
            fact.first_late_ack_at,
            fact.rated_at,
        )
        if moment is not None
    ]
    dues = [fact.due_at] + [p[2] for p in fact.pauses]
    candidates += [due + _TICK for due in dues if due is not None]
    for requested, fulfilled, _due in fact.pauses:
        candidates.append(requested)
        if fulfilled is not None:
            candidates.append(fulfilled)
    future = [moment for moment in candidates if now < moment < horizon]
    return min(future) if future else None


# --- Where the facts come from ---------------------------------------------------------------


def time_columns(fact: FactData, now: dt.datetime) -> dict[str, Any]:
    """Return the stored columns that time alone changes: the fact's end-of-period
    classes as of ``now``, when they were evaluated, and the next sweep."""
    month, quarter, year = classes_of(fact, now)
    return {
        "class_month": month,
        "class_quarter": quarter,
        "class_year": year,
        "evaluated_at": now,
        "sweep_at": next_change_at(fact, now),
    }


def stored_row(fact: FactData, now: dt.datetime) -> dict[str, Any]:
    """Return the fact's row as stored (its values and ``time_columns``): what both the
    per-event and the bulk writes store."""
    return {**fact.as_row(), **time_columns(fact, now)}


@dataclass(frozen=True)
class FlagSource:
    """A per-dossier flag of the index and where motcua records it.

    ``available`` is False while no part of the platform records it yet: the indicators
    built on it then show "not supported by the platform's data" (and score per the
    profile) instead of a misleading 0 %.
    """

    available: bool
    source: str
    extract: Callable[[Mapping[str, Any], ExtractionContext], bool]


@dataclass
class ExtractionContext:
    dossiers_with_files: set[int] = field(default_factory=set)


def _never(row: Mapping[str, Any], context: ExtractionContext) -> bool:
    return False


FLAG_SOURCES: dict[str, FlagSource] = {
    # HoSoCoThanhPhanSoHoa: a component carries a file (scanned at the desk or sent online).
    "has_component_files": FlagSource(
        True,
        "DossierDocument.stored_file / DossierDocument.is_electronic",
        lambda row, context: row["id"] in context.dossiers_with_files,
    ),
    # TaiKhoanDuocXacThucVoiVNeID (4.5): the applicant's account is e-ID authenticated.
    "is_citizen_data": FlagSource(
        True,
        "Dossier.is_eid_authenticated",
        lambda row, context: bool(row["is_eid_authenticated"]),
    ),
    # DuocTaiSuDung (4.3): a component reused instead of asked for (comes with online intake).
    "is_reused": FlagSource(False, "DossierDocument reuse flag (not recorded yet)", _never),
    # DuocLayTuKhoDMQG / e-result pushed to the citizen data store (4.4).
    "is_from_data_store": FlagSource(False, "citizen data store flags (not recorded yet)", _never),
}

_DOSSIER_COLUMNS = (
    "id",
    "code",
    "procedure_code",
    "procedure_version_id",
    "competent_agency_id",
    "receiving_desk_id",
    "channel",
    "state",
    "received_at",
    "original_due_at",
    "finished_at",
    "paid_at",
    "fee_total",
    "is_payment_at_collection",
    "supplement_count",
    "is_extended",
    "is_eid_authenticated",
    "result_id",
)
_ONLINE_CHANNELS = frozenset({SubmissionChannel.ONLINE_DVCQG, SubmissionChannel.ONLINE_VNEID})
_RESULT_STATES = frozenset({DossierState.RESULT_READY, DossierState.RETURNED})
_ENDED_WITHOUT_RESULT = frozenset({DossierState.STOPPED, DossierState.WITHDRAWN})
_version_cache: dict[int, tuple[bool, str, bool]] = {}


def _version_flags(ids: Iterable[int]) -> dict[int, tuple[bool, str, bool]]:
    """(result is a document, online level, eligible for full online) per version id.

    Published versions never change (catalog ADR), so the flags are kept per process.
    """
    missing = [pk for pk in set(ids) if pk not in _version_cache]
    if missing:
        for pk, is_document, level, eligible in ProcedureVersion.objects.filter(
            pk__in=missing
        ).values_list("pk", "result_is_document", "online_level", "is_full_online_eligible"):
            _version_cache[pk] = (is_document, level, eligible)
    return {pk: _version_cache[pk] for pk in ids if pk in _version_cache}


def _end_of_processing(row: Mapping[str, Any]) -> dt.datetime | None:
    """When processing ended for the index (§4.2: status 9 > 10 > 8/3; 7 ends too)."""
    state = row["state"]
    finished = row["finished_at"]
    if state in _RESULT_STATES:
        paid = row["paid_at"]
        # Signed while fees were due: status 6 until paid, status 9 only then.
        if (
            paid is not None
            and finished is not None
            and paid > finished
            and row["fee_total"] > 0
            and not row["is_payment_at_collection"]
        ):
            return paid
        return finished
    if state in _ENDED_WITHOUT_RESULT:
        return finished
    return None


def _pauses(
    rows: list[Mapping[str, Any]], original_due: dt.datetime | None, desk: Agency | None
) -> list[tuple[dt.datetime, dt.datetime | None, dt.datetime | None]]:
    out: list[tuple[dt.datetime, dt.datetime | None, dt.datetime | None]] = []
    due = original_due
    schedule = deadlines.schedule_of(desk) if rows and original_due is not None else None
    for row in rows:
        due_after = None
        if row["fulfilled_at"] is not None and due is not None and schedule is not None:
            paused = row["paused_working_time"] or dt.timedelta(0)
            due = deadlines.move_due_at(due, paused, schedule)
            due_after = due
        out.append((row["requested_at"], row["fulfilled_at"], due_after))
    return out


def _inbox_facts(events: list[Mapping[str, Any]]) -> dict[str, Any]:
    """Fold a dossier's inbox events into its rating, online payment and sync moments."""
    out: dict[str, Any] = {}
    ratings = sorted(
        (e for e in events if e["topic"] == RATED_TOPIC), key=lambda e: e["occurred_at"]
    )
    if ratings:
        last = ratings[-1]
        payload = last["payload"]
        out["satisfaction"] = str(payload.get("satisfaction") or "")
        total = payload.get("total")
        out["rating_total"] = int(total) if isinstance(total, int) else None
        out["rated_at"] = last["occurred_at"]
    paid = [
        e["occurred_at"]
        for e in events
        if e["topic"] == PAID_TOPIC and e["payload"].get("channel", "online") == "online"
    ]
    if paid:
        out["paid_online_at"] = min(paid)
    acks = [e for e in events if e["topic"] == ACK_TOPIC]
    if acks:
        out["first_ack_at"] = min(e["occurred_at"] for e in acks)
        late = [e["occurred_at"] for e in acks if not e["payload"].get("on_time", False)]
        out["first_late_ack_at"] = min(late) if late else None
    return out


def _ids(field: str, ids: list[int]) -> dict[str, Any]:
    """A filter on ``ids``: ``IN`` for a few, a range (filtered again in Python) for a
    chunk — thousands of placeholders cost more to send than the rows."""
    if len(ids) <= 100:
        return {f"{field}__in": ids}
    return {f"{field}__gte": min(ids), f"{field}__lte": max(ids)}


def extract_facts(
    dossier_ids: Iterable[int],
    *,
    resolve_units: Callable[[int], tuple[int, int | None] | None],
) -> dict[int, FactData | None]:
    """Return the facts of the given dossiers from the system of record (None: not counted).

    A dossier is counted once received (refused or withdrawn before receipt: never) and
    only when its competent agency belongs to an evaluated unit (``resolve_units``).
    """
    ids = list(dossier_ids)
    wanted = set(ids)
    out: dict[int, FactData | None] = dict.fromkeys(ids)
    rows = [
        row
        for row in Dossier.objects.filter(**_ids("pk", ids), received_at__isnull=False).values(
            *_DOSSIER_COLUMNS
        )
        if row["id"] in wanted
    ]
    if not rows:
        return out
    received_ids = [row["id"] for row in rows]
    with_supplements = [row["id"] for row in rows if row["supplement_count"]]
    pauses: dict[int, list[Mapping[str, Any]]] = defaultdict(list)
    if with_supplements:
        for request in (
            SupplementRequest.objects.filter(
                **_ids("dossier_id", with_supplements), stage="processing"
            )
            .order_by("dossier_id", "requested_at", "id")
            .values("dossier_id", "requested_at", "fulfilled_at", "paused_working_time")
        ):
            if request["dossier_id"] in wanted:
                pauses[request["dossier_id"]].append(request)
    extended = [row["id"] for row in rows if row["is_extended"]]
    apologies: dict[int, dt.datetime] = {}
    if extended:
        apologies = dict(
            Extension.objects.filter(**_ids("dossier_id", extended)).values_list(
                "dossier_id", "issued_at"
            )
        )
    context = ExtractionContext(
        dossiers_with_files=set(
            DossierDocument.objects.filter(**_ids("dossier_id", received_ids))
            .filter(Q(stored_file__isnull=False) | Q(is_electronic=True))
            .values_list("dossier_id", flat=True)
            .distinct()
        )
    )
    inbox: dict[int, list[Mapping[str, Any]]] = defaultdict(list)
    for event in ScoreEvent.objects.filter(**_ids("dossier_id", received_ids)).values(
        "dossier_id", "topic", "occurred_at", "payload"
    ):
        if event["dossier_id"] in wanted:
            inbox[event["dossier_id"]].append(event)
    versions = _version_flags(row["procedure_version_id"] for row in rows)
    desks: dict[int, Agency] = {}
    if pauses:
        desk_ids = {row["receiving_desk_id"] for row in rows if row["id"] in pauses}
        desks = {a.pk: a for a in Agency.objects.filter(pk__in=desk_ids)}
    for row in rows:
        units = resolve_units(row["competent_agency_id"])
        if units is None:
            continue
        is_document, level, eligible = versions.get(
            row["procedure_version_id"], (True, OnlineLevel.NONE, False)
        )
        is_online = row["channel"] in _ONLINE_CHANNELS
        channel = (
            Channel.ONLINE
            if is_online
            else Channel.POSTAL
            if row["channel"] == SubmissionChannel.POSTAL_PUBLIC
            else Channel.DIRECT
        )
        end_at = _end_of_processing(row)
        result_at = end_at if row["state"] in _RESULT_STATES else None
        flags: dict[str, Any] = {
            name: source.extract(row, context) for name, source in FLAG_SOURCES.items()
        }
        flags.update(_inbox_facts(inbox.get(row["id"], [])))
        fact = FactData(
            dossier_id=row["id"],
            unit_id=units[0],
            parent_unit_id=units[1],
            procedure_code=row["procedure_code"],
            code=row["code"] or "",
            received_at=row["received_at"],
            due_at=row["original_due_at"],
            channel=int(channel),
            end_at=end_at,
            result_at=result_at,
            e_result_at=result_at if row["result_id"] is not None else None,
            extended_at=apologies.get(row["id"]),
            pauses=_pauses(
                pauses.get(row["id"], []),
                row["original_due_at"],
                desks.get(row["receiving_desk_id"]),
            ),
            is_full_online_eligible=bool(eligible),
            is_full_online=bool(eligible) and is_online and level == OnlineLevel.FULL,
            has_fees=row["fee_total"] > 0,
            result_is_document=bool(is_document),
            **flags,
        )
        out[row["id"]] = fact
    return out
