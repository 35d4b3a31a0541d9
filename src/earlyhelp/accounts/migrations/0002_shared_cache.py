"""The table of the shared cache (config/cache.py), so that `migrate` alone makes it."""

from django.core.management.commands.createcachetable import Command
from django.db import migrations

TABLE = "earlyhelp_cache"


def create_table(apps, schema_editor):
    command = Command()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)  # skipped when it exists


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):

    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(create_table, drop_table, elidable=False)]
