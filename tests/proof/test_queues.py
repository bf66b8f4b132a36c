"""Celery queues (settings.CELERY_TASK_ROUTES), proved with real workers on a private Redis: a
worker started by hand for `statistics` runs the statistics task and leaves the reminder sweep
in its queue, untouched, until a `reminders` worker starts; the sweep's follow-up (delivering
the notices) waits in `notifications`, which neither of them consumes. Workers for a queue group
can therefore run on machines of their own (docker-compose.yml's `worker`, `worker-reports`)."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
import redis

from suggestions.models import Reminder
from tests.proof import stack
from tests.proof.test_faults import SWEEP_DAY, due_assignments, wait_until

pytestmark = [pytest.mark.proof, pytest.mark.postgres]

ENQUEUE = (
    "import django\n"
    "django.setup()\n"
    "from suggestions.tasks import email_stats_workbooks, send_reminders\n"
    f"send_reminders.delay({SWEEP_DAY!r})\n"
    "email_stats_workbooks.delay('2025-10-12')\n"
)


def succeeded(worker: stack.CeleryWorker, task: str) -> bool:
    return any(task in line and "succeeded" in line for line in worker.tail(10**7).splitlines())


def test_a_statistics_worker_leaves_the_reminders_queued_until_a_reminders_worker_starts(
    world, test_database_url, private_redis, tmp_path
):
    assignments = due_assignments(world, 2)
    env = stack.django_env(DATABASE_URL=test_database_url, REDIS_URL=private_redis.url,
                           LIAISON_VAR_DIR=str(tmp_path / "var"),
                           DJANGO_EMAIL_BACKEND="django.core.mail.backends.console.EmailBackend")
    broker = redis.Redis.from_url(private_redis.url)
    statistics = stack.CeleryWorker(env, tmp_path, name="statistics", queues="statistics")
    reminders = stack.CeleryWorker(env, tmp_path, name="reminders", queues="reminders")
    try:
        statistics.start()
        statistics.wait_ready()
        subprocess.run([sys.executable, "-c", ENQUEUE], cwd=stack.BASE_DIR, env=env, check=True, timeout=60,
                       capture_output=True)
        wait_until(lambda: succeeded(statistics, "suggestions.tasks.email_stats_workbooks"), timeout=60,
                   message=statistics.tail())
        time.sleep(2)  # time enough for the statistics worker to take anything else it would
        assert broker.llen("reminders") == 1
        assert broker.llen("statistics") == 0
        assert "send_reminders[" not in statistics.tail(10**7)  # never received (the banner lists it)
        assert Reminder.objects.count() == 0

        reminders.start()
        wait_until(lambda: succeeded(reminders, "suggestions.tasks.send_reminders"), timeout=60,
                   message=reminders.tail())
        assert broker.llen("reminders") == 0
        assert Reminder.objects.count() == len(assignments)
        # The sweep enqueued the delivery of its notices: no worker here takes `notifications`.
        assert broker.llen("notifications") == 1
        assert "deliver_notifications[" not in statistics.tail(10**7) + reminders.tail(10**7)
    finally:
        statistics.stop()
        reminders.stop()
