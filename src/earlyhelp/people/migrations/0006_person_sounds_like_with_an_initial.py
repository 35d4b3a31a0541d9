"""A typo can change a name's Soundex code (Smitk for Smith): the first letter of one name with
the Soundex of the other finds those people too, still through an index. The blocks are large
for common names; the search keeps the closest."""

from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
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
    dependencies = [("people", "0005_person_sounds_like")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
