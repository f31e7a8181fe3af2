"""Multi-row ``INSERT`` on PostgreSQL without the ORM's per-value compilation.

The relay's hot path writes a few hundred rows per batch into three or four tables;
``QuerySet.bulk_create`` spends most of its time compiling each value (about 0.1 ms a
row for a dozen columns), which alone would cap the relay near the 500 messages/s the
national portal sync needs (bench/sync_bench.py). ``insert_rows`` sends the same rows as
one parameterised statement. Callers keep the ORM path for other databases.

The statement takes one array per column (``INSERT … SELECT * FROM unnest(…)``), not
one ``%s`` per value: psycopg parses a query's parameters again on every call once
it is longer than 4,096 characters or has more than 50 parameters (its parse cache
stops there), and for a batch of 200 rows of a dozen columns that parse alone took a
fifth of the relay's time. With arrays the query text is the same short string for any
number of rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from django.apps import apps
from django.db import connection

__all__ = ["insert_rows", "is_fast_path"]


def is_fast_path() -> bool:
    return connection.vendor == "postgresql"


def insert_rows(
    table: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    suffix: str = "",
) -> list[tuple[Any, ...]]:
    """Insert ``rows`` into ``table`` in one statement; return what ``suffix``'s
    ``RETURNING`` gives (``suffix`` may also hold an ``ON CONFLICT`` clause).

    ``table``, ``columns`` and ``suffix`` are trusted identifiers from the caller's
    code, never user input; values are parameters.
    """
    if not rows:
        return []
    quote = connection.ops.quote_name
    types = _column_types(table)
    quoted = ", ".join(quote(c) for c in columns)
    arrays = ", ".join(f"%s::{types[c]}[]" for c in columns)
    # Identifiers and types come from the caller's code and the models (quoted); every
    # value is in a parameter. unnest() yields the rows in the arrays' order.
    sql = f"INSERT INTO {quote(table)} ({quoted}) SELECT * FROM unnest({arrays})"  # noqa: S608
    params = [[row[i] for row in rows] for i in range(len(columns))]
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} {suffix}".strip(), params)
        return list(cursor.fetchall()) if "RETURNING" in suffix.upper() else []


@cache
def _column_types(table: str) -> dict[str, str]:
    """Return the database type of each column of ``table``, from the model that owns it."""
    for model in apps.get_models(include_auto_created=True):
        if model._meta.db_table == table:
            types = {
                field.column: field.db_type(connection) for field in model._meta.concrete_fields
            }
            return {column: db_type for column, db_type in types.items() if column and db_type}
    raise LookupError(f"no model has the table {table!r}")


def upsert_models(objs: Sequence[Any], *, unique: Sequence[str], update: Sequence[str]) -> None:
    """Insert model instances, updating ``update`` columns on a ``unique`` conflict.

    Only for models whose field values the driver adapts as they are (numbers, text,
    booleans, dates and times, UUIDs): no JSON or custom field preparation happens here.
    Falls back to ``bulk_create(update_conflicts=True)`` off PostgreSQL.
    """
    if not objs:
        return
    model = type(objs[0])
    fields = [f for f in model._meta.concrete_fields if not (f.primary_key and f.auto_created)]
    if not is_fast_path():
        model._default_manager.bulk_create(
            objs, update_conflicts=True, unique_fields=list(unique), update_fields=list(update)
        )
        return
    columns = [f.column for f in fields]
    by_name = {f.name: f.column for f in fields}
    conflict = ", ".join(connection.ops.quote_name(by_name[name]) for name in unique)
    sets = ", ".join(
        f"{connection.ops.quote_name(by_name[name])} = EXCLUDED.{connection.ops.quote_name(by_name[name])}"
        for name in update
    )
    insert_rows(
        model._meta.db_table,
        columns,
        [[getattr(obj, f.attname) for f in fields] for obj in objs],
        suffix=f"ON CONFLICT ({conflict}) DO UPDATE SET {sets}",
    )
