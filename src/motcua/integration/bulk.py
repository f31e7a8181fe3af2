"""Multi-row ``INSERT`` on PostgreSQL without the ORM's per-value compilation.

The relay's hot path writes a few hundred rows per batch into three or four tables;
``QuerySet.bulk_create`` spends most of its time compiling each value (about 0.1 ms a
row for a dozen columns), which alone would cap the relay near the 500 messages/s the
national portal sync needs (bench/sync_bench.py). ``insert_rows`` sends the same rows as
one parameterised statement. Callers keep the ORM path for other databases.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

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
    quoted = ", ".join(connection.ops.quote_name(c) for c in columns)
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    values = ", ".join([one] * len(rows))
    # Identifiers come from the caller's code (quoted); every value is a parameter.
    sql = f"INSERT INTO {connection.ops.quote_name(table)} ({quoted}) VALUES {values}"  # noqa: S608
    params = [value for row in rows for value in row]
    with connection.cursor() as cursor:
        cursor.execute(f"{sql} {suffix}".strip(), params)
        return list(cursor.fetchall()) if "RETURNING" in suffix.upper() else []


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
