"""``do_recompute_year``: rebuild a year's facts and counters from scratch (audits, repairs).

Facts are extracted again from the system-of-record tables (or, with ``from_facts``,
the stored facts are re-read — the counters are then rebuilt from them) and every
counter row of the year's 17 periods is recomputed through the same ``contributions``
as the incremental consumers: the figures must agree exactly (tested, including a
property test over random event sequences). ``write=False`` only compares and reports
the differences. On PostgreSQL the fact table is locked for the run so that no consumer
changes a fact half-way (events wait in the outbox meanwhile).

On PostgreSQL the counters are summed in the database (``_SqlCounters``: one
``INSERT … SELECT … GROUP BY`` over the stored facts, ADR 0020) once every fact of the
year is *current* — evaluated at or before ``now`` with no due sweep — which the sweep
that precedes it guarantees: the stored classes at the receipt month's, quarter's and
year's end are then those ``values_at`` computes, and every other column is a comparison
of a stored moment with the period's evaluation moment. The Python path stays the
reference (SQLite, stale facts, ``method="python"``); tests hold them equal.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Model, Q

from motcua.audit import actions as audit
from motcua.dossiers.models import Dossier
from motcua.kernel import clock
from motcua.kernel.actors import Actor
from motcua.scoreboard.actions.catalog import do_refresh_catalog_figures
from motcua.scoreboard.actions.incremental import _resolve, do_sweep_facts
from motcua.scoreboard.facts import (
    FACT_FIELDS,
    CounterKey,
    FactData,
    extract_facts,
    periods_of,
    stored_row,
    values_at,
)
from motcua.scoreboard.models import COUNTER_FIELDS, DISTINCT_FLAGS, DossierFact, ScoreCounter
from motcua.scoreboard.periods import Period

__all__ = [
    "Difference",
    "RecomputeReport",
    "compute_counters",
    "do_recompute_year",
    "sql_counters",
    "year_periods",
]

CHUNK = 5000
_INDEX = {name: i for i, name in enumerate(COUNTER_FIELDS)}
_WIDTH = len(COUNTER_FIELDS)


@dataclass(frozen=True)
class Difference:
    period: str
    procedure_code: str
    unit_id: int
    column: str
    stored: int
    computed: int


@dataclass
class RecomputeReport:
    year: int
    facts: int = 0
    counter_rows: int = 0
    written: bool = False
    method: str = "python"
    differences: list[Difference] = field(default_factory=list)

    @property
    def agrees(self) -> bool:
        return not self.differences


def year_periods(year: int) -> list[Period]:
    periods = [Period(year, "month", m) for m in range(1, 13)]
    periods += [Period(year, "quarter", q) for q in range(1, 5)]
    return [*periods, Period(year, "year", 0)]


class _Accumulator:
    """Sums what facts contribute, per counter row, grouping identical contributions first."""

    def __init__(self, now: dt.datetime) -> None:
        self.now = now
        self.signatures: Counter[tuple[Any, ...]] = Counter()

    def add(self, fact: FactData) -> None:
        parts: list[Any] = [fact.unit_id, fact.parent_unit_id, fact.procedure_code]
        for period in periods_of(fact.received_at):
            values = values_at(fact, period.evaluated_at(self.now))
            parts.append(period.key)
            parts.append(tuple(sorted(values.items())))
        self.signatures[tuple(parts)] += 1

    def rows(self) -> dict[CounterKey, list[int]]:
        out: dict[CounterKey, list[int]] = {}
        for signature, count in self.signatures.items():
            unit, parent, procedure = signature[0], signature[1], signature[2]
            units = (unit,) if parent is None else (unit, parent)
            for index in range(3, 9, 2):
                period, values = signature[index], signature[index + 1]
                if not values:
                    continue
                for u in units:
                    for proc in ("", procedure):
                        row = out.get((period, proc, u))
                        if row is None:
                            row = out[(period, proc, u)] = [0] * _WIDTH
                        for column, value in values:
                            row[_INDEX[column]] += value * count
        # Distinct procedures: a procedure row holds 1 while its base column is non-zero.
        flags = [(_INDEX[flag], _INDEX[base]) for flag, base in DISTINCT_FLAGS.items()]
        for (period, proc, unit), row in list(out.items()):
            if not proc:
                continue
            total = out[(period, "", unit)]
            for flag, base in flags:
                if row[base] > 0:
                    row[flag] = 1
                    total[flag] += 1
        return out


def compute_counters(
    facts: Iterator[FactData], now: dt.datetime
) -> tuple[dict[CounterKey, list[int]], int]:
    """Return every counter row the facts make at ``now``, and how many facts there were."""
    accumulator = _Accumulator(now)
    count = 0
    for fact in facts:
        accumulator.add(fact)
        count += 1
    return accumulator.rows(), count


def _dossier_ids(year: int) -> Iterator[list[int]]:
    start, end = Period(year, "year", 0).start, Period(year, "year", 0).end
    last = 0
    while True:
        ids = list(
            Dossier.objects.filter(received_at__gte=start, received_at__lt=end, pk__gt=last)
            .order_by("pk")
            .values_list("pk", flat=True)[:CHUNK]
        )
        if not ids:
            return
        yield ids
        last = ids[-1]


def _stored_facts(year: int) -> Iterator[FactData]:
    first, last = year * 100 + 1, year * 100 + 12
    queryset = (
        DossierFact.objects.filter(month__gte=first, month__lte=last)
        .order_by("pk")
        .values_list(*FACT_FIELDS)
    )
    for values in queryset.iterator(chunk_size=CHUNK):
        row = dict(zip(FACT_FIELDS, values, strict=True))
        yield FactData.from_row(row)


def _copy(model: type[Model], columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Insert ``rows`` fast: COPY on PostgreSQL, ``bulk_create`` elsewhere."""
    if not rows:
        return
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg 3
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return
    model._default_manager.bulk_create(
        [model(**dict(zip(columns, row, strict=True))) for row in rows], batch_size=500
    )


_FACT_COLUMNS = [
    *FACT_FIELDS,
    "month",
    "class_month",
    "class_quarter",
    "class_year",
    "evaluated_at",
    "sweep_at",
]


def _fact_row(fact: FactData, now: dt.datetime) -> tuple[Any, ...]:
    row = stored_row(fact, now)
    if connection.vendor == "postgresql":
        row["pauses"] = json.dumps(row["pauses"])
    return tuple(row[c] for c in _FACT_COLUMNS)


def _extract_year(year: int, now: dt.datetime, *, write: bool) -> Iterator[FactData]:
    for ids in _dossier_ids(year):
        facts = extract_facts(ids, resolve_units=_resolve)
        chunk = [fact for fact in facts.values() if fact is not None]
        if write:
            _copy(DossierFact, _FACT_COLUMNS, [_fact_row(f, now) for f in chunk])
        yield from chunk


# --- Set-based path (PostgreSQL) -------------------------------------------------------------

# What one fact adds to each counted column, as SQL over the row ``v`` of a fact joined to
# one of its periods (``k``: its class at the period's evaluation moment; the flags are the
# comparisons of its moments with that moment). Mirrors ``facts.values_at``.
_PER_FACT: dict[str, str] = {
    "received": "TRUE",
    "finished": "k IN ('on_time', 'late')",
    "finished_on_time": "k = 'on_time'",
    "open": "k IN ('in_time', 'overdue')",
    "open_in_time": "k = 'in_time'",
    "channel_direct": "channel NOT IN (2, 3)",
    "channel_online": "channel = 2",
    "channel_postal": "channel = 3",
    "full_online_eligible": "foe",
    "full_online": "foe AND fo",
    "fee_dossiers": "fees",
    "paid_online": "fees AND paid",
    "result_documents": "has_result",
    "e_results": "has_e",
    "digitised": "files AND (NOT has_result OR has_e)",
    "reused": "reused",
    "from_data_store": "data_store",
    "citizen_data": "citizen",
    "synced": "synced",
    "rated": "rated",
    "rated_very_satisfied": "rated AND satisfaction = 'very_satisfied'",
    "rated_satisfied": "rated AND satisfaction = 'satisfied'",
    "rated_dissatisfied": "rated AND satisfaction = 'dissatisfied'",
    "unsatisfactory": "(rated AND satisfaction = 'dissatisfied') OR k IN ('late', 'overdue')",
}
_SUMMED = [c for c in COUNTER_FIELDS if c not in DISTINCT_FLAGS]


def sql_counters(year: int, now: dt.datetime) -> tuple[str, list[Any]]:
    """Return a PostgreSQL SELECT of every counter row of ``year`` (columns: period,
    procedure code, unit id, then ``COUNTER_FIELDS``) summed from the stored facts, which
    must be current at ``now`` (see the module's docstring)."""
    quote = connection.ops.quote_name
    fact = quote(DossierFact._meta.db_table)
    periods = year_periods(year)
    params: list[Any] = []
    for period in periods:
        first, last = period.month_range
        params += [period.key, period.kind, first, last, period.evaluated_at(now)]
    values = ", ".join(["(%s, %s, %s::integer, %s::integer, %s::timestamptz)"] * len(periods))
    params += [year * 100 + 1, year * 100 + 12]

    def counted(column: str) -> str:
        if column == "rating_points":
            return "SUM(CASE WHEN rated THEN COALESCE(rating_total, 0) ELSE 0 END)"
        if column == "received":
            return "COUNT(*)"
        return f"COUNT(*) FILTER (WHERE {_PER_FACT[column]})"

    def happened(name: str) -> str:
        return f"COALESCE(f.{quote(name)} <= p.at, FALSE)"

    per_group = ",\n".join(f"{counted(c)} AS {quote(c)}" for c in _SUMMED)
    summed = ", ".join(f"SUM({quote(c)})::bigint AS {quote(c)}" for c in _SUMMED)
    plain = ", ".join(quote(c) for c in _SUMMED)
    flag_row = [f"({quote(DISTINCT_FLAGS[c])} > 0)::int" for c in DISTINCT_FLAGS]
    flag_sum = [f"SUM(({quote(DISTINCT_FLAGS[c])} > 0)::int)::bigint" for c in DISTINCT_FLAGS]
    order = [*_SUMMED, *DISTINCT_FLAGS]
    assert sorted(order) == sorted(COUNTER_FIELDS)

    def in_order(row: dict[str, str]) -> str:
        return ", ".join(row[c] for c in COUNTER_FIELDS)

    procedure_row = {c: quote(c) for c in _SUMMED} | dict(
        zip(DISTINCT_FLAGS, flag_row, strict=True)
    )
    total_row = {c: f"SUM({quote(c)})::bigint" for c in _SUMMED} | dict(
        zip(DISTINCT_FLAGS, flag_sum, strict=True)
    )
    has_result = f"(f.result_is_document AND {happened('result_at')})"
    sql = f"""
WITH p (period, kind, first_month, last_month, at) AS (VALUES {values}),
v AS (
  SELECT p.period, f.unit_id, f.parent_unit_id, f.procedure_code,
    CASE p.kind WHEN 'month' THEN f.class_month WHEN 'quarter' THEN f.class_quarter
      ELSE f.class_year END AS k,
    f.channel, f.is_full_online_eligible AS foe, f.is_full_online AS fo, f.has_fees AS fees,
    {happened("paid_online_at")} AS paid,
    {has_result} AS has_result,
    ({has_result} AND {happened("e_result_at")}) AS has_e,
    f.has_component_files AS files, f.is_reused AS reused,
    f.is_from_data_store AS data_store, f.is_citizen_data AS citizen,
    ({happened("first_ack_at")} AND NOT {happened("first_late_ack_at")}) AS synced,
    {happened("rated_at")} AS rated, f.satisfaction, f.rating_total
  FROM {fact} f JOIN p ON f.month BETWEEN p.first_month AND p.last_month
  WHERE f.month BETWEEN %s AND %s
),
g AS (
  SELECT period, unit_id, parent_unit_id, procedure_code,
{per_group}
  FROM v WHERE k <> '' GROUP BY period, unit_id, parent_unit_id, procedure_code
),
u AS (
  SELECT period, unit_id AS unit, procedure_code, {plain} FROM g
  UNION ALL
  SELECT period, parent_unit_id, procedure_code, {plain} FROM g
  WHERE parent_unit_id IS NOT NULL
),
pr AS (SELECT period, unit, procedure_code, {summed} FROM u GROUP BY period, unit, procedure_code)
SELECT period, procedure_code, unit, {in_order(procedure_row)} FROM pr WHERE procedure_code <> ''
UNION ALL
SELECT period, '', unit, {in_order(total_row)} FROM pr GROUP BY period, unit
"""  # noqa: S608 — identifiers come from the models; every value is a parameter
    return sql, params


def _facts_are_current(year: int, now: dt.datetime) -> bool:
    """True when every stored fact of ``year`` was evaluated by ``now`` with no sweep due."""
    return not (
        DossierFact.objects.filter(month__gte=year * 100 + 1, month__lte=year * 100 + 12)
        .filter(Q(evaluated_at__gt=now) | Q(sweep_at__lte=now))
        .exists()
    )


def _sql_computed(year: int, now: dt.datetime) -> dict[CounterKey, list[int]]:
    sql, params = sql_counters(year, now)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(row[0], row[1], row[2]): list(row[3:]) for row in cursor.fetchall()}


def _sql_write(year: int, now: dt.datetime) -> int:
    quote = connection.ops.quote_name
    table = quote(ScoreCounter._meta.db_table)
    columns = ["period", "procedure_code", "unit_id", *COUNTER_FIELDS]
    sql, params = sql_counters(year, now)
    names = ", ".join(quote(c) for c in [*columns, "revision_count"])
    select = ", ".join(["c.*", "0"])
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({names}) SELECT {select} FROM ({sql}) c",  # noqa: S608
            params,
        )
        return int(cursor.rowcount)


def _year_fact_count(year: int) -> int:
    return DossierFact.objects.filter(month__gte=year * 100 + 1, month__lte=year * 100 + 12).count()


def _compare(year: int, computed: dict[CounterKey, list[int]]) -> list[Difference]:
    keys = [p.key for p in year_periods(year)]
    stored: dict[CounterKey, tuple[int, ...]] = {}
    for values in ScoreCounter.objects.filter(period__in=keys).values_list(
        "period", "procedure_code", "unit_id", *COUNTER_FIELDS
    ):
        stored[(values[0], values[1], values[2])] = tuple(values[3:])
    zero = (0,) * _WIDTH
    out: list[Difference] = []
    for key in sorted(set(stored) | set(computed)):
        have = stored.get(key, zero)
        want = tuple(computed.get(key, zero))
        for column, a, b in zip(COUNTER_FIELDS, have, want, strict=True):
            if a != b:
                out.append(Difference(key[0], key[1], key[2], column, a, b))
    return out


def do_recompute_year(
    year: int,
    *,
    actor: Actor,
    now: dt.datetime | None = None,
    from_facts: bool = False,
    write: bool = True,
    method: str = "auto",
) -> RecomputeReport:
    """Recompute the facts (unless ``from_facts``) and the counters of ``year``.

    With ``write`` the year's facts and counter rows are replaced (revision counts are
    kept: they are history) and the catalogue figures refreshed; without, the stored
    counters are compared with the recomputed ones and every difference is reported.
    ``from_facts`` first applies the passage of time to the stored facts (the sweep),
    then counts them. ``method``: ``"sql"`` sums the stored facts in PostgreSQL,
    ``"python"`` through ``values_at``; ``"auto"`` takes SQL on PostgreSQL when the facts
    are current (always after a write's sweep or extraction).
    """
    if method not in ("auto", "sql", "python"):
        raise ValueError(method)
    if method == "sql" and connection.vendor != "postgresql":
        raise ValueError("the SQL recomputation needs PostgreSQL")
    moment = now or clock.now()
    report = RecomputeReport(year=year)
    keys = [p.key for p in year_periods(year)]
    with transaction.atomic():
        if connection.vendor == "postgresql":
            mode = "EXCLUSIVE" if write else "SHARE"
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {DossierFact._meta.db_table} IN {mode} MODE")
        if from_facts:
            if write:
                do_sweep_facts(actor=actor, now=moment)
            facts: Iterator[FactData] = _stored_facts(year)
        else:
            if write:
                DossierFact.objects.filter(
                    month__gte=year * 100 + 1, month__lte=year * 100 + 12
                ).delete()
            facts = _extract_year(year, moment, write=write)
        # A check of freshly extracted facts (not stored) can only go through Python.
        use_sql = method != "python" and connection.vendor == "postgresql" and (from_facts or write)
        if use_sql and not from_facts:
            for _fact in facts:  # extracted and stored, current at ``moment``
                pass
        elif use_sql and not _facts_are_current(year, moment):
            if method == "sql":
                raise ValueError("the stored facts are not current: sweep them first")
            use_sql = False
        if use_sql:
            report.method = "sql"
            report.facts = _year_fact_count(year)
            if not write:
                computed = _sql_computed(year, moment)
                report.counter_rows = len(computed)
                report.differences = _compare(year, computed)
                return report
        else:
            computed, report.facts = compute_counters(facts, moment)
            report.counter_rows = len(computed)
            if not write:
                report.differences = _compare(year, computed)
                return report
        revisions = {
            (p, c, u): (n, at)
            for p, c, u, n, at in ScoreCounter.objects.filter(
                period__in=keys, revision_count__gt=0
            ).values_list("period", "procedure_code", "unit_id", "revision_count", "revised_at")
        }
        ScoreCounter.objects.filter(period__in=keys).delete()
        if use_sql:
            report.counter_rows = _sql_write(year, moment)
            for (period, procedure, unit), (count, at) in revisions.items():
                ScoreCounter.objects.filter(
                    period=period, procedure_code=procedure, unit_id=unit
                ).update(revision_count=count, revised_at=at)
        else:
            columns = [
                "period", "procedure_code", "unit_id", *COUNTER_FIELDS, "revision_count",
                "revised_at",
            ]  # fmt: skip
            _copy(
                ScoreCounter,
                columns,
                [(*key, *row, *revisions.get(key, (0, None))) for key, row in computed.items()],
            )
        do_refresh_catalog_figures(actor=actor, periods=year_periods(year), now=moment)
        audit.record(
            actor=actor,
            action="scoreboard.recompute",
            aggregate_type="scoreboard.year",
            aggregate_id=year,
            data={
                "facts": report.facts,
                "counter_rows": report.counter_rows,
                "from_facts": from_facts,
                "method": report.method,
            },
        )
        report.written = True
    return report
