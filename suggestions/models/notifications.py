"""Notices to users, the record of sent deadline reminders, and the working-day calendar's
adjustments (节假日调整) the deadlines and reminders count by."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .choices import NotificationKind
from .handling import Assignment
from .suggestions import Suggestion


class Holiday(models.Model):
    """A day that differs from what the calendar source says (or that it does not know yet).

    `is_workday=False` makes a day off (放假), `True` a working day (调休上班). This table wins
    over the `chinese-calendar` package, and is all there is for years the package does not cover.
    """

    date = models.DateField(_("日期"), unique=True)
    is_workday = models.BooleanField(_("上班"), default=False, help_text=_("勾选表示调休上班；不勾选表示放假。"))
    note = models.CharField(_("说明"), max_length=50, blank=True, help_text=_("如：国庆节、春节调休。"))

    class Meta:
        verbose_name = _("节假日调整")
        verbose_name_plural = _("节假日调整")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {'上班' if self.is_workday else '放假'}"


class Notification(models.Model):
    """A notice for one user: shown in the product, and the outbox for e-mail and SMS delivery."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("接收人"), on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("类型"), max_length=20, choices=NotificationKind.choices)
    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("意见建议"), on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    assignment = models.ForeignKey(
        Assignment, verbose_name=_("交办"), on_delete=models.CASCADE, null=True, blank=True, related_name="notifications"
    )
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
    sms_sent_at = models.DateTimeField(_("短信发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "created_at"], name="notification_inbox"),
            models.Index(fields=["emailed_at", "created_at"], name="notification_email_outbox"),
            models.Index(fields=["sms_sent_at", "created_at"], name="notification_sms_outbox"),
        ]

    def __str__(self) -> str:
        return self.title


class Reminder(models.Model):
    """That one reminder of one kind was sent for one assignment's deadline. Exactly once, by constraint."""

    assignment = models.ForeignKey(Assignment, verbose_name=_("交办"), on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(_("类型"), max_length=20, help_text=_("due_7 / due_3 / due_1 / overdue / long_overdue"))
    deadline = models.DateField(_("对应期限"))
    created_at = models.DateTimeField(_("发送时间"), default=timezone.now)

    class Meta:
        verbose_name = _("到期提醒")
        verbose_name_plural = _("到期提醒")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "kind", "deadline"], name="reminder_once_per_deadline"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.deadline}"
