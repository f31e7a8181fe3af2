"""The PostgreSQL connection binds values on the server and prepares repeated statements
(ADR 0026)."""

from __future__ import annotations

import pytest
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_a_statement_run_five_times_is_prepared_on_the_server() -> None:
    connection.ensure_connection()
    raw = connection.connection
    assert raw.prepare_threshold == 5
    sql = "SELECT %s::int + 1 AS adr_0026_probe"
    with connection.cursor() as cursor:
        for value in range(6):
            cursor.execute(sql, [value])
            assert cursor.fetchone() == (value + 1,)
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s",
            ["%adr_0026_probe%"],
        )
        assert cursor.fetchone() == (1,)
