"""Reports, the dashboard and Annex A may read from a streaming replica (docs/deploy.md).

When DATABASE_REPLICA_URL names a replica, the views and tasks marked `reads_from_replica`
read every model from it; everything else, and every write, uses the primary. A replica lags
the primary by a moment, which figures for a month or a year can bear and a family's page
cannot: so only what is marked goes there. Without a replica everything reads the primary.
"""

from collections.abc import Callable
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.http import HttpRequest

REPLICA = "replica"

_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


@contextmanager
def replica_reads():
    """Reads inside the block come from the replica, when there is one."""
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


def reads_from_replica(function: Callable) -> Callable:
    """A view or task whose reads may all come from the replica (reports: a moment's lag is fine)."""

    @wraps(function)
    def reading(*args, **kwargs):
        request = args[0] if args and isinstance(args[0], HttpRequest) else None
        if request is not None:
            request.user.pk  # who is signed in is read from the primary: a new account may not be copied yet
        with replica_reads():
            return function(*args, **kwargs)

    return reading


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if _reading_from_replica.get() and replica_configured():
            return REPLICA
        return None  # the primary

    def db_for_write(self, model, **hints):
        return None  # always the primary

    def allow_relation(self, obj1, obj2, **hints):
        return True  # one database, copied: a row read from the replica relates to the primary's

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA  # the replica is a copy made by PostgreSQL, never migrated itself
