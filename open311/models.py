"""The clients allowed to post requests (api_key), and what a request carried beyond the opinion."""

import hashlib
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def key_digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ClientKey(models.Model):
    """An Open311 client (an app, a city platform) and its api_key, stored as a digest only."""

    name = models.CharField(_("客户端名称"), max_length=100)
    digest = models.CharField(_("密钥摘要"), max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("启用"), default=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 客户端")
        verbose_name_plural = _("Open311 客户端")

    def __str__(self) -> str:
        return self.name

    @classmethod
    def issue(cls, name: str) -> tuple["ClientKey", str]:
        """A new client and its key (shown once: only the digest is kept)."""
        key = secrets.token_urlsafe(24)
        return cls.objects.create(name=name, digest=key_digest(key)), key

    @classmethod
    def find(cls, key: str) -> "ClientKey | None":
        if not key:
            return None
        return cls.objects.filter(digest=key_digest(key), is_active=True).first()


class RequestDetail(models.Model):
    """What an Open311 POST carried that an opinion has no field for; kept as given, never
    shown by GET (location and device are personal)."""

    suggestion = models.OneToOneField(
        "suggestions.Suggestion", verbose_name=_("意见建议"), on_delete=models.CASCADE, related_name="open311"
    )
    client = models.ForeignKey(ClientKey, verbose_name=_("客户端"), on_delete=models.PROTECT, related_name="requests")
    token = models.CharField(_("令牌"), max_length=32, unique=True)
    lat = models.CharField(_("纬度"), max_length=32, blank=True)
    long = models.CharField(_("经度"), max_length=32, blank=True)
    address_string = models.CharField(_("地址"), max_length=255, blank=True)
    device_id = models.CharField(_("设备"), max_length=100, blank=True)
    account_id = models.CharField(_("账号"), max_length=100, blank=True)
    email = models.CharField(_("电子邮箱"), max_length=254, blank=True)
    media_url = models.CharField(_("媒体链接"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("接收时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("Open311 请求")
        verbose_name_plural = _("Open311 请求")

    def __str__(self) -> str:
        return self.token
