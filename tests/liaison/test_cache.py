"""The Redis cache (liaison/cache.py): one `redis.Redis` per connection pool, shared by every
call and thread, and still answering as an empty cache while Redis cannot be reached."""

from __future__ import annotations

import threading

from liaison.cache import ResilientRedisCache
from tests.proof import stack


def unreachable_cache() -> ResilientRedisCache:
    return ResilientRedisCache(f"redis://127.0.0.1:{stack.free_port()}/0", {})


def test_every_call_uses_the_same_client_for_its_pool():
    client = unreachable_cache()._cache
    first = client.get_client("a")
    assert client.get_client("b") is first and client.get_client("c", write=True) is first  # one server: one pool
    seen = []
    threads = [threading.Thread(target=lambda: seen.append(client.get_client("d"))) for _i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(c is first for c in seen)


def test_a_shared_client_still_fails_open_when_redis_is_away():
    cache = unreachable_cache()
    assert cache.get("throttle", "missing") == "missing"
    assert cache.add("kick", 1) is False and cache.set("k", 1) is None


def test_the_shared_client_counts_on_a_real_redis(tmp_path):
    redis = stack.PrivateRedis(tmp_path)
    redis.start()
    try:
        cache = ResilientRedisCache(redis.url, {})
        assert cache.add("kick", 1, timeout=30) is True and cache.add("kick", 1, timeout=30) is False
        cache.set("history", [1.0, 2.0], timeout=30)
        results = []
        threads = [threading.Thread(target=lambda: results.append(cache.get("history"))) for _i in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert results == [[1.0, 2.0]] * 8
    finally:
        redis.stop()
