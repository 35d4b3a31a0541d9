"""Fast inserts for the seed: PostgreSQL's COPY, with keys taken from the table's sequence.

A council's worth of history is tens of millions of rows. Django's bulk_create spends most of
its time building INSERT statements; COPY takes the values as they are. Rows behave as after
bulk_create: each object gets its primary key, and foreign keys set through objects are filled.
Moments the model would stamp at insert (auto_now_add) are kept when the seed has set them,
so history keeps its real times. Other databases (SQLite for tests and demos) use bulk_create.
"""

from collections.abc import Sequence
from contextlib import contextmanager
from copy import copy
from functools import cache

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models.base import ModelState
from django.utils import timezone

BATCH = 1000


def uses_copy() -> bool:
    return connection.vendor == "postgresql"


@cache
def _shape(model: type[models.Model]) -> tuple[dict, dict, dict]:
    """Plain defaults, callable defaults, and foreign keys by name, worked out once per model."""
    plain, made = {}, {}
    foreign_keys = {}
    for field in model._meta.concrete_fields:
        if field.is_relation:
            foreign_keys[field.name] = field.attname
        if field.has_default():
            if callable(field.default):
                made[field.attname] = field.default
            elif isinstance(field.default, (list, dict, set)):
                made[field.attname] = lambda default=field.default: copy(default)
            else:
                plain[field.attname] = field.default
        elif not field.is_relation:
            plain[field.attname] = None if field.null or not field.empty_strings_allowed else ""
        else:
            plain[field.attname] = None
    return plain, made, foreign_keys


def new_row(model: type[models.Model], **values) -> models.Model:
    """An unsaved `model(**values)` made without Model.__init__, which dominates building millions of rows.

    Values are field names or attnames; a related object given by name is cached as
    Model.__init__ would cache it.
    """
    plain, made, foreign_keys = _shape(model)
    row = model.__new__(model)
    state = row._state = ModelState()
    attributes = row.__dict__
    attributes.update(plain)
    for attname, default in made.items():
        attributes[attname] = default()
    for name, value in values.items():
        attname = foreign_keys.get(name)
        if attname is not None and attname != name:
            state.fields_cache[name] = value
            attributes[attname] = value.pk if value is not None else None
        else:
            attributes[name] = value
    return row


def bulk_insert(
    model: type[models.Model], rows: Sequence[models.Model], *, batch_size: int = BATCH, keep: Sequence[str] = (),
) -> list:
    """Insert `rows` of `model` and return them with their primary keys set.

    `keep` names fields Django stamps at insert whose values, set by the seed, must survive.
    """
    rows = list(rows)
    if not rows:
        return rows
    if not uses_copy():
        kept = [[getattr(row, name) for name in keep] for row in rows]
        created = model.objects.bulk_create(rows, batch_size=batch_size)
        if keep:
            _put_back(model, created, list(keep), kept)
        return created
    _fill_foreign_keys(model, rows)
    _allocate_keys(model, rows)
    fields = [field for field in model._meta.concrete_fields]
    stamped = [field for field in fields if getattr(field, "auto_now_add", False) or getattr(field, "auto_now", False)]
    # JSON and other fields that need preparing; the rest psycopg adapts as they are.
    prepared = [field for field in fields if isinstance(field, models.JSONField)]
    now = timezone.now()
    for row in rows:
        for field in stamped:
            if getattr(row, field.attname) is None:
                setattr(row, field.attname, now)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    attnames = [field.attname for field in fields]
    prepared_index = [(attnames.index(field.attname), field) for field in prepared]
    database = connections[DEFAULT_DB_ALIAS]  # not the proxy: it is asked once per row
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN") as copy:
            for row in rows:
                values = [getattr(row, attname) for attname in attnames]
                for index, field in prepared_index:
                    values[index] = field.get_db_prep_save(values[index], database)
                copy.write_row(values)
    for row in rows:
        row._state.adding = False
        row._state.db = connection.alias
    return rows


def _put_back(model: type[models.Model], rows: list, names: list[str], values: list[list]) -> None:
    """Set the kept values again after bulk_create stamped them: one plain UPDATE per row, sent
    together (much faster than bulk_update's CASE expressions)."""
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(model._meta.pk.column)} = %s",
            [(*(field.get_db_prep_save(value, connection) for field, value in zip(fields, row_values)), row.pk)
             for row, row_values in zip(rows, values)],
        )
    for row, row_values in zip(rows, values):
        for name, value in zip(names, row_values):
            setattr(row, name, value)


def _fill_foreign_keys(model: type[models.Model], rows: list) -> None:
    """A foreign key set as an object saved since (row.family = family) takes that object's key."""
    for field in model._meta.concrete_fields:
        if not field.is_relation:
            continue
        for row in rows:
            if getattr(row, field.attname) is None and field.is_cached(row):
                related = field.get_cached_value(row)
                if related is not None:
                    setattr(row, field.attname, related.pk)


def _allocate_keys(model: type[models.Model], rows: list) -> None:
    pk = model._meta.pk
    missing = [row for row in rows if row.pk is None]
    if not missing:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, pk.column, len(missing)],
        )
        keys = sorted(key for (key,) in cursor.fetchall())
    for row, key in zip(missing, keys):
        setattr(row, pk.attname, key)


def _project_tables() -> list[str]:
    from django.apps import apps

    return sorted({model._meta.db_table for model in apps.get_models(include_auto_created=True)
                   if model.__module__.startswith("earlyhelp.") or model._meta.app_label in _PROJECT_APPS})


# Tables the seed reads by family while it loads: their indexes stay.
LOOKED_UP_WHILE_LOADING = ("people_familymember", "frontdoor_requestforsupport")
_PROJECT_APPS = {"accounts", "people", "frontdoor", "episodes", "sharing", "audit", "reporting", "calendar", "web"}


@contextmanager
def loading_in_bulk():
    """On PostgreSQL, drop foreign keys and secondary indexes while loading, then put them back.

    Checking a foreign key or updating a trigram index row by row costs more than the COPY
    itself; adding them back afterwards checks and builds each in one pass. Runs inside the
    caller's transaction, so a failure leaves the schema as it was.
    """
    if not uses_copy():
        yield
        return
    tables = _project_tables()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
            FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid::regclass::text = ANY(%s)
            ORDER BY 1, 2
            """,
            [tables],
        )
        foreign_keys = cursor.fetchall()
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            WHERE i.indrelid::regclass::text = ANY(%s) AND NOT i.indisprimary
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
              AND NOT (i.indrelid::regclass::text = ANY(%s))
            ORDER BY 1
            """,
            [tables, list(LOOKED_UP_WHILE_LOADING)],
        )
        indexes = cursor.fetchall()
        for table, name, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
        for table, name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}")
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
