"""Accounts. The user is shared by every app, so it lives in the project package.

A deputy's account is linked from `deputies.Deputy.user`, a unit officer's from
`suggestions.Unit.officers`: the lower layers never point up.

`ImportJob`: a large admin import run by a Celery worker (`liaison/importing/background.py`).
"""

import secrets
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


def import_file_path(job, filename) -> str:
    """MEDIA_ROOT/imports/<random>.<format>: the uploaded name is never used on disk."""
    return f"imports/{secrets.token_hex(16)}.{job.format}"


class ImportJob(models.Model):
    """One confirmed admin import too large to run in the request: who, what into which
    model, the stored file (deleted once the job has run), and how it ended."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("正在导入")
        DONE = "done", _("已完成")
        FAILED = "failed", _("未导入")

    user = models.ForeignKey(
        "liaison.User", verbose_name=_("导入人"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    model = models.CharField(_("导入到"), max_length=100, help_text=_("模型标签，如 deputies.Deputy"))
    resource_index = models.PositiveSmallIntegerField(default=0)
    file = models.FileField(_("文件"), upload_to=import_file_path, max_length=200, blank=True)
    format = models.CharField(_("格式"), max_length=10)
    original_name = models.CharField(_("原文件名"), max_length=255, blank=True)
    rows = models.PositiveIntegerField(_("数据行数"), default=0)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    new = models.PositiveIntegerField(_("新增"), default=0)
    updated = models.PositiveIntegerField(_("更新"), default=0)
    skipped = models.PositiveIntegerField(_("未变"), default=0)
    errors = models.JSONField(_("问题"), default=list, blank=True)
    created_at = models.DateTimeField(_("提交时间"), auto_now_add=True)
    started_at = models.DateTimeField(_("开始时间"), null=True, blank=True)
    finished_at = models.DateTimeField(_("结束时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("导入任务")
        verbose_name_plural = _("导入任务")
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"{self.original_name or self.model} #{self.pk}"

    @property
    def pending(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)
