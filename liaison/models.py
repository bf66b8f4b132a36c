"""Accounts. The user is shared by every app, so it lives in the project package.

A deputy's account is linked from `deputies.Deputy.user`, a unit officer's from
`suggestions.Unit.officers`: the lower layers never point up.
"""

import unicodedata

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    STAFF = "staff", _("工作人员")
    LEADER = "leader", _("领导")
    DEPUTY = "deputy", _("人大代表")
    UNIT_OFFICER = "unit_officer", _("承办单位联络员")


def normal_username(username) -> str:
    """A username as stored: NFKC (full-width and look-alike forms folded), trimmed."""
    return unicodedata.normalize("NFKC", str(username)).strip()


class UserManager(DjangoUserManager):
    def get_by_natural_key(self, username):
        """Sign-in finds the account whatever the case or width the name is typed in
        (`County`, `ｃｏｕｎｔｙ`); the unique constraint keeps that one account."""
        return self.get(username__iexact=normal_username(username))


class User(AbstractUser):
    name = models.CharField(_("姓名"), max_length=50, blank=True)
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.STAFF)
    region = models.ForeignKey(
        "stations.Region",
        verbose_name=_("管辖区划"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("工作人员和领导只能看到并管理本区划及其下级的数据。"),
    )
    phone = models.CharField(_("手机号"), max_length=20, blank=True)

    objects = UserManager()

    class Meta(AbstractUser.Meta):
        verbose_name = _("账号")
        verbose_name_plural = _("账号")
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.UniqueConstraint(
                Lower("username"), name="user_username_unique_ignoring_case",
                violation_error_message=_("该用户名已被使用（不区分大小写）。"),
            ),
        ]

    @classmethod
    def normalize_username(cls, username):
        return normal_username(username) if username is not None else username

    def __str__(self) -> str:
        return self.name or self.username

    @property
    def display_name(self) -> str:
        return self.name or self.get_full_name() or self.username
