"""The Redis cache, failing open.

The cache holds only counters and markers that can be lost: the public forms' per-address
throttle, the API throttles, the login lockout counts, "already e-mailed" markers. When Redis
is down or restarting, Django's `RedisCache` raises `redis.ConnectionError` into the view, and a
voter's opinion would be refused with a 500 although PostgreSQL, where it is kept, is fine.
This backend answers as an empty cache instead (a miss; writes dropped; `incr` as on a missing
key) and logs a warning: while Redis is away, throttles and lockout do not count, and every
submission is still saved and answered.
"""

from __future__ import annotations

import logging

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNAVAILABLE = (RedisConnectionError, RedisTimeoutError, OSError)


class ReusingRedisCacheClient(RedisCacheClient):
    """Django's client builds a new `redis.Redis` around the connection pool for every cache
    call; redis-py 5+ fills a table of response callbacks in each, about 0.2 ms of CPU, twice
    per throttled request (measured, docs/benchmarks.md "Load"). A `redis.Redis` is safe to
    share between threads (each command takes a connection from the pool), so one per pool."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients: dict[int, object] = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class ResilientRedisCache(RedisCache):
    """`RedisCache` that behaves as an empty cache while Redis cannot be reached."""

    def __init__(self, server, params):
        params = dict(params)
        options = dict(params.get("OPTIONS") or {})
        # An unreachable (not just refusing) host must not hold a request for long.
        options.setdefault("socket_connect_timeout", 1)
        options.setdefault("socket_timeout", 1)
        params["OPTIONS"] = options
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def _unavailable(self, operation: str, error: Exception) -> None:
        logger.warning("cache unavailable (%s), answering as an empty cache: %s", operation, error)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout, version)
        except UNAVAILABLE as error:
            self._unavailable("add", error)
            return False

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except UNAVAILABLE as error:
            self._unavailable("get", error)
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set(key, value, timeout, version)
        except UNAVAILABLE as error:
            self._unavailable("set", error)
            return None

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout, version)
        except UNAVAILABLE as error:
            self._unavailable("touch", error)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except UNAVAILABLE as error:
            self._unavailable("delete", error)
            return False

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except UNAVAILABLE as error:
            self._unavailable("get_many", error)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except UNAVAILABLE as error:
            self._unavailable("has_key", error)
            return False

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except UNAVAILABLE as error:
            self._unavailable("incr", error)
            # What incr() raises for a missing key: callers already handle it.
            raise ValueError(f"Key '{key}' not found (cache unavailable)") from error

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout, version)
        except UNAVAILABLE as error:
            self._unavailable("set_many", error)
            return list(data)

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except UNAVAILABLE as error:
            self._unavailable("delete_many", error)
            return None

    def clear(self):
        try:
            return super().clear()
        except UNAVAILABLE as error:
            self._unavailable("clear", error)
            return False
