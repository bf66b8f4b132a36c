"""Celery tasks of the suggestion workflow: thin, idempotent, acknowledged late.

A task that dies half-way is redelivered (acks_late + reject_on_worker_lost in settings) and
simply runs again: the sweep relies on a unique constraint, the outbox on its sent stamps.
"""

from __future__ import annotations

import datetime

from celery import shared_task

from . import notify, services


@shared_task(name="suggestions.tasks.send_reminders", acks_late=True)
def send_reminders(day: str | None = None) -> dict:
    """The deadline-reminder sweep (beat: hourly through the working day). `day` is YYYY-MM-DD."""
    today = datetime.date.fromisoformat(day) if day else None
    result = services.reminders_sweep(today=today)
    return {
        "today": result.today.isoformat(),
        "reminders": len(result.reminders),
        "notifications": result.notifications,
        "skipped": result.skipped,
    }


@shared_task(name="suggestions.tasks.deliver_notifications", acks_late=True)
def deliver_notifications() -> dict:
    """Send the e-mail/SMS outbox (every notification not yet sent that has an address)."""
    result = notify.deliver_pending()
    return {"emailed": result.emailed, "texted": result.texted, "failed": result.failed}
