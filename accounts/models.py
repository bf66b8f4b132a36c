"""API tokens (API 令牌): several per account, stored hashed, revocable, with a last use.

django-rest-knox's token (`knox.models.AbstractAuthToken`) keeps only the SHA-512 digest of
the key and its first 15 characters (the index the lookup narrows by), never the key: the key
is shown once, to whoever asked for it (`accounts.services.token_issue`), and nobody can read
it afterwards, staff included. Each client gets its own token, so issuing one for a new client
does not end another; each can be revoked alone (`token_revoke_one`) or all at once
(`token_revoke`, which a new password or a disabled account triggers).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken


class ApiToken(AbstractAuthToken):
    """One client's API token (the `KNOX_TOKEN_MODEL`)."""

    # knox's fields again, with Chinese labels for the admin (same columns as knox's).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="auth_token_set",
        verbose_name=_("账号"),
    )
    created = models.DateTimeField(_("签发时间"), auto_now_add=True)
    expiry = models.DateTimeField(_("到期时间"), null=True, blank=True, help_text=_("空：不过期，直到作废。"))
    name = models.CharField(
        _("用途"), max_length=100, blank=True, help_text=_("令牌给哪个系统或脚本用，便于日后识别和作废。")
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("签发人"),
        help_text=_("空：账号本人用密码换取，或由运维命令签发。"),
    )
    last_used = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        ordering = ["-created"]

    def __str__(self) -> str:
        # Never the digest or the key prefix: this text shows in the admin and its log.
        label = self.name or _("API 令牌")
        return f"{self.user} · {label}"
