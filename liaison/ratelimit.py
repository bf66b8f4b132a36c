"""Counting per client address in the cache, for what DRF's throttles do not cover: the public
web pages (the opinion forms, the tracking page) and quotas that count bytes, not requests.

Cache-based, so every worker process shares the count (Redis, or the file cache on a bare
machine). The address is `liaison.clients.client_address`: behind the trusted proxies
(`LIAISON_TRUSTED_PROXIES`) the client's, never an address a client wrote itself.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from liaison.clients import client_address

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """`"20/hour"` → (20, 3600), as DRF reads its rates."""
    number, period = rate.split("/")
    return int(number), PERIODS[period.strip()[0]]


def api_rate(scope: str, default: str) -> tuple[int, int]:
    """The rate of DRF throttle scope `scope` (REST_FRAMEWORK's DEFAULT_THROTTLE_RATES), so a
    page and its API share one setting."""
    rate = settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}).get(scope) or default
    return parse_rate(rate)


def _add(key: str, amount: int, window: int) -> int:
    """Add `amount` to the counter `key` (created for `window` seconds); the new total."""
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key, amount)
    except ValueError:  # expired between add() and incr()
        cache.set(key, amount, timeout=window)
        return amount


def _key(request, scope: str) -> str:
    return f"liaison:web-throttle:{scope}:{client_address(request)}"


def over_rate(request, scope: str, *, limit: int, window: int) -> bool:
    """Count one request of `scope` from this client; True once more than `limit` in the window."""
    return _add(_key(request, scope), 1, window) > limit


def over_quota(request, scope: str, *, amount: int, limit: int, window: int) -> bool:
    """Charge `amount` (e.g. bytes uploaded) to this client's `scope` quota of `limit` per
    `window` seconds. True, and nothing charged, when it would go past the limit."""
    if amount <= 0:
        return False
    key = _key(request, scope)
    if cache.get(key, 0) + amount > limit:
        return True
    return _add(key, amount, window) > limit
