"""Dossier codes ``<receiving unit code>-<yymmdd>-<nnnn>`` that never collide (§7.1, R26).

The number is a per-unit daily sequence in ``DossierCodeSequence``, incremented with
``UPDATE … SET last_number = last_number + 1`` inside the caller's transaction: the row
stays locked until commit, so two desks receiving at the same moment queue on that row
and get consecutive numbers (PostgreSQL), and SQLite serialises writers anyway. The
first dossier of a day creates the row; two creators racing on it are resolved by the
unique constraint and a retry of the increment.

The pattern is the setting ``DOSSIER_CODE_PATTERN`` (``str.format`` fields ``unit``,
``yymmdd``, ``yyyy``, ``mm``, ``dd``, ``seq``), default ``"{unit}-{yymmdd}-{seq:04d}"``.
Past 9,999 a day the number simply widens to five digits, unless the setting
``DOSSIER_CODE_DAILY_LIMIT`` is set (then ``dossier.code_sequence_exhausted``). The date
is the local (Asia/Ho_Chi_Minh) date of receipt.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction

from motcua.dossiers.errors import CodeSequenceExhausted
from motcua.dossiers.models import DossierCodeSequence
from motcua.kernel import clock

__all__ = ["DEFAULT_CODE_PATTERN", "allocate_dossier_code", "format_dossier_code", "next_number"]

DEFAULT_CODE_PATTERN = "{unit}-{yymmdd}-{seq:04d}"


def format_dossier_code(unit_code: str, day: dt.date, number: int) -> str:
    """Return the code of the ``number``-th dossier received by ``unit_code`` on ``day``."""
    pattern = getattr(settings, "DOSSIER_CODE_PATTERN", DEFAULT_CODE_PATTERN)
    return pattern.format(
        unit=unit_code,
        yymmdd=f"{day:%y%m%d}",
        yyyy=f"{day:%Y}",
        mm=f"{day:%m}",
        dd=f"{day:%d}",
        seq=number,
    )


def next_number(unit_code: str, day: dt.date) -> int:
    """Take the next number of ``unit_code`` on ``day``; must run inside a transaction.

    One statement: ``INSERT … ON CONFLICT (unit_code, day) DO UPDATE SET last_number =
    last_number + 1 RETURNING last_number``. The first dossier of the day creates the row;
    later ones increment it under its row lock, held until commit, so two desks receiving
    at once never get the same number (PostgreSQL and SQLite alike).
    """
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("next_number() must run inside transaction.atomic()")
    quote = connection.ops.quote_name
    table = quote(DossierCodeSequence._meta.db_table)
    unit, day_col, last = quote("unit_code"), quote("day"), quote("last_number")
    with connection.cursor() as cursor:
        # Identifiers come from the model (quoted); the values are parameters.
        cursor.execute(
            f"INSERT INTO {table} ({unit}, {day_col}, {last}) VALUES (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT ({unit}, {day_col}) DO UPDATE SET {last} = {table}.{last} + 1 "
            f"RETURNING {last}",
            [unit_code, day],
        )
        (number,) = cursor.fetchone()
    return int(number)


def allocate_dossier_code(unit_code: str, received_at: dt.datetime) -> str:
    """Allocate the code of a dossier received by ``unit_code`` at ``received_at``."""
    day = clock.local(received_at).date()
    number = next_number(unit_code, day)
    limit = getattr(settings, "DOSSIER_CODE_DAILY_LIMIT", None)
    if limit is not None and number > int(limit):
        raise CodeSequenceExhausted(params={"unit": unit_code, "limit": limit})
    return format_dossier_code(unit_code, day, number)
