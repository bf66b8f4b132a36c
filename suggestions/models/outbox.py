"""Messages to people outside the system (voters, deputies without an account): one row per
message, delivered by the Celery worker (suggestions/outbox.py). A row is written in the same
transaction as its cause and keyed by an idempotency key, so a cause makes its message once."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .suggestions import Suggestion


class MessageChannel(models.TextChoices):
    SMS = "sms", _("短信")
    EMAIL = "email", _("电子邮件")


class MessageState(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class MessageKind(models.TextChoices):
    RECEIPT = "receipt", _("提交回执")
    ANSWERED = "answered", _("答复通知")
    DEPUTY_LETTER = "deputy_letter", _("代表来信提醒")


class OutboundMessage(models.Model):
    """One SMS or e-mail to one phone number or address. `failed` rows stay for staff to see;
    the worker retries them until `attempts` reaches the configured maximum."""

    kind = models.CharField(_("类型"), max_length=20, choices=MessageKind.choices)
    channel = models.CharField(_("方式"), max_length=10, choices=MessageChannel.choices)
    recipient = models.CharField(_("接收号码或邮箱"), max_length=100)
    subject = models.CharField(_("主题"), max_length=200, blank=True)
    body = models.TextField(_("内容"))
    suggestion = models.ForeignKey(
        Suggestion, verbose_name=_("意见建议"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="outbound_messages",
    )
    idempotency_key = models.CharField(_("幂等键"), max_length=120, unique=True)
    state = models.CharField(_("状态"), max_length=10, choices=MessageState.choices, default=MessageState.PENDING)
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)
    next_attempt_at = models.DateTimeField(_("下次尝试时间"), default=timezone.now)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("对外消息")
        verbose_name_plural = _("对外消息（短信、邮件）")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="outbound_due"),
            # deliver_due takes the earliest due message, one at a time: in this order, straight
            # from the index. Without it every claim sorted all waiting messages (220 ms each
            # with 30,000 waiting after a burst: the worker fell further behind as it grew).
            models.Index(fields=["next_attempt_at", "id"], name="outbound_due_order",
                         condition=Q(state__in=["pending", "failed"])),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(state="sent") | Q(sent_at__isnull=False), name="outbound_sent_has_date"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.get_kind_display()} {self.created_at:%Y-%m-%d %H:%M}"
