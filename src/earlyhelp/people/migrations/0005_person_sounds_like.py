"""Names that sound alike: Soundex of the surname and the first name, on PostgreSQL only.

"Already known?" looks people up by how their names sound (Smyth and Smiht for Smith, Jon for
John), through this index, before it falls back to the slower nearest-name search.
"""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS fuzzystrmatch")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS person_sounds_like ON people_person "
        "(soundex(last_name), soundex(first_name)) WHERE merged_into_id IS NULL"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS person_sounds_like")


class Migration(migrations.Migration):
    dependencies = [("people", "0004_person_search_name_nearest")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
