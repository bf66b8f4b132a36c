"""The Celery side: the e-mail/SMS outbox, the tasks, the beat schedule, and a real worker on
Redis processing a reminder end to end."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.db import connection
from django.utils import timezone

from config.celery import app
from suggestions import notify
from suggestions.models import Assignment, Notification, NotificationKind, Reminder, Status
from suggestions.tasks import deliver_notifications, send_reminders
from tests.factories import NotificationFactory, UserFactory

D = datetime.date


class RecordingSms:
    sent: list[tuple[str, str]] = []

    def send(self, phone, text):
        RecordingSms.sent.append((phone, text))


class BrokenSms:
    def send(self, phone, text):
        raise RuntimeError("gateway down")


@pytest.fixture
def sms(settings):
    RecordingSms.sent = []
    settings.LIAISON = {**settings.LIAISON, "SMS_BACKEND": "tests.suggestions.test_tasks.RecordingSms"}
    return RecordingSms.sent


def test_the_outbox_is_emailed_once_and_stamped(world, mailoutbox, sms):
    suggestion = world.submit()  # tells the county staff
    result = notify.deliver_pending()
    assert result.emailed == 1 and [m.to for m in mailoutbox] == [["staff@example.cn"]]
    assert suggestion.code in mailoutbox[0].body and "小区门口路灯不亮" in mailoutbox[0].subject
    assert Notification.objects.get(suggestion=suggestion).emailed_at is not None
    again = notify.deliver_pending()
    assert (again.emailed, again.texted, len(mailoutbox)) == (0, 0, 1)


def test_notices_without_an_address_stay_in_the_product_only(db, mailoutbox, sms):
    notice = NotificationFactory(recipient=UserFactory(email="", phone=""), kind=NotificationKind.DUE)
    assert notify.deliver_pending().emailed == 0
    notice.refresh_from_db()
    assert notice.emailed_at is None and notice.sms_sent_at is None and mailoutbox == []


def test_only_what_needs_acting_on_goes_by_sms(world, sms):
    suggestion = world.drive(world.submit(), Status.ASSIGNED)  # staff: notice; officer: assigned
    result = notify.deliver_pending()
    assert [phone for phone, _text in sms] == [world.officer.phone]
    assert result.texted == 1
    assigned = Notification.objects.get(suggestion=suggestion, recipient=world.officer)
    assert assigned.sms_sent_at is not None
    assert Notification.objects.get(suggestion=suggestion, recipient=world.staff, kind="notice").sms_sent_at is None


def test_a_failing_channel_leaves_the_notice_for_the_next_run(world, settings, monkeypatch, mailoutbox):
    settings.LIAISON = {**settings.LIAISON, "SMS_BACKEND": "tests.suggestions.test_tasks.BrokenSms"}
    world.drive(world.submit(), Status.ASSIGNED)

    def refuse(self, *args, **kwargs):
        raise OSError("smtp down")

    monkeypatch.setattr(mail.EmailMessage, "send", refuse)
    result = notify.deliver_pending()
    assert result.emailed == 0 and result.texted == 0 and result.failed >= 3
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()
    monkeypatch.undo()
    settings.LIAISON = {**settings.LIAISON, "SMS_BACKEND": "suggestions.notify.LoggingSmsBackend"}
    assert notify.deliver_pending().emailed == Notification.objects.exclude(recipient__email="").count()


def test_old_notices_are_not_sent_late(db, mailoutbox, settings):
    settings.LIAISON = {**settings.LIAISON, "NOTIFY_MAX_AGE_HOURS": 72}
    old = NotificationFactory(recipient=UserFactory(email="a@example.cn"),
                              created_at=timezone.now() - datetime.timedelta(days=4))
    fresh = NotificationFactory(recipient=UserFactory(email="b@example.cn"))
    notify.deliver_pending()
    assert [m.to for m in mailoutbox] == [["b@example.cn"]]
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.emailed_at is None and fresh.emailed_at is not None


def test_the_tasks_call_the_services(world, mailoutbox, settings):
    settings.LIAISON = {**settings.LIAISON, "REMINDER_OFFSETS_WORKING_DAYS": [7, 3, 1]}
    suggestion = world.drive(world.submit(), Status.HANDLING, co_unit=False)
    Assignment.objects.filter(suggestion=suggestion).update(deadline=D(2025, 10, 14))
    assert send_reminders("2025-10-13") == {"today": "2025-10-13", "reminders": 1, "notifications": 2, "skipped": 0}
    assert send_reminders("2025-10-13")["reminders"] == 0
    delivered = deliver_notifications()
    assert delivered["emailed"] == Notification.objects.exclude(recipient__email="").count()
    assert deliver_notifications()["emailed"] == 0


def test_the_tasks_are_registered_acknowledged_late_and_scheduled():
    app.loader.import_default_modules()
    for name in ("suggestions.tasks.send_reminders", "suggestions.tasks.deliver_notifications",
                 "suggestions.tasks.deliver_outbox"):
        assert name in app.tasks
        assert app.tasks[name].acks_late
        assert name in {entry["task"] for entry in django_settings.CELERY_BEAT_SCHEDULE.values()}


# --- a real worker ----------------------------------------------------------------------------
def _redis_url() -> str:
    return os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/2"


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """`celery -A config worker` on Redis against the test database, stopped before the
    database is flushed (this fixture is torn down before transactional_db)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the worker is another process and must see the test database")
    import redis

    try:
        redis.Redis.from_url(_redis_url(), socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis not reachable at {_redis_url()}: {exc}")
    queue = f"wf-test-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": _redis_url(),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend",
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=INFO",
             # its own queue for the task sent here, and every queue the tasks it enqueues are
             # routed to (the sweep's delivery goes to `notifications`)
             "-Q", ",".join([queue, *django_settings.LIAISON_CELERY_QUEUES]),
             "--without-gossip", "--without-mingle", "--without-heartbeat"],
            cwd=Path(django_settings.BASE_DIR), env=env, stdout=out, stderr=subprocess.STDOUT,
        )
    try:
        yield queue, log
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


@pytest.mark.postgres
def test_a_real_worker_on_redis_sends_a_reminder_end_to_end(celery_worker_process, world, settings):
    queue, log = celery_worker_process
    suggestion = world.drive(world.submit(), Status.HANDLING, co_unit=False)
    Assignment.objects.filter(suggestion=suggestion).update(deadline=D(2025, 10, 14))
    Notification.objects.update(emailed_at=timezone.now())  # only the reminder's notices are left to send
    from celery import Celery

    client = Celery(broker=_redis_url())
    client.send_task("suggestions.tasks.send_reminders", args=["2025-10-13"], queue=queue)
    deadline = time.monotonic() + 90
    delivered = False
    while time.monotonic() < deadline:
        notice = Notification.objects.filter(recipient=world.officer, kind=NotificationKind.DUE).first()
        if notice is not None and notice.emailed_at is not None:
            delivered = True
            break
        time.sleep(0.5)
    assert delivered, log.read_text(errors="replace")[-4000:]
    assert Reminder.objects.filter(assignment__suggestion=suggestion, kind="due_1").count() == 1
    # The worker's console mail backend printed the e-mail: the whole path ran in the worker.
    for _ in range(20):
        if "officer@example.cn" in log.read_text(errors="replace"):
            break
        time.sleep(0.25)
    assert "officer@example.cn" in log.read_text(errors="replace")
