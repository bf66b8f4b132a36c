"""Celery tasks of the suggestion workflow: thin, idempotent, acknowledged late.

A task that dies half-way is redelivered (acks_late + reject_on_worker_lost in settings) and
simply runs again: the sweep relies on a unique constraint, the outbox on its sent stamps.
"""

from __future__ import annotations

import datetime

from celery import shared_task
from django.core.cache import cache

from . import notify
from .services.reminders import reminders_sweep

# How long an asked-for run stands for the ones asked after it (see `kick`): longer than a
# worker takes to start a queued task, shorter than the beat's sweep.
KICK_SECONDS = 30


def _kick_key(task) -> str:
    return f"kick:{task.name}"


def kick(task) -> bool:
    """Ask a worker to run `task` (a delivery sweep) soon, once for many asks: a run already
    asked for that has not started yet will see whatever was committed before it starts (it
    clears the mark first, `kicked`), so a second message to the broker would only make the
    worker sweep an empty outbox. 200 opinions a second asked 400 times a second before.

    When the mark cannot be set because the cache is down, the task is asked for anyway;
    when the broker refuses, the mark is taken back (the next commit asks again) and the
    error raised for on_commit(robust=True) to log: the beat's sweep delivers in any case.
    Returns whether the broker was asked."""
    key = _kick_key(task)
    try:
        first = cache.add(key, 1, timeout=KICK_SECONDS)
    except Exception:  # a cache that fails closed: ask every time, as before
        first = True
    if not first:
        return False
    try:
        task.delay()
    except Exception:
        cache.delete(key)
        raise
    return True


def kicked(task) -> None:
    """The start of a run asked for by `kick`: from here on, a new commit asks for a new run."""
    try:
        cache.delete(_kick_key(task))
    except Exception:  # noqa: BLE001 - the mark expires by itself
        return


@shared_task(name="suggestions.tasks.send_reminders", acks_late=True)
def send_reminders(day: str | None = None) -> dict:
    """The deadline-reminder sweep (beat: hourly through the working day). `day` is YYYY-MM-DD."""
    today = datetime.date.fromisoformat(day) if day else None
    result = reminders_sweep(today=today)
    return {
        "today": result.today.isoformat(),
        "reminders": len(result.reminders),
        "notifications": result.notifications,
        "skipped": result.skipped,
    }


@shared_task(name="suggestions.tasks.deliver_notifications", acks_late=True)
def deliver_notifications() -> dict:
    """Send the e-mail/SMS outbox (every notification not yet sent that has an address)."""
    kicked(deliver_notifications)
    result = notify.deliver_pending()
    return {"emailed": result.emailed, "texted": result.texted, "failed": result.failed}


# --- statistics (suggestions/stats/) --------------------------------------------------------
@shared_task(name="suggestions.tasks.build_stats_nightly", acks_late=True)
def build_stats_nightly(day: str | None = None) -> dict:
    """统计快照, every night (beat: 01:30 Asia/Shanghai): the snapshot of the day that just ended
    (`day`, YYYY-MM-DD, to rebuild another), then the workbooks e-mailed to the configured staff.
    Rebuilding a date replaces its rows, so a redelivered task does no harm."""
    from django.utils import timezone

    from .stats.build import build_stats

    date = datetime.date.fromisoformat(day) if day else timezone.localdate() - datetime.timedelta(days=1)
    result = build_stats(date=date)
    from deputies.standards import stars_refresh

    stars_refresh(day=date)  # stations' derived star ratings (not those set by hand)
    email_stats_workbooks.delay(date.isoformat())
    return {"date": date.isoformat(), "rows": result.rows, "seconds": round(result.seconds, 2), "pruned": result.pruned}


@shared_task(name="suggestions.tasks.email_stats_workbooks", acks_late=True)
def email_stats_workbooks(day: str) -> dict:
    """E-mail the statistics workbook of `day` to the staff in LIAISON["STATS_EMAIL_USERS"] (once each)."""
    from .stats.workbook import email_workbooks

    return email_workbooks(date=datetime.date.fromisoformat(day))


@shared_task(name="suggestions.tasks.build_stats_workbook", acks_late=True)
def build_stats_workbook(job: str, region: str, day: str, period: str) -> dict:
    """A large statistics workbook, built in the background while the page shows its progress.
    It only reads a snapshot of a past day (its progress and file live in the cache): the read
    replica may serve it when one is configured (liaison/db.py)."""
    from liaison.db import lag_tolerant

    from .stats.workbook import export_job_run

    with lag_tolerant():
        return export_job_run(job=job, region=region, date=datetime.date.fromisoformat(day), period=period)


@shared_task(name="suggestions.tasks.deliver_outbox", acks_late=True)
def deliver_outbox() -> dict:
    """Send the messages to voters and deputies (suggestions/outbox.py): each once, failures retried."""
    from .outbox import deliver_due

    kicked(deliver_outbox)
    result = deliver_due()
    return {"sent": result.sent, "failed": result.failed}
