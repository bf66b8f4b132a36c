"""`Authorization: Token <key>` against the hashed API tokens (`accounts.models.ApiToken`).

django-rest-knox's authentication (the key's digest is compared, never the key), plus the
token's last use, written at most once a minute per token so a busy client does not write
on every request. Expired tokens (only those given an expiry) are refused and deleted.
"""

import datetime

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from knox.auth import TokenAuthentication
from rest_framework import exceptions

#: How stale `last_used` may get before a request writes it again.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


class ApiTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, token: bytes):
        try:
            token.decode("utf-8")
        except UnicodeError:
            # knox would raise UnicodeDecodeError (a 500) on a header that is not UTF-8.
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from None
        user, auth_token = super().authenticate_credentials(token)
        now = timezone.now()
        if auth_token.last_used is None or now - auth_token.last_used >= LAST_USED_PRECISION:
            type(auth_token).objects.filter(pk=auth_token.pk).update(last_used=now)
            auth_token.last_used = now
        return user, auth_token

    def _cleanup_token(self, auth_token) -> bool:
        """Refuse (and delete) this token when it has expired.

        knox also loads every other token of the account on each request to delete the
        expired ones; tokens here expire only when given an expiry, so that extra query per
        request is skipped.
        """
        if auth_token.expiry is not None and auth_token.expiry < timezone.now():
            auth_token.delete()
            return True
        return False


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """The schema's `tokenAuth` security scheme, as it was with DRF's token authentication."""

    target_class = ApiTokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix="Token")
