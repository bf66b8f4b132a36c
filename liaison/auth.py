"""Login throttling (登录限速): wrong passwords slow down the address that sends them.

`LockoutModelBackend` is the project's only authentication backend, so every password login
goes through it: the admin's login form, the web login page and `POST /api/v1/auth/token/`.

Rate limiting as NIST SP 800-63B (5.2.2) describes it, without a lock a stranger can hold:

- Failures are counted per account *and* client address (`liaison.clients.client_address`,
  which believes `X-Forwarded-For` only from trusted proxies). After `LOGIN_MAX_FAILURES` of
  them, that address waits before its next try: one minute, doubling with each further
  failure, never more than `LOGIN_LOCKOUT_SECONDS`. Every other address, the owner's
  included, logs in as usual.
- Failures are also counted per account across all addresses. Past
  `LOGIN_ACCOUNT_DAILY_FAILURES` in a day (a guesser spread over many addresses), any
  address waits after its first failure; an address that has not failed may still try, so
  the owner is never shut out from a clean address.
- A successful login clears its address's count and the account's.

Usernames are counted in their normal form (NFKC, case-folded, trimmed), so `County`,
`ｃｏｕｎｔｙ` and `county ` are one account; names that do not exist are counted too, so the
waits do not tell which usernames exist. The cache is shared by every process (Redis, or the
file cache on a bare machine).
"""

import hashlib
import time
import unicodedata

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from liaison.clients import client_address

FIRST_WAIT_SECONDS = 60
DAY_SECONDS = 24 * 3600
#: The demo accounts' password, printed in the README: no account may choose it, and in
#: production it opens no account even if a database was seeded with it.
DEMO_PASSWORD = "demo12345"


class NotDemoPasswordValidator:
    """A password validator: the published demo password is never a real one."""

    def validate(self, password, user=None):
        if password == DEMO_PASSWORD:
            raise ValidationError(_("不能使用演示密码。"), code="password_is_demo")

    def get_help_text(self):
        return _("不能使用演示数据公开的密码。")


def normalize_username(username) -> str:
    """The form a username is compared in: NFKC (full-width and look-alike forms folded),
    trimmed, case-folded."""
    return unicodedata.normalize("NFKC", str(username)).strip().casefold()


def _max_failures() -> int:
    return max(1, int(settings.LIAISON["LOGIN_MAX_FAILURES"]))


def _longest_wait() -> int:
    return max(1, int(settings.LIAISON["LOGIN_LOCKOUT_SECONDS"]))


def _account_daily_failures() -> int:
    return max(1, int(settings.LIAISON.get("LOGIN_ACCOUNT_DAILY_FAILURES", 100)))


def _key(kind: str, *parts: str) -> str:
    # Hashed: usernames may hold characters some cache backends refuse in keys.
    raw = "\x00".join(normalize_username(parts[0]) if i == 0 else part for i, part in enumerate(parts))
    digest = hashlib.sha256(raw.encode("utf-8", "surrogatepass")).hexdigest()
    return f"liaison:login:{kind}:{digest}"


def _increment(key: str, timeout: int) -> int:
    cache.add(key, 0, timeout=timeout)  # the count starts at the first failure
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=timeout)
        return 1


def lockout_remaining(username: str, address: str) -> int:
    """Seconds until `address` may try `username` again; 0 when it may try now."""
    if not username:
        return 0
    until = cache.get(_key("wait", username, address))
    if until is None:
        return 0
    remaining = until - time.time()
    return max(1, int(remaining + 0.999)) if remaining > 0 else 0


def record_failure(username: str, address: str) -> int:
    """Count one failed attempt from `address`; returns the wait now imposed on it (0: none)."""
    account_failures = _increment(_key("account", username), DAY_SECONDS)
    failures = _increment(_key("failures", username, address), DAY_SECONDS)
    threshold = 1 if account_failures >= _account_daily_failures() else _max_failures()
    if failures < threshold:
        return 0
    wait = min(_longest_wait(), FIRST_WAIT_SECONDS * 2 ** min(failures - threshold, 20))
    cache.set(_key("wait", username, address), time.time() + wait, timeout=wait)
    return wait


def clear_failures(username: str, address: str) -> None:
    cache.delete_many(
        [_key("account", username), _key("failures", username, address), _key("wait", username, address)]
    )


class LockoutModelBackend(ModelBackend):
    """Django's username/password backend with the waits above, and usernames compared in
    their normal form (`User.objects.get_by_natural_key`)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if username is None or password is None:
            return None
        username = str(username)
        address = client_address(request)
        if settings.PRODUCTION and password == DEMO_PASSWORD:
            record_failure(username, address)
            return None
        if lockout_remaining(username, address):
            # PermissionDenied makes django.contrib.auth.authenticate() stop here: no other
            # backend is asked, and the caller sees an ordinary failed login.
            raise PermissionDenied("login throttled")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            record_failure(username, address)
        else:
            clear_failures(username, address)
        return user
