"""`python -m config.serve`: the whole system on this machine, as `make run` starts it.

gunicorn serves the WSGI app (gthread workers: processes from the cores, a few threads each),
with a Celery worker (consuming every queue: reminders, notifications, statistics, exports,
imports and the default) and beat beside it; Ctrl-C (or SIGTERM) stops all three, and when one
of them dies the others are stopped too. The same on the embedded defaults (SQLite in WAL mode
with a busy timeout, the filesystem broker) and on PostgreSQL and Redis when DATABASE_URL and
REDIS_URL say so. `make dev` keeps Django's auto-reloading development server instead.

    python -m config.serve [--host 127.0.0.1] [--port 8000] [--workers N] [--threads T]
                           [--no-worker] [--no-beat]

Workers default to `LIAISON_WEB_WORKERS` or one per core (at least 2, at most 8), threads to
`LIAISON_WEB_THREADS` or 8. A gthread worker runs Python on one core at a time (the GIL); its
threads cover the waits on PostgreSQL and Redis. More processes than cores only take turns on
the same cores: on this 2-core machine, voters' submissions at 120 a second cost 10.1 ms of
gunicorn CPU each with 5 × 4 and 9.4 ms with 2 × 8, and were answered faster (docs/benchmarks.md
"Load"). On SQLite one file takes one writer at a time (more processes only queue longer); on
PostgreSQL every thread keeps its own connection (CONN_MAX_AGE), so 8 workers × 8 threads stay
under the server's 100 connections with the worker and beat beside them.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


DEFAULT_THREADS = 8


def default_workers(cores: int | None = None) -> int:
    cores = cores or os.cpu_count() or 1
    return min(max(cores, 2), 8)


def celery_queues() -> tuple[str, ...]:
    """Every queue of the project (settings.LIAISON_CELERY_QUEUES): this one worker takes them all."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.conf import settings

    return tuple(settings.LIAISON_CELERY_QUEUES)


def commands(args) -> list[tuple[str, list[str]]]:
    python = sys.executable
    workers = args.workers or int(os.environ.get("LIAISON_WEB_WORKERS") or default_workers())
    threads = args.threads or int(os.environ.get("LIAISON_WEB_THREADS") or DEFAULT_THREADS)
    web = [
        python, "-m", "gunicorn", "config.wsgi:application",
        "--bind", f"{args.host}:{args.port}",
        "--worker-class", "gthread", "--workers", str(workers), "--threads", str(threads),
        # A listen queue for bursts (no connection resets while every thread is busy), a
        # request timeout longer than SQLite's busy timeout (20 s), keep-alive for browsers.
        "--backlog", "2048", "--timeout", "60", "--graceful-timeout", "10", "--keep-alive", "5",
        "--access-logfile", "-",
    ]
    processes = [("web", web)]
    if not args.no_worker:
        processes.append(("worker", [python, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO",
                                     "--concurrency=2", "-Q", ",".join(celery_queues())]))
    if not args.no_beat:
        processes.append(("beat", [python, "-m", "celery", "-A", "config", "beat", "--loglevel=INFO"]))
    return processes


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--threads", type=int, default=0)
    parser.add_argument("--no-worker", action="store_true")
    parser.add_argument("--no-beat", action="store_true")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)

    children: list[tuple[str, subprocess.Popen]] = []
    stopping = False

    def stop(*_args):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for name, command in commands(args):
        print(f"[serve] {name}: {' '.join(command[1:])}", flush=True)
        children.append((name, subprocess.Popen(command, cwd=BASE_DIR)))
    code = 0
    try:
        while not stopping:
            for name, process in children:
                if process.poll() is not None:
                    print(f"[serve] {name} stopped (exit {process.returncode}); stopping the others", flush=True)
                    code = process.returncode or 1
                    stopping = True
            time.sleep(0.5)
    finally:
        for _name, process in children:
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + 15
        for _name, process in children:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
    return code


if __name__ == "__main__":
    sys.exit(main())
