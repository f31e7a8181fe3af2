"""``do_recompute_year``: rebuild a year's facts and counters from scratch (audits, repairs).

Facts are extracted again from the system-of-record tables (or, with ``from_facts``,
the stored facts are re-read — the counters are then rebuilt from them) and every
counter row of the year's 17 periods is recomputed through the same ``contributions``
as the incremental consumers: the figures must agree exactly (tested, including a
property test over random event sequences). ``write=False`` only compares and reports
the differences. On PostgreSQL the fact table is locked for the run so that no consumer
changes a fact half-way (events wait in the outbox meanwhile).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, transaction
from django.db.models import Model

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
    classes_of,
    extract_facts,
    next_change_at,
    periods_of,
    values_at,
)
from motcua.scoreboard.models import COUNTER_FIELDS, DISTINCT_FLAGS, DossierFact, ScoreCounter
from motcua.scoreboard.periods import Period

__all__ = ["Difference", "RecomputeReport", "compute_counters", "do_recompute_year", "year_periods"]

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
    row = fact.as_row()
    month, quarter, year = classes_of(fact, now)
    row.update(
        class_month=month,
        class_quarter=quarter,
        class_year=year,
        evaluated_at=now,
        sweep_at=next_change_at(fact, now),
    )
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
) -> RecomputeReport:
    """Recompute the facts (unless ``from_facts``) and the counters of ``year``.

    With ``write`` the year's facts and counter rows are replaced (revision counts are
    kept: they are history) and the catalogue figures refreshed; without, the stored
    counters are compared with the recomputed ones and every difference is reported.
    ``from_facts`` first applies the passage of time to the stored facts (the sweep),
    then counts them.
    """
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
        columns = [
            "period", "procedure_code", "unit_id", *COUNTER_FIELDS, "revision_count", "revised_at",
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
            },
        )
        report.written = True
    return report
