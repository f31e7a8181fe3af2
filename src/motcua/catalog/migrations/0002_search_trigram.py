"""On PostgreSQL, index the folded search column for substring search with pg_trgm.

``search_text`` is folded (lower case, no diacritics) when written and queries are
folded the same way, so the selectors use ``contains`` (``LIKE``): ``icontains`` would
compile to ``UPPER(search_text) LIKE …`` and re-case every row (4× slower in the
benchmark) for no gain. The GIN index serves ``LIKE '%…%'`` once the catalogue is large
and a query selective. SQLite needs nothing.
"""

from django.db import migrations

PG_UP = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm;",
    "CREATE INDEX IF NOT EXISTS catalog_version_search_trgm "
    "ON catalog_procedureversion USING gin (search_text gin_trgm_ops);",
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
