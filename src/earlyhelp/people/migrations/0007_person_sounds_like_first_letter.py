"""The other name's first letter, not its first two: a typo in the second letter (Dplan for
Dylan) must not hide the person. The larger blocks are fine: the search keeps the closest."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS person_first_sounds_surname_starts")
    schema_editor.execute("DROP INDEX IF EXISTS person_surname_sounds_first_starts")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS person_first_sounds_surname_initial ON people_person "
        "(soundex(first_name), left(lower(last_name), 1)) WHERE merged_into_id IS NULL"
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS person_surname_sounds_first_initial ON people_person "
        "(soundex(last_name), left(lower(first_name), 1)) WHERE merged_into_id IS NULL"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS person_first_sounds_surname_initial")
    schema_editor.execute("DROP INDEX IF EXISTS person_surname_sounds_first_initial")


class Migration(migrations.Migration):
    dependencies = [("people", "0006_person_sounds_like_with_a_prefix")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
