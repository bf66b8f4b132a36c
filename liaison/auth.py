"""Login lockout (登录锁定): repeated wrong passwords lock a username for a while.

`LockoutModelBackend` is the project's only authentication backend, so every password login
goes through it: the admin's login form, the web login page and `POST /api/v1/auth/token/`.
It counts failed attempts per username in the cache; `LIAISON["LOGIN_MAX_FAILURES"]`
failures within `LIAISON["LOGIN_LOCKOUT_SECONDS"]` lock the username for that many seconds,
during which even the right password is refused. A successful login clears the count.

Counting per username (not per address) protects an account from a guesser who changes
addresses; counting usernames that do not exist as well keeps the lockout from telling
which usernames exist. The cache is shared by every process (Redis, or the file cache on a
bare machine), so the count holds across workers.
"""

import hashlib
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied


def _max_failures() -> int:
    return max(1, int(settings.LIAISON["LOGIN_MAX_FAILURES"]))


def _window_seconds() -> int:
    return max(1, int(settings.LIAISON["LOGIN_LOCKOUT_SECONDS"]))


def _key(kind: str, username: str) -> str:
    # Hashed: usernames may hold characters some cache backends refuse in keys.
    digest = hashlib.sha256(username.strip().lower().encode("utf-8", "surrogatepass")).hexdigest()
    return f"liaison:login:{kind}:{digest}"


def lockout_remaining(username: str) -> int:
    """Seconds until `username` may try again; 0 when it is not locked."""
    if not username:
        return 0
    until = cache.get(_key("lock", username))
    if until is None:
        return 0
    return max(1, int(until - time.time() + 0.999))


def is_locked(username: str) -> bool:
    return lockout_remaining(username) > 0


def record_failure(username: str) -> int:
    """Count one failed attempt; lock the username when the limit is reached.

    Returns the number of failures counted in the current window.
    """
    window = _window_seconds()
    key = _key("failures", username)
    cache.add(key, 0, timeout=window)  # the window starts at the first failure
    try:
        count = cache.incr(key)
    except ValueError:  # the window expired between add() and incr()
        cache.set(key, 1, timeout=window)
        count = 1
    if count >= _max_failures():
        cache.set(_key("lock", username), time.time() + window, timeout=window)
        cache.delete(key)
    return count


def clear_failures(username: str) -> None:
    cache.delete_many([_key("failures", username), _key("lock", username)])


class LockoutModelBackend(ModelBackend):
    """Django's username/password backend, refusing usernames that are locked out."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        username = str(username)
        if is_locked(username):
            # PermissionDenied makes django.contrib.auth.authenticate() stop here: no other
            # backend is asked, and the caller sees an ordinary failed login.
            raise PermissionDenied("login locked")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            record_failure(username)
        else:
            clear_failures(username)
        return user
