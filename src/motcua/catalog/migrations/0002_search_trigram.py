"""On PostgreSQL, index the folded search column for ``icontains`` with pg_trgm.

Django compiles ``search_text__icontains`` to ``UPPER(search_text) LIKE UPPER(%s)``
on PostgreSQL, so the GIN index is on ``UPPER(search_text)``. SQLite needs nothing:
its catalogue is small enough to scan.
"""

from django.db import migrations

PG_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm;",
    "CREATE INDEX IF NOT EXISTS catalog_version_search_trgm "
    "ON catalog_procedureversion USING gin (UPPER(search_text) gin_trgm_ops);",
]
PG_DOWN = ["DROP INDEX IF EXISTS catalog_version_search_trgm;"]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in PG_UP:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in PG_DOWN:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
