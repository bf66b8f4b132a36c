"""Rate limits. Rates live in `REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]` (environment:
`LIAISON_THROTTLE_TOKEN`, `LIAISON_THROTTLE_PUBLIC`, `LIAISON_THROTTLE_TRACK`), read on every request so a changed
setting applies without re-importing this module."""

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from liaison.clients import client_address


class AddressRateThrottle(SimpleRateThrottle):
    """Limit requests per client address, whoever is or is not signed in. The address is
    `liaison.clients.client_address`: `X-Forwarded-For` counts only as written by the
    trusted proxies (`LIAISON_TRUSTED_PROXIES`), so an invented header buys no new bucket.
    Subclasses set `scope`."""

    def get_ident(self, request):
        return client_address(request)

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class TokenIssueThrottle(AddressRateThrottle):
    """`POST auth/token/`: slows down password guessing from one address (the lockout in
    `liaison.auth` protects each account from many addresses)."""

    scope = "token"
