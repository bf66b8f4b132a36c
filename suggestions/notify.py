"""Notification delivery: in-product rows, e-mail through Django's mail, SMS through a pluggable
backend (the default only logs).

`Notification` rows are the outbox. They are written in the same transaction as the change
they report (so a notice exists exactly when its cause does); e-mail and SMS are sent later by
`deliver_pending`, which stamps `emailed_at` / `sms_sent_at`. The sending task is enqueued on
commit and also runs on a beat schedule, so a lost broker message delays a notice but never
drops it. Delivery is at least once: a crash between sending and committing the stamp sends
that one message again.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from django.core import mail
from django.db import transaction
from django.utils import timezone

from . import sms
from .conf import setting
from .models import Notification, NotificationKind

logger = logging.getLogger(__name__)

# SMS costs money and attention: only what needs acting on goes by text message.
SMS_KINDS = frozenset(
    {
        NotificationKind.DUE,
        NotificationKind.OVERDUE,
        NotificationKind.LONG_OVERDUE,
        NotificationKind.ASSIGNED,
        NotificationKind.URGED,
        NotificationKind.REHANDLE,
    }
)


# The default SMS backend (the log) and the others live in suggestions/sms.py; the old path
# suggestions.notify.LoggingSmsBackend stays valid for existing settings.
LoggingSmsBackend = sms.LoggingSmsBackend
get_sms_backend = sms.get_sms_backend


def notify(
    *,
    recipients: Iterable,
    kind: str,
    title: str,
    body: str = "",
    suggestion=None,
    assignment=None,
    deliver: bool = True,
) -> list[Notification]:
    """Create one in-product notice per distinct active recipient, in the caller's transaction.

    With `deliver`, e-mail/SMS delivery is enqueued for after the commit; a caller creating many
    (the reminder sweep) passes False and calls `schedule_delivery()` once.
    """
    seen: set[int] = set()
    rows = []
    now = timezone.now()
    for user in recipients:
        if user is None or user.pk in seen or not user.is_active:
            continue
        seen.add(user.pk)
        rows.append(
            Notification(
                recipient=user,
                kind=kind,
                title=str(title)[:200],
                body=str(body),
                suggestion=suggestion,
                assignment=assignment,
                created_at=now,
            )
        )
    created = Notification.objects.bulk_create(rows)
    if created and deliver:
        schedule_delivery()
    return created


def _enqueue_delivery() -> None:
    from .tasks import deliver_notifications, kick

    kick(deliver_notifications)


def schedule_delivery() -> None:
    """Ask a worker to deliver the outbox once the current transaction commits.

    `robust`: a broker that is down must not turn a committed workflow step into an error;
    the beat schedule delivers the outbox anyway.
    """
    transaction.on_commit(_enqueue_delivery, robust=True)


@dataclass
class DeliveryResult:
    emailed: int = 0
    texted: int = 0
    failed: int = 0


def _message_text(notification: Notification) -> str:
    parts = [notification.body] if notification.body else []
    if notification.suggestion_id:
        parts.append(f"查询码：{notification.suggestion.code}")
    return "\n\n".join(parts) or notification.title


def deliver_pending(*, batch_size: int = 200) -> DeliveryResult:
    """Send every undelivered notice that has somewhere to go, and stamp it. Safe to run twice
    at once: rows are claimed with SKIP LOCKED on PostgreSQL."""
    result = DeliveryResult()
    cutoff = timezone.now() - timedelta(hours=int(setting("NOTIFY_MAX_AGE_HOURS")))
    _deliver_email(result, cutoff, batch_size)
    _deliver_sms(result, cutoff, batch_size)
    return result


def _claim(filters: dict, exclude_field: str, cutoff, skip: set[int], batch_size: int):
    return list(
        Notification.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(created_at__gte=cutoff, **filters)
        .exclude(**{exclude_field: ""})
        .exclude(pk__in=skip)
        .select_related("recipient", "suggestion")
        .order_by("pk")[:batch_size]
    )


def _deliver_email(result: DeliveryResult, cutoff, batch_size: int) -> None:
    failed: set[int] = set()
    while True:
        with transaction.atomic():
            batch = _claim({"emailed_at__isnull": True}, "recipient__email", cutoff, failed, batch_size)
            if not batch:
                return
            sent = []
            with mail.get_connection() as connection:
                for notification in batch:
                    message = mail.EmailMessage(
                        subject=notification.title,
                        body=_message_text(notification),
                        to=[notification.recipient.email],
                        connection=connection,
                    )
                    try:
                        message.send()
                    except Exception:
                        logger.exception("e-mail for notification %s failed", notification.pk)
                        failed.add(notification.pk)
                        result.failed += 1
                        continue
                    sent.append(notification.pk)
            if sent:
                # The outbox stamp; Notification is not an event, so a bulk update is fine.
                Notification.objects.filter(pk__in=sent).update(emailed_at=timezone.now())
                result.emailed += len(sent)


def _deliver_sms(result: DeliveryResult, cutoff, batch_size: int) -> None:
    backend = get_sms_backend()
    failed: set[int] = set()
    while True:
        with transaction.atomic():
            batch = _claim(
                {"sms_sent_at__isnull": True, "kind__in": list(SMS_KINDS)}, "recipient__phone", cutoff, failed, batch_size
            )
            if not batch:
                return
            sent = []
            for notification in batch:
                try:
                    backend.send(notification.recipient.phone, f"{notification.title} {_message_text(notification)}")
                except Exception:
                    logger.exception("SMS for notification %s failed", notification.pk)
                    failed.add(notification.pk)
                    result.failed += 1
                    continue
                sent.append(notification.pk)
            if sent:
                Notification.objects.filter(pk__in=sent).update(sms_sent_at=timezone.now())
                result.texted += len(sent)
