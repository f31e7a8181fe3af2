"""PostgreSQL only: the trigram index serves the folded-text search."""

from __future__ import annotations

import pytest
from django.db import connection

from motcua.catalog.actions import do_create_procedure, do_publish_procedure_version
from motcua.catalog.models import ProcedureVersion
from motcua.catalog.selectors import search_procedures
from tests.catalog.factories import procedure_data

pytestmark = pytest.mark.postgres


def test_search_text_has_a_trigram_index_that_search_uses(agencies, catalog_admin):
    do_publish_procedure_version(
        do_create_procedure(procedure_data(), actor=catalog_admin), actor=catalog_admin
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'catalog_version_search_trgm'"
        )
        (definition,) = cursor.fetchone()
    assert "gin (search_text gin_trgm_ops)" in definition
    query = ProcedureVersion.objects.filter(search_text__contains="khai sinh").order_by()
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "catalog_version_search_trgm" in plan
    assert [v.code for v in search_procedures(q="dang ky khai sinh").items] == ["1.001193"]


def test_the_search_has_a_covering_index(agencies, catalog_admin):
    # (the benchmark shows the planner using it for the count over 6,000 procedures; on a
    # table of one row it rightly prefers another index)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'catalog_version_search_cover'"
        )
        (definition,) = cursor.fetchone()
    assert "(code, number) INCLUDE (state, valid_from, valid_to, search_text)" in definition


@pytest.mark.django_db(transaction=True)
def test_the_import_command_refreshes_the_planner_statistics(tmp_path, agencies):
    from django.core.management import call_command

    from tests.catalog.test_import import json_file, procedure_payload

    source = tmp_path / "in.json"
    source.write_bytes(json_file(procedure_payload()))
    call_command("catalog", "import", str(source), "--publish")

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT last_vacuum IS NOT NULL, last_analyze IS NOT NULL FROM pg_stat_user_tables "
            "WHERE relname = 'catalog_procedureversion'"
        )
        assert cursor.fetchone() == (True, True)
