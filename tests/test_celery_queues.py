"""Every Celery task has a queue of its kind (settings.CELERY_TASK_ROUTES), and the one worker of
`make run` consumes them all. tests/proof/test_queues.py proves the queues with real workers."""

from __future__ import annotations

import argparse

from django.conf import settings

from config import serve
from config.celery import app


def project_tasks() -> list[str]:
    app.loader.import_default_modules()
    return sorted(name for name in app.tasks if not name.startswith("celery."))


def test_every_project_task_is_routed_to_a_named_queue_not_the_default():
    tasks = project_tasks()
    assert "suggestions.tasks.send_reminders" in tasks and "liaison.tasks.run_import" in tasks
    for name in tasks:
        queue = app.amqp.router.route({}, name)["queue"].name
        assert queue in settings.LIAISON_CELERY_QUEUES and queue != settings.CELERY_TASK_DEFAULT_QUEUE, name


def test_routes_name_real_tasks_and_each_queue_has_its_kind_of_work():
    assert set(settings.CELERY_TASK_ROUTES) <= set(project_tasks())
    queue_of = {name: route["queue"] for name, route in settings.CELERY_TASK_ROUTES.items()}
    assert queue_of["suggestions.tasks.send_reminders"] == "reminders"
    assert queue_of["suggestions.tasks.deliver_outbox"] == "notifications"
    assert queue_of["suggestions.tasks.build_stats_nightly"] == "statistics"
    assert queue_of["suggestions.tasks.build_stats_workbook"] == "exports"
    assert queue_of["liaison.tasks.run_import"] == "imports"


def test_make_runs_worker_consumes_every_queue():
    args = argparse.Namespace(host="127.0.0.1", port=8000, workers=1, threads=1, no_worker=False, no_beat=True)
    (worker,) = [command for name, command in serve.commands(args) if name == "worker"]
    queues = worker[worker.index("-Q") + 1].split(",")
    assert sorted(queues) == sorted(settings.LIAISON_CELERY_QUEUES)


def test_make_devs_worker_consumes_every_queue():
    makefile = (serve.BASE_DIR / "Makefile").read_text()
    dev = makefile[makefile.index("\ndev:"):makefile.index("\ntest:")]
    queues = dev.split(" -Q ")[1].split()[0].split(",")
    assert sorted(queues) == sorted(settings.LIAISON_CELERY_QUEUES)
