"""Nearest names first: a GiST trigram index answers "the 100 names closest to this" without
reading every name that shares a few trigrams (which a GIN index must do for common surnames)."""

from django.db import migrations


def use_gist(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS person_search_name_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS person_search_name_gist ON people_person USING gist (search_name gist_trgm_ops)"
    )


def use_gin(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS person_search_name_gist")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS person_search_name_trgm ON people_person USING gin (search_name gin_trgm_ops)"
    )


class Migration(migrations.Migration):
    dependencies = [("people", "0003_search_blocks")]

    operations = [migrations.RunPython(use_gist, use_gin, elidable=False)]
