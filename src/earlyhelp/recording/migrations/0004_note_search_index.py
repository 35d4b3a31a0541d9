"""Full-text search of case notes and addenda (issue 12, point 6), on PostgreSQL only: GIN indexes
on the same expressions selectors.family_search asks about (SearchVector of NOTE_SEARCH_FIELDS with
the 'english' configuration), as people's trigram indexes are made. SQLite matches plainly."""

from django.db import migrations

NOTE_WORDS = ("to_tsvector('english'::regconfig, COALESCE(what_happened, '') || ' ' || COALESCE(childs_words, '')"
              " || ' ' || COALESCE(analysis, '') || ' ' || COALESCE(next_steps, ''))")
ADDENDUM_WORDS = "to_tsvector('english'::regconfig, COALESCE(text, ''))"


def create_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS note_words_gin ON recording_casenote USING gin ({NOTE_WORDS})")
    schema_editor.execute(
        f"CREATE INDEX IF NOT EXISTS addendum_words_gin ON recording_addendum USING gin ({ADDENDUM_WORDS})")


def drop_search_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS note_words_gin")
    schema_editor.execute("DROP INDEX IF EXISTS addendum_words_gin")


class Migration(migrations.Migration):
    dependencies = [("recording", "0003_oversightnote")]

    operations = [migrations.RunPython(create_search_indexes, drop_search_indexes, elidable=False)]
