"""Make ``audit_auditevent`` append-only in PostgreSQL too: UPDATE and DELETE raise.

The model refuses them already; the trigger stops raw SQL and other clients. An
operator who must repair data disables the trigger explicitly, and ``motcua audit
verify`` then shows what changed. PostgreSQL only: on the embedded SQLite database a
row trigger would also block Django's test flush (``DELETE``; PostgreSQL flushes with
``TRUNCATE``, which row triggers do not see), and SQLite is not the production store.
"""

from django.db import migrations

PG_UP = """
CREATE OR REPLACE FUNCTION audit_auditevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditevent is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_append_only();
"""
PG_DOWN = """
DROP TRIGGER IF EXISTS audit_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS audit_auditevent_append_only();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_UP)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(PG_DOWN)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
