"""progress_allocate_statements(n): ids and one stored time for n statements, atomically.

Ids are drawn and the clock read under an advisory lock held for microseconds, so that a
statement with a greater id never has an earlier ``stored``: ordering by id (the index order
every query uses) is ordering by stored time, as Communication §2.1.3 asks. PostgreSQL only;
SQLite serialises writers anyway.
"""

from django.db import migrations

# The advisory lock key 7270010 is Practica's; nothing else may use it.
CREATE = """
CREATE OR REPLACE FUNCTION progress_allocate_statements(n integer)
RETURNS TABLE(id bigint, stored timestamptz) LANGUAGE plpgsql AS $$
DECLARE
    t timestamptz;
BEGIN
    PERFORM pg_advisory_lock(7270010);
    BEGIN
        t := date_trunc('milliseconds', clock_timestamp());
        RETURN QUERY
            SELECT nextval(pg_get_serial_sequence('progress_statement', 'id')), t
            FROM generate_series(1, n);
    EXCEPTION WHEN OTHERS THEN
        PERFORM pg_advisory_unlock(7270010);
        RAISE;
    END;
    PERFORM pg_advisory_unlock(7270010);
END $$;
"""
DROP = "DROP FUNCTION IF EXISTS progress_allocate_statements(integer);"


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("progress", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
