"""Atomic increments of the counter rows: one ``INSERT … ON CONFLICT DO UPDATE`` statement.

Every change of a fact becomes a set of deltas per (period, procedure, unit) row; they
are written in one statement that creates missing rows and adds to existing ones
(``col = col + excluded.col``: the same atomic increment as ``F(col) + delta``, for many
rows in one round trip), on PostgreSQL and SQLite alike. The distinct-procedure columns
(``DISTINCT_FLAGS``) follow: a procedure row holds 1 while its base column is non-zero,
and the all-procedures row the sum of those, corrected in a second statement only when
a procedure row crossed zero. Private to the scoreboard's actions.

The same statement appends the changed (period, unit) pairs to ``ScorecardDirty`` (a
data-modifying ``WITH`` on PostgreSQL, so no extra round trip; a second statement on
SQLite): the stored scorecards of those leagues are refreshed after commit (ADR 0020).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any

from django.db import connection

from motcua.scoreboard.facts import CounterKey
from motcua.scoreboard.models import (
    COUNTER_FIELDS,
    DISTINCT_FLAGS,
    ScorecardDirty,
    ScoreCounter,
)

__all__ = ["apply_deltas", "distinct_corrections", "mark_dirty", "run_together"]

_KEY_COLUMNS = ("period", "procedure_code", "unit_id")


def _upsert(
    rows: Mapping[CounterKey, Mapping[str, int]],
    *,
    revised: Iterable[CounterKey] = (),
    revised_at: dt.datetime | None = None,
    returning: tuple[str, ...] = (),
    dirty: bool = False,
    also: Sequence[tuple[str, list[Any]]] = (),
) -> list[tuple[object, ...]]:
    quote = connection.ops.quote_name
    table = quote(ScoreCounter._meta.db_table)
    revised = set(revised)
    changed = sorted({column for values in rows.values() for column in values})
    columns = [*_KEY_COLUMNS, *COUNTER_FIELDS, "revision_count", "revised_at"]
    postgres = connection.vendor == "postgresql"
    params: list[Any] = []
    if postgres:
        # One parameter for all rows (jsonb_to_recordset): a short statement that the
        # driver parses once and caches, whatever the number of rows.
        records = []
        for key, values in rows.items():
            is_revision = key in revised
            record: dict[str, Any] = dict(zip(_KEY_COLUMNS, key, strict=True))
            record.update({column: values.get(column, 0) for column in COUNTER_FIELDS})
            record["revision_count"] = 1 if is_revision else 0
            record["revised_at"] = revised_at.isoformat() if is_revision and revised_at else None
            records.append(record)
        params.append(json.dumps(records))
    else:
        for key, values in rows.items():
            is_revision = key in revised
            params.extend(key)
            params.extend(values.get(column, 0) for column in COUNTER_FIELDS)
            params.extend((1 if is_revision else 0, revised_at if is_revision else None))
    sets = [f"{quote(c)} = {table}.{quote(c)} + excluded.{quote(c)}" for c in changed]
    if revised:
        sets.append(
            f"{quote('revision_count')} = {table}.{quote('revision_count')} "
            f"+ excluded.{quote('revision_count')}"
        )
        sets.append(
            f"{quote('revised_at')} = COALESCE(excluded.{quote('revised_at')}, "
            f"{table}.{quote('revised_at')})"
        )
    ctes: list[tuple[str, list[Any]]] = []
    pairs = sorted({(key[0], key[2]) for key in rows}) if dirty else []
    if pairs and postgres:
        ctes.append(_dirty_insert_pg(pairs))
        pairs = []
    if also:
        assert postgres, "statements joined to the upsert: PostgreSQL only"
        ctes.extend(also)
    prefix = ""
    if ctes:
        prefix = "WITH " + ", ".join(f"w{i} AS ({sql})" for i, (sql, _p) in enumerate(ctes)) + " "
        params = [value for _sql, values in ctes for value in values] + params
    if postgres:
        source = f"SELECT * FROM jsonb_to_recordset(%s::jsonb) AS r({_record_types()})"  # noqa: S608
    else:
        row_sql = "(" + ", ".join(["%s"] * len(columns)) + ")"
        source = "VALUES " + ", ".join([row_sql] * len(rows))
    # Identifiers only come from the model (quoted); every value is a parameter.
    sql = (
        f"INSERT INTO {table} ({', '.join(quote(c) for c in columns)}) {source}"
        + f" ON CONFLICT ({', '.join(quote(c) for c in _KEY_COLUMNS)}) DO UPDATE SET "
        + ", ".join(sets)
    )
    sql = prefix + sql
    if returning:
        sql += " RETURNING " + ", ".join(quote(c) for c in returning)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        out = list(cursor.fetchall()) if returning else []
        if pairs:
            cursor.execute(_dirty_insert(len(pairs)), [v for pair in pairs for v in pair])
        return out


@lru_cache(maxsize=1)
def _record_types() -> str:
    types = {"period": "varchar", "procedure_code": "varchar", "unit_id": "bigint"}
    types.update(dict.fromkeys(COUNTER_FIELDS, "bigint"))
    types.update(revision_count="integer", revised_at="timestamptz")
    return ", ".join(f"{connection.ops.quote_name(c)} {t}" for c, t in types.items())


def _dirty_insert(count: int) -> str:
    quote = connection.ops.quote_name
    table = quote(ScorecardDirty._meta.db_table)
    values = ", ".join(["(%s, %s)"] * count)
    insert = f"INSERT INTO {table} ({quote('period')}, {quote('unit_id')}) VALUES {values}"  # noqa: S608
    return insert


def _dirty_insert_pg(pairs: list[tuple[str, int]]) -> tuple[str, list[Any]]:
    quote = connection.ops.quote_name
    table = quote(ScorecardDirty._meta.db_table)
    sql = (
        f"INSERT INTO {table} ({quote('period')}, {quote('unit_id')}) "  # noqa: S608
        "SELECT * FROM unnest(%s::varchar[], %s::bigint[])"
    )
    return sql, [[p for p, _u in pairs], [u for _p, u in pairs]]


def run_together(statements: Sequence[tuple[str, list[Any]]]) -> None:
    """Run writes (SQL, parameters) as one statement (PostgreSQL's data-modifying WITH)."""
    if not statements:
        return
    if len(statements) == 1:
        sql, params = statements[0]
    else:
        sql = (
            "WITH "
            + ", ".join(f"w{i} AS ({part})" for i, (part, _p) in enumerate(statements))
            + " SELECT 1"
        )
        params = [value for _sql, values in statements for value in values]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def mark_dirty(pairs: Iterable[tuple[str, int]]) -> None:
    """Say that the scorecards of these (period, unit) pairs must be scored again."""
    chosen = sorted(set(pairs))
    for start in range(0, len(chosen), 2000):
        part = chosen[start : start + 2000]
        with connection.cursor() as cursor:
            cursor.execute(_dirty_insert(len(part)), [v for pair in part for v in pair])


def distinct_corrections(
    rows: Iterable[Mapping[str, object]],
) -> dict[CounterKey, dict[str, int]]:
    """Return the deltas that make the distinct columns agree with their base columns."""
    out: dict[CounterKey, dict[str, int]] = defaultdict(dict)
    for row in rows:
        procedure = str(row["procedure_code"])
        if not procedure:
            continue
        for flag, base in DISTINCT_FLAGS.items():
            want = 1 if int(row[base]) > 0 else 0  # type: ignore[call-overload]
            have = int(row[flag])  # type: ignore[call-overload]
            if want != have:
                period, unit = str(row["period"]), int(row["unit_id"])  # type: ignore[call-overload]
                for key in ((period, procedure, unit), (period, "", unit)):
                    out[key][flag] = out[key].get(flag, 0) + want - have
    return {key: values for key, values in out.items() if any(values.values())}


def apply_deltas(
    deltas: Mapping[CounterKey, Mapping[str, int]],
    *,
    revised: Iterable[CounterKey] = (),
    revised_at: dt.datetime | None = None,
    also: Sequence[tuple[str, list[Any]]] = (),
) -> None:
    """Add ``deltas`` to the counter rows (creating them), then fix the distinct columns.

    Rows in ``revised`` belong to periods that had already ended: their revision count
    goes up and ``revised_at`` is set. ``also`` (PostgreSQL): other writes, as (SQL,
    parameters), run in the same statement (data-modifying ``WITH``): one round trip.
    """
    if not deltas:
        run_together(also)
        return
    bases = set(DISTINCT_FLAGS.values())
    touches_bases = any(key[1] and bases.intersection(values) for key, values in deltas.items())
    returning = (*_KEY_COLUMNS, *bases, *DISTINCT_FLAGS) if touches_bases else ()
    names = list(returning)
    returned = _upsert(
        deltas, revised=revised, revised_at=revised_at, returning=returning, dirty=True, also=also
    )
    if not returned:
        return
    fixes = distinct_corrections(dict(zip(names, row, strict=True)) for row in returned)
    if fixes:
        _upsert(fixes)
