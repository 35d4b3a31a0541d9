"""The cache every worker process and host shares: limits and one-time tokens count here.

By default Django's database cache, in the table accounts' migration makes; Redis when
EARLYHELP_CACHE_URL or REDIS_URL names one (settings/base.py). Nothing that limits or locks
is kept in a process's own memory: gunicorn's workers would each count on their own.
"""

from contextlib import contextmanager

from django.core.cache import cache
from django.core.cache.backends import db
from django.db import connections, router, transaction

TABLE = "earlyhelp_cache"  # made by accounts/migrations/0002_shared_cache.py


class DatabaseCache(db.DatabaseCache):
    """Django's database cache with add and incr that two workers cannot both win.

    Django's reads the row and then writes it: two workers adding over an expired row both
    succeed, and two incrementing both write the same count. Here each first takes the row's
    write lock, so the second waits for the first to commit and then sees its value.
    """

    @contextmanager
    def _row_locked(self, key, version):
        alias = router.db_for_write(self.cache_model_class)
        connection = connections[alias]
        quote = connection.ops.quote_name
        with transaction.atomic(using=alias):
            with connection.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {quote(self._table)} SET {quote('expires')} = {quote('expires')} "
                    f"WHERE {quote('cache_key')} = %s",
                    [self.make_and_validate_key(key, version)],
                )
            yield

    def add(self, key, value, timeout=db.DEFAULT_TIMEOUT, version=None):
        with self._row_locked(key, version):
            return super().add(key, value, timeout, version)

    def incr(self, key, delta=1, version=None):
        with self._row_locked(key, version):
            return super().incr(key, delta, version)


def within_limit(key: str, *, limit: int, seconds: int) -> bool:
    """Count one more against key, for `seconds` from the first; False once past the limit.

    Atomic across processes: the first request adds the count, every later one increments
    it, so N requests at once see 1..N and only `limit` of them pass.
    """
    for _ in range(5):
        if cache.add(key, 1, timeout=seconds):
            return limit >= 1
        try:
            count = cache.incr(key)
        except ValueError:  # expired between the add and the incr: start a new count
            continue
        if count == 1:  # Redis's incr remade a key that had just expired: give it its time again
            cache.touch(key, seconds)
        return count <= limit
    return False


def limit_reached(key: str, *, limit: int) -> bool:
    """Whether key has already been counted `limit` times (a look, counting nothing)."""
    return (cache.get(key) or 0) >= limit


def use_once(key: str, *, seconds: int) -> bool:
    """True the first time key is used within `seconds`, in any process; False every time after."""
    return cache.add(f"used:{key}", 1, timeout=seconds)
