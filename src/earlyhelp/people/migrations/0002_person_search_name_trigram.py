"""Trigram search on people's names, on PostgreSQL only (SQLite search blocks and scores in Python)."""

from django.db import migrations


def create_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS person_search_name_trgm ON people_person USING gin (search_name gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # The extension stays: other tables may use it.
    schema_editor.execute("DROP INDEX IF EXISTS person_search_name_trgm")


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]

    operations = [migrations.RunPython(create_trigram_index, drop_trigram_index, elidable=False)]
