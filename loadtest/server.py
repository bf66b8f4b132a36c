"""The server the door test loads: `python -m config.serve` (gunicorn and a Celery worker, no
beat), on the given cores, with 127.0.0.1 trusted as the proxy in front of the voters, and
the CPU seconds each part of the system used while the load ran."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import psycopg

from tests.proof import stack

BASE_DIR = stack.BASE_DIR


class Server:
    def __init__(self, *, database_url: str, redis_url: str, port: int, workers: int, threads: int,
                 cpus: str = "", log: Path, extra_env: dict | None = None):
        self.database_url, self.port, self.log = database_url, port, log
        self.env = {
            **stack.django_env(DATABASE_URL=database_url, REDIS_URL=redis_url,
                               DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"),
            # The generator plays the proxy in front of the voters: only it is trusted to say who
            # the client is. The public throttle keeps its production rate (20 an hour).
            "LIAISON_TRUSTED_PROXIES": "127.0.0.1",
            **(extra_env or {}),
        }
        for name in ("LIAISON_THROTTLE_PUBLIC", "LIAISON_THROTTLE_TRACK", "LIAISON_THROTTLE_TOKEN"):
            if not (extra_env or {}).get(name):
                self.env.pop(name, None)  # production's rates (config/settings.py)
        command = [sys.executable, "-m", "config.serve", "--port", str(port), "--workers", str(workers),
                   "--threads", str(threads), "--no-beat"]
        self.command = (["taskset", "-c", cpus] if cpus else []) + command
        self.process: subprocess.Popen | None = None
        self._out = None

    def start(self) -> None:
        self._out = open(self.log, "ab")
        self.process = subprocess.Popen(self.command, cwd=BASE_DIR, env=self.env, stdout=self._out,
                                        stderr=subprocess.STDOUT, start_new_session=True)
        stack.wait_for_port(self.port, process=self.process, log=self.log, timeout=90)
        deadline = time.monotonic() + 60  # the worker too
        while time.monotonic() < deadline and " ready." not in self.log.read_text(errors="replace"):
            time.sleep(0.3)
        time.sleep(1)

    def gunicorn_master(self) -> int | None:
        for child in psutil.Process(self.process.pid).children(recursive=True):
            if "gunicorn" in " ".join(child.cmdline()) and child.ppid() == self.process.pid:
                return child.pid
        return None

    def cpu_seconds(self) -> dict[str, float]:
        """CPU seconds (user + system) so far: gunicorn, the Celery worker, and this database's
        PostgreSQL backends."""
        parts = {"gunicorn": 0.0, "celery worker": 0.0}
        for child in psutil.Process(self.process.pid).children(recursive=True):
            try:
                times = child.cpu_times()
                line = " ".join(child.cmdline())
            except psutil.NoSuchProcess:
                continue
            part = "gunicorn" if "gunicorn" in line else "celery worker" if "celery" in line else None
            if part:
                parts[part] += times.user + times.system
        parts["postgresql (this database's backends)"] = postgres_cpu(self.database_url)
        return parts

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        if self._out is not None:
            self._out.close()


def postgres_cpu(database_url: str) -> float:
    name = database_url.rsplit("/", 1)[-1]
    with psycopg.connect(database_url.replace("postgres://", "postgresql://", 1)) as conn:
        pids = [pid for (pid,) in conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", (name,)).fetchall()]
    total = 0.0
    for pid in pids:
        try:
            times = psutil.Process(pid).cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total
