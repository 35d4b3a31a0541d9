"""The shared cache (config/cache.py): one for every worker process, counted atomically."""

import importlib

import pytest
from django.core.cache import cache, caches
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from earlyhelp.config.cache import TABLE, DatabaseCache, limit_reached, use_once, within_limit


@pytest.mark.django_db
def test_migrate_alone_makes_the_database_cache_every_worker_shares():
    assert TABLE in connection.introspection.table_names()
    assert isinstance(caches["default"], DatabaseCache)
    # Two cache objects, as two worker processes each have their own: one count between them.
    first, second = DatabaseCache(TABLE, {}), DatabaseCache(TABLE, {})
    assert first.add("visits", 1) and not second.add("visits", 1)
    assert second.incr("visits") == 2 and first.incr("visits") == 3
    assert first.get("visits") == second.get("visits") == 3


@pytest.mark.django_db
def test_an_expired_count_starts_again():
    first, second = DatabaseCache(TABLE, {}), DatabaseCache(TABLE, {})
    first.set("visits", 9, timeout=-1)
    with pytest.raises(ValueError):
        second.incr("visits")
    assert second.add("visits", 1) and not first.add("visits", 1)


@pytest.mark.django_db
def test_a_limit_lets_through_its_number_and_no_more():
    assert [within_limit("sent:a", limit=3, seconds=60) for _ in range(5)] == [True] * 3 + [False] * 2
    assert limit_reached("sent:a", limit=3) and not limit_reached("sent:b", limit=3)
    assert within_limit("sent:b", limit=3, seconds=60)  # each key counts on its own
    assert not within_limit("sent:c", limit=0, seconds=60)


@pytest.mark.django_db
def test_a_token_is_used_once():
    assert use_once("token-1", seconds=60)
    assert not use_once("token-1", seconds=60)
    assert not cache.add("used:token-1", 1)  # the mark is in the shared cache, for any worker
    assert use_once("token-2", seconds=60)


def _reloaded_caches(monkeypatch, **environment):
    from earlyhelp.config.settings import base

    for name in ("EARLYHELP_CACHE_URL", "REDIS_URL"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    try:
        return importlib.reload(base).CACHES["default"]
    finally:
        monkeypatch.undo()
        importlib.reload(base)


def test_redis_is_used_when_configured(monkeypatch):
    assert _reloaded_caches(monkeypatch)["BACKEND"] == "earlyhelp.config.cache.DatabaseCache"
    redis = _reloaded_caches(monkeypatch, REDIS_URL="redis://cache.internal:6379/0")
    assert redis["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis["LOCATION"] == "redis://cache.internal:6379/0"
    chosen = _reloaded_caches(monkeypatch, REDIS_URL="redis://a:6379/0", EARLYHELP_CACHE_URL="rediss://b:6380/1")
    assert chosen["LOCATION"] == "rediss://b:6380/1"
    with pytest.raises(ImproperlyConfigured, match="redis://"):
        _reloaded_caches(monkeypatch, EARLYHELP_CACHE_URL="memcached://c:11211")


def test_the_redis_client_is_installed():
    from django.core.cache.backends.redis import RedisCache

    client = RedisCache("redis://cache.internal:6379/0", {})._cache  # connects only when first used
    assert client._client.__module__.startswith("redis")
