"""Messages to people outside the system — voters (a receipt with the tracking code, the news
that their opinion was answered) and deputies written to through their code — by SMS and
e-mail.

`queue_message` writes one `OutboundMessage` row in the caller's transaction, keyed by an
idempotency key (a second call for the same cause finds the row and adds nothing), and asks the
worker to deliver it once the transaction commits; the beat sweeps the outbox as well, so a lost
broker message delays a message but never drops it. `deliver_due` claims due rows with SKIP
LOCKED (two workers never take the same row), sends each, and stamps it `sent` in the same
transaction; a failure is recorded (`attempts`, `last_error`, the next try later) and the row is
retried until LIAISON["OUTBOX_MAX_ATTEMPTS"], then stays `failed` for staff to see and resend.

What a message says: the tracking code, the address of the tracking page and the state of the
item; never a name, a phone number or the text of the opinion (DOMAIN.md, "Personal data").
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .conf import setting
from .models import MessageChannel, MessageKind, MessageState, OutboundMessage, Suggestion
from .sms import get_sms_backend

logger = logging.getLogger(__name__)


def track_address(code: str) -> str:
    """The tracking page's address as a voter can open it (LIAISON_PUBLIC_BASE_URL when set)."""
    path = reverse("suggestions:track_detail", args=[code])
    base = settings.LIAISON.get("PUBLIC_BASE_URL", "") if hasattr(settings, "LIAISON") else ""
    return base.rstrip("/") + path if base else path


def queue_message(*, kind: str, channel: str, recipient: str, body: str, key: str, subject: str = "",
                  suggestion: Suggestion | None = None, new: bool = False) -> OutboundMessage | None:
    """One message, once per `key`: returns the row (new or already there), None without a recipient.

    `new`: the key cannot exist yet (it names a row created in this very transaction, e.g. the
    receipt of a suggestion just inserted), so the row is inserted straight away instead of
    looked for first (one statement instead of a SELECT, a savepoint, the INSERT and its
    release); the unique key still refuses a second one."""
    recipient = (recipient or "").strip()
    if not recipient:
        return None
    fields = {
        "kind": kind, "channel": channel, "recipient": recipient[:100], "subject": str(subject)[:200],
        "body": str(body), "suggestion": suggestion,
    }
    if new:
        message, created = OutboundMessage.objects.create(idempotency_key=key[:120], **fields), True
    else:
        message, created = OutboundMessage.objects.get_or_create(idempotency_key=key[:120], defaults=fields)
    if created:
        transaction.on_commit(_enqueue, robust=True)
    return message


def _enqueue() -> None:
    from .tasks import deliver_outbox, kick

    kick(deliver_outbox)


def _to_voter(suggestion: Suggestion, *, kind: str, key: str, subject: str, text: str,
              new: bool = False) -> list[OutboundMessage]:
    """The same news by SMS to the phone and by e-mail to the address the voter gave (if any)."""
    rows = []
    if suggestion.submitter_phone:
        rows.append(queue_message(kind=kind, channel=MessageChannel.SMS, recipient=suggestion.submitter_phone,
                                  body=text, key=f"{key}:sms", suggestion=suggestion, new=new))
    if suggestion.submitter_email:
        rows.append(queue_message(kind=kind, channel=MessageChannel.EMAIL, recipient=suggestion.submitter_email,
                                  subject=subject, body=text, key=f"{key}:email", suggestion=suggestion, new=new))
    return [r for r in rows if r is not None]


def voter_receipt(suggestion: Suggestion, *, new: bool = False) -> list[OutboundMessage]:
    """回执: the tracking code of an opinion just submitted, to the phone/e-mail given with it.
    `new`: the suggestion was inserted in the current transaction (no receipt can exist yet)."""
    if suggestion.kind != "opinion":
        return []
    text = _("【人大代表联络站】您的意见已收到，查询码：%(code)s。凭码查询办理进度并评价：%(url)s") % {
        "code": suggestion.code, "url": track_address(suggestion.code)}
    return _to_voter(suggestion, kind=MessageKind.RECEIPT, key=f"receipt:{suggestion.pk}",
                     subject=_("意见已收到（查询码 %(code)s）") % {"code": suggestion.code}, text=text, new=new)


def voter_answered(suggestion: Suggestion) -> list[OutboundMessage]:
    """答复通知: the item was answered (the lead unit's reply, or 代表即办); once per reply round.
    The voters of opinions merged into it (并案, 转为闭会建议) hear it too, by their own code."""
    rows = []
    for voter_item in [suggestion, *suggestion.merged.filter(kind="opinion")]:
        if voter_item.kind != "opinion":
            continue
        # Only the item's own voter rates its reply; a merged opinion's voter reads it.
        words = _("【人大代表联络站】您反映的意见（查询码 %(code)s）已答复，请查看答复并评价：%(url)s") if voter_item is suggestion \
            else _("【人大代表联络站】您反映的意见（查询码 %(code)s）已答复，请查看答复：%(url)s")
        text = words % {"code": voter_item.code, "url": track_address(voter_item.code)}
        rows += _to_voter(
            voter_item, kind=MessageKind.ANSWERED,
            key=f"answered:{voter_item.pk}:{suggestion.pk}:{suggestion.rehandle_count}",
            subject=_("您的意见已答复（查询码 %(code)s）") % {"code": voter_item.code}, text=text,
        )
    return rows


def deputy_letter(suggestion: Suggestion, deputy) -> OutboundMessage | None:
    """A voter wrote to `deputy` through their code (一人一码): a text to the deputy's phone,
    with no word of the voter or of the letter (the deputy reads it on their workbench)."""
    text = _("【人大代表联络站】%(name)s代表：有群众通过您的二维码反映了意见（查询码 %(code)s），请登录工作台查看。") % {
        "name": deputy.name, "code": suggestion.code}
    return queue_message(kind=MessageKind.DEPUTY_LETTER, channel=MessageChannel.SMS, recipient=deputy.phone,
                         body=text, key=f"deputy-letter:{suggestion.pk}:{deputy.pk}", suggestion=suggestion)


# --- delivery ---------------------------------------------------------------------------------
@dataclass
class OutboxResult:
    sent: int = 0
    failed: int = 0


def _due(now):
    return OutboundMessage.objects.filter(
        state__in=[MessageState.PENDING, MessageState.FAILED],
        attempts__lt=int(setting("OUTBOX_MAX_ATTEMPTS")),
        next_attempt_at__lte=now,
    )


def _send(message: OutboundMessage, sms_backend) -> None:
    if message.channel == MessageChannel.SMS:
        sms_backend.send(message.recipient, message.body)
    else:
        mail.EmailMessage(subject=message.subject or message.body[:60], body=message.body,
                          to=[message.recipient]).send()


def deliver_due(*, batch_size: int = 100) -> OutboxResult:
    """Send every due message once. Each message is claimed, sent and stamped in its own
    transaction, so a crash loses at most the stamp of the message in flight."""
    result = OutboxResult()
    backend = None
    tried: set[int] = set()
    while True:
        with transaction.atomic():
            now = timezone.now()
            message = (
                _due(now).exclude(pk__in=tried).select_for_update(skip_locked=True).order_by("next_attempt_at", "pk").first()
            )
            if message is None or len(tried) >= batch_size:
                return result
            tried.add(message.pk)
            message.attempts += 1
            try:
                if backend is None and message.channel == MessageChannel.SMS:
                    backend = get_sms_backend()
                _send(message, backend)
            except Exception as error:  # any failure of a backend: record it, retry later
                logger.warning("outbound message %s failed (attempt %s): %s", message.pk, message.attempts, error)
                message.state = MessageState.FAILED
                message.last_error = f"{type(error).__name__}: {error}"[:2000]
                delay = int(setting("OUTBOX_RETRY_SECONDS")) * 2 ** (message.attempts - 1)
                message.next_attempt_at = now + timedelta(seconds=delay)
                message.save(update_fields=["state", "attempts", "last_error", "next_attempt_at"])
                result.failed += 1
                continue
            message.state = MessageState.SENT
            message.sent_at = timezone.now()
            message.last_error = ""
            message.save(update_fields=["state", "attempts", "last_error", "sent_at"])
            result.sent += 1


def failed_count() -> int:
    """Messages that could not be sent (still retrying or given up): shown to staff."""
    return OutboundMessage.objects.filter(state=MessageState.FAILED).count()


@transaction.atomic
def retry(messages) -> int:
    """Staff send failed messages again (the admin's action): due now, with a fresh count of tries."""
    return OutboundMessage.objects.filter(pk__in=[m.pk for m in messages], state=MessageState.FAILED).update(
        attempts=0, next_attempt_at=timezone.now()
    )
