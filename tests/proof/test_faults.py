"""Faults, each proven against real processes on private servers (tests/proof/stack.py):

(a) Redis stops while voters submit: every submission is saved and answered, and what had to be
    e-mailed is e-mailed once Redis is back (the outbox, delivered by the beat task);
(b) the worker is killed with SIGKILL in the middle of the reminder sweep: after a restart
    every due reminder exists and is sent exactly once;
(c) two sweeps at once in two processes (two beat schedulers): no duplicate reminder or notice;
(d) PostgreSQL restarts under the web server: requests during the outage get a clean 503, and
    the same server answers normally afterwards.

PostgreSQL only: the other processes must see the test database (SQLite's is in memory).
"""

from __future__ import annotations

import datetime
import re
import subprocess
import sys
import time
from collections import Counter

import psycopg
import pytest
from celery import Celery
from django.db import connection
from django.db.models import Count
from django.urls import Resolver404, resolve
from django.utils import timezone

from suggestions.models import (
    Assignment,
    Notification,
    NotificationKind,
    Reminder,
    Status,
    Suggestion,
)
from tests.proof import stack

pytestmark = [pytest.mark.proof, pytest.mark.postgres]

DEADLINE = datetime.date(2025, 10, 14)
SWEEP_DAY = "2025-10-13"  # one working day before DEADLINE: every open assignment is due_1
REMINDER_KIND = "due_1"


def wait_until(predicate, *, timeout: float, interval: float = 0.2, message: str = "") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    raise AssertionError(message or f"condition not met within {timeout}s")


def submit_opinion_web(browser: stack.Browser, region_code: str, title: str) -> tuple[int, str | None, float]:
    """Fill in the public opinion form as a voter's phone would; (status, tracking code, seconds)."""
    path = f"/opinion/?region={region_code}"
    started = time.monotonic()
    status, _headers, body = browser.request("GET", path)
    assert status == 200, body[:500]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    status, headers, body = browser.request(
        "POST", path, data={"csrfmiddlewaretoken": token, "title": title, "content": "路灯坏了一个月，晚上出行不安全。",
                            "submitter_phone": "13900001111"},
    )
    code = None
    if status == 302:
        done_status, _h, done = browser.request("GET", headers["Location"])
        assert done_status == 200, done[:500]
        code = re.search(r"\b([2-9A-HJ-NP-Z]{12})\b", done).group(1)
    return status, code, time.monotonic() - started


def public_api_available() -> bool:
    try:
        resolve("/api/v1/public/opinions/")
    except Resolver404:
        return False
    return True


def submit_opinion_api(browser: stack.Browser, region_code: str, title: str) -> tuple[int, str | None, float]:
    import json

    started = time.monotonic()
    status, _headers, body = browser.request(
        "POST", "/api/v1/public/opinions/",
        data=json.dumps({"title": title, "content": "路灯坏了一个月。", "region": region_code,
                         "submitter_name": "李四", "submitter_phone": "13900002222"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    code = json.loads(body).get("code") if status == 201 else None
    return status, code, time.monotonic() - started


# --- (a) Redis stops while voters submit -----------------------------------------------------------
def test_redis_down_every_opinion_is_saved_answered_and_emailed_after_it_returns(
    world, test_database_url, private_redis, tmp_path
):
    env = stack.django_env(
        DATABASE_URL=test_database_url, REDIS_URL=private_redis.url, LIAISON_VAR_DIR=str(tmp_path / "var"),
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
    )
    web = stack.Gunicorn(env, tmp_path, workers=2)
    worker = stack.CeleryWorker(env, tmp_path, name="a")
    web.start()
    worker.start()
    try:
        worker.wait_ready()
        voter = stack.Browser(web.base_url)
        region = world.township.code
        answers = [submit_opinion_web(voter, region, "Redis 正常时的意见")]

        private_redis.stop()
        for n in range(4):
            answers.append(submit_opinion_web(voter, region, f"Redis 停止时的意见 {n}"))
        if public_api_available():
            for n in range(3):
                answers.append(submit_opinion_api(voter, region, f"Redis 停止时经接口提交 {n}"))

        # Every voter got an answer with a tracking code, none waited for the broker.
        assert [status for status, _code, _s in answers] == [302] * 5 + [201] * (len(answers) - 5), web.log.read_text()[-3000:]
        assert max(seconds for _st, _c, seconds in answers) < 10
        codes = [code for _st, code, _s in answers]
        assert len(set(codes)) == len(codes)
        saved = Counter(Suggestion.objects.filter(code__in=codes).values_list("code", flat=True))
        assert saved == Counter(codes)

        # The staff's notices exist (written with the submissions); their e-mail is still owed.
        notices = Notification.objects.filter(suggestion__code__in=codes, recipient__email__gt="")
        assert notices.count() >= len(codes)

        private_redis.start()
        # What beat does every 5 minutes: deliver the outbox. The on-commit messages of the
        # outage were never queued, and Redis (no persistence) forgot what was queued before.
        Celery(broker=private_redis.url).send_task("suggestions.tasks.deliver_notifications")
        wait_until(lambda: not notices.filter(emailed_at__isnull=True).exists(), timeout=60,
                   message=f"the outbox was not delivered after Redis returned\n{worker.tail()}")
        # Each notice was e-mailed once: the console backend printed one message per notice.
        wait_until(lambda: worker.tail(10**7).count("\nTo: ") >= notices.count(), timeout=10)
        assert worker.tail(10**7).count("\nTo: ") == notices.count()
    finally:
        worker.stop()
        web.stop()


# --- (b) SIGKILL in the middle of the reminder sweep ---------------------------------------------
def due_assignments(world, count: int) -> list[Assignment]:
    """`count` suggestions in handling (lead signed, co-unit pending), all due tomorrow; the
    notices made on the way are marked sent so only the reminders' remain to send."""
    for n in range(count):
        world.drive(world.submit(title=f"到期事项 {n}"), Status.HANDLING)
    Assignment.objects.update(deadline=DEADLINE)
    Notification.objects.update(emailed_at=timezone.now(), sms_sent_at=timezone.now())
    return list(Assignment.objects.order_by("deadline", "pk"))


def hold_reminder_slot(assignment: Assignment) -> psycopg.Connection:
    """Insert (uncommitted) the reminder a sweep will try to insert for `assignment`: the sweep
    blocks on the unique index right there, half-way through, until this is rolled back."""
    blocker = psycopg.connect(stack.database_url(connection.settings_dict).replace("postgres://", "postgresql://"))
    blocker.execute(
        f"INSERT INTO {Reminder._meta.db_table} (assignment_id, kind, deadline, created_at) VALUES (%s, %s, %s, now())",
        (assignment.pk, REMINDER_KIND, DEADLINE),
    )
    return blocker


def sessions_waiting_on_a_lock() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        return cursor.fetchone()[0]


def assert_each_reminder_once(assignments: list[Assignment], sms_log) -> None:
    reminders = Counter(Reminder.objects.values_list("assignment_id", "kind", "deadline"))
    assert reminders == Counter({(a.pk, REMINDER_KIND, DEADLINE): 1 for a in assignments})
    duplicates = (
        Notification.objects.filter(kind=NotificationKind.DUE)
        .values("recipient", "assignment").annotate(n=Count("id")).filter(n__gt=1)
    )
    assert list(duplicates) == []
    # Every assignment's unit officers were told, each by one notice.
    for assignment in assignments:
        officers = set(assignment.unit.officers.values_list("pk", flat=True))
        told = set(Notification.objects.filter(kind=NotificationKind.DUE, assignment=assignment)
                   .values_list("recipient", flat=True))
        assert officers <= told
    if sms_log is not None:
        texted = Notification.objects.filter(kind=NotificationKind.DUE, sms_sent_at__isnull=False).count()
        assert texted > 0
        lines = sms_log.read_text(encoding="utf-8").splitlines() if sms_log.exists() else []
        assert len(lines) == texted  # no notice texted twice


def test_worker_killed_mid_sweep_every_due_reminder_is_sent_exactly_once(
    world, test_database_url, private_redis, tmp_path
):
    assignments = due_assignments(world, 6)  # 12 open assignments: a lead and a co-unit each
    sms_log = tmp_path / "sms.log"
    env = stack.django_env(
        DATABASE_URL=test_database_url, REDIS_URL=private_redis.url, LIAISON_VAR_DIR=str(tmp_path / "var"),
        LIAISON_SMS_BACKEND="tests.proof.sms.FileSmsBackend", PROOF_SMS_LOG=str(sms_log),
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend",
    )
    first = stack.CeleryWorker(env, tmp_path, name="first", redeliver_after=3)
    second = stack.CeleryWorker(env, tmp_path, name="second", redeliver_after=3)
    held = 5
    blocker = hold_reminder_slot(assignments[held])
    try:
        first.start()
        first.wait_ready()
        Celery(broker=private_redis.url).send_task("suggestions.tasks.send_reminders", args=[SWEEP_DAY])
        # The sweep has committed the reminders before the held one and waits on it.
        wait_until(lambda: Reminder.objects.count() == held and sessions_waiting_on_a_lock() >= 1, timeout=60,
                   message=f"the sweep did not reach the held reminder\n{first.tail()}")
        first.kill()
        blocker.rollback()
        blocker.close()
        blocker = None
        assert Reminder.objects.count() == held

        # A new worker gets the unacknowledged task again (acks_late) and finishes the sweep.
        second.start()
        wait_until(lambda: Reminder.objects.count() == len(assignments), timeout=60,
                   message=f"the task was not redelivered\n{second.tail()}")
        wait_until(
            lambda: not Notification.objects.filter(kind=NotificationKind.DUE, recipient__phone__gt="",
                                                    sms_sent_at__isnull=True).exists(),
            timeout=60, message=f"the reminders were not delivered\n{second.tail()}",
        )
        assert_each_reminder_once(assignments, sms_log)
        # Running the sweep again (the next hourly beat) sends nothing new.
        Celery(broker=private_redis.url).send_task("suggestions.tasks.send_reminders", args=[SWEEP_DAY])
        wait_until(lambda: second.tail(10**7).count("succeeded") >= 3, timeout=30, message=second.tail())
        assert_each_reminder_once(assignments, sms_log)
    finally:
        if blocker is not None:
            blocker.close()
        first.stop()
        second.stop()


# --- (c) two sweeps at once ------------------------------------------------------------------------
def test_two_concurrent_sweeps_in_two_processes_send_each_reminder_once(world, test_database_url, tmp_path):
    assignments = due_assignments(world, 5)
    env = stack.django_env(DATABASE_URL=test_database_url, LIAISON_VAR_DIR=str(tmp_path / "var"))
    env.pop("REDIS_URL", None)
    blocker = hold_reminder_slot(assignments[0])
    sweeps = []
    try:
        for _ in range(2):
            sweeps.append(subprocess.Popen(
                [sys.executable, "manage.py", "send_reminders", "--date", SWEEP_DAY],
                cwd=stack.BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            ))
        # Both have read what was already sent (nothing) and wait on the same first reminder.
        wait_until(lambda: sessions_waiting_on_a_lock() >= 2, timeout=60,
                   message="the two sweeps never ran at the same time")
        blocker.rollback()
        outputs = [sweep.communicate(timeout=60)[0] for sweep in sweeps]
    finally:
        blocker.close()
        for sweep in sweeps:
            stack.stop_process(sweep)
    assert all(sweep.returncode == 0 for sweep in sweeps), outputs
    sent = [int(re.search(r"(\d+) reminders", output).group(1)) for output in outputs]
    assert sum(sent) == len(assignments), outputs
    assert_each_reminder_once(assignments, None)


# --- (d) PostgreSQL restarts under the web server ----------------------------------------------------
def copy_test_schema(cluster: stack.PrivatePostgres, database: str) -> None:
    """The private cluster's database, migrated: a copy of the migrated test database."""
    cluster.psql(f"CREATE DATABASE {database}")
    source = connection.settings_dict
    dump = subprocess.run(
        ["pg_dump", "-h", source.get("HOST") or "127.0.0.1", "-p", str(source.get("PORT") or 5432),
         "-U", source["USER"], "--no-owner", "--no-privileges", source["NAME"]],
        check=True, capture_output=True, timeout=120, env={**stack.os.environ, "PGPASSWORD": source.get("PASSWORD") or ""},
    )
    subprocess.run(
        ["psql", "-q", "-h", "127.0.0.1", "-p", str(cluster.port), "-U", "postgres", "-d", database, "-v", "ON_ERROR_STOP=1"],
        input=dump.stdout, check=True, capture_output=True, timeout=120,
    )


def test_postgres_restart_under_the_web_server_fails_cleanly_and_recovers(
    db, postgres_only, private_postgres, tmp_path
):
    copy_test_schema(private_postgres, "liaison")
    private_postgres.psql(
        "INSERT INTO stations_region (code, name, level, parent_id) VALUES ('14', '山西省', 'province', NULL)", "liaison"
    )
    env = stack.django_env(DATABASE_URL=private_postgres.url("liaison"), LIAISON_VAR_DIR=str(tmp_path / "var"))
    env.pop("REDIS_URL", None)
    web = stack.Gunicorn(env, tmp_path, workers=2)
    web.start()
    client = stack.Browser(web.base_url)
    attempts = iter(range(100))
    json_headers = {"Content-Type": "application/json", "Accept": "application/json"}

    def page():
        return client.request("GET", "/opinion/")

    def api():
        # A new name each time: the login lockout counts failures per name.
        body = f'{{"username": "nobody{next(attempts)}", "password": "wrong"}}'.encode()
        return client.request("POST", "/api/v1/auth/token/", data=body, headers=json_headers)

    try:
        for _ in range(4):
            status, _h, body = page()
            assert status == 200 and "山西省" in body
            assert api()[0] == 400  # wrong password: an answer from the database

        private_postgres.stop("fast")
        for _ in range(4):
            status, headers, body = page()
            assert status == 503, body[:500]
            assert "数据库暂时无法连接" in body and headers.get("Retry-After")
            status, headers, body = api()
            assert status == 503
            assert '"code": "database_unavailable"' in body and "数据库暂时无法连接" in body

        private_postgres.start()
        for _ in range(6):
            status, _h, body = page()
            assert status == 200 and "山西省" in body, body[:500]
            assert api()[0] == 400
        assert web.process.poll() is None  # the same server, never restarted
        assert "Traceback" not in web.log.read_text(errors="replace")
    finally:
        web.stop()
