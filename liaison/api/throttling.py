"""Rate limits. Rates live in `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]` (environment:
`LIAISON_THROTTLE_TOKEN`, `LIAISON_THROTTLE_PUBLIC`), read on every request so a changed
setting applies without re-importing this module."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class AddressRateThrottle(SimpleRateThrottle):
    """Limit requests per client address (behind a proxy: `X-Forwarded-For`, as DRF reads
    it with `NUM_PROXIES`), whoever is or is not signed in. Subclasses set `scope`."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenIssueThrottle(AddressRateThrottle):
    """`POST auth/token/`: slows down password guessing from one address (the lockout in
    `liaison.auth` protects each account from many addresses)."""

    scope = "token"
