"""The notices of the year (站内通知): what the services sent is kept, and what is more than two
weeks old has been read, a day after it came (the one field `notification_mark_read`
writes). The demo's inboxes then show the recent traffic, not a year of unread notices. Old
notices are past the delivery window (NOTIFY_MAX_AGE_HOURS): the worker e-mails none of them.

The voters' texts (回执, 答复通知; suggestions/outbox.py) older than a day were sent the minute
after they were written, as the outbox worker stamps them (`deliver_due`): the demo's worker
does not text a year of voters when it starts."""

from __future__ import annotations

import datetime

from django.db.models import F

from demo.clock import local_moment
from suggestions.models import MessageState, Notification, OutboundMessage

READ_AFTER_DAYS = 14


def build_inbox(year) -> None:
    before = local_moment(year.today - datetime.timedelta(days=READ_AFTER_DAYS), 0)
    year.counts["notices_read"] = Notification.objects.filter(created_at__lt=before, read_at__isnull=True).update(
        read_at=F("created_at") + datetime.timedelta(days=1)
    )
    sent_before = local_moment(year.today - datetime.timedelta(days=1), 0)
    year.counts["texts_sent"] = OutboundMessage.objects.filter(
        created_at__lt=sent_before, state=MessageState.PENDING
    ).update(state=MessageState.SENT, attempts=1, sent_at=F("created_at") + datetime.timedelta(minutes=1))
