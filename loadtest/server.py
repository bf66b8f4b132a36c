"""The server the door test loads: `python -m config.serve` (gunicorn and a Celery worker, no
beat), on the given cores, with 127.0.0.1 trusted as the proxy in front of the voters, and
the CPU seconds each part of the system used while the load ran."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import psycopg

from tests.proof import stack

BASE_DIR = stack.BASE_DIR


class Server:
    def __init__(self, *, database_url: str, redis_url: str, port: int, workers: int, threads: int,
                 cpus: str = "", log: Path, extra_env: dict | None = None, code_dir: str = ""):
        self.database_url, self.port, self.log = database_url, port, log
        self.code_dir = Path(code_dir) if code_dir else BASE_DIR  # another checkout, to compare
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
        self.process = subprocess.Popen(self.command, cwd=self.code_dir, env=self.env, stdout=self._out,
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


class PostgresCpu(threading.Thread):
    """CPU seconds of this database's PostgreSQL backends while it runs: sampled twice a second
    (a backend may start or end during the run; one that ends loses at most its last half second)."""

    def __init__(self, database_url: str):
        super().__init__(daemon=True)
        self.url = database_url.replace("postgres://", "postgresql://", 1)
        self.name = database_url.rsplit("/", 1)[-1]
        self.first: dict[int, float] = {}
        self.last: dict[int, float] = {}
        self.kind: dict[int, str] = {}
        self.done = threading.Event()
        self.sample(baseline=True)

    def sample(self, *, baseline: bool = False) -> None:
        with psycopg.connect(self.url) as conn:
            rows = conn.execute(
                "SELECT pid, backend_type FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
                (self.name,)).fetchall()
        for pid, kind in rows:
            self.kind[pid] = kind
            try:
                times = psutil.Process(pid).cpu_times()
            except psutil.Error:
                continue
            used = times.user + times.system
            self.first.setdefault(pid, used if baseline else 0.0)
            self.last[pid] = used

    def run(self) -> None:
        while not self.done.wait(0.5):
            self.sample()

    def stop(self) -> dict[str, float]:
        """CPU seconds by backend type: the application's connections ("client backend") and
        autovacuum (the writes' deferred cost: the GIN index's pending list, statistics)."""
        self.done.set()
        self.join(timeout=5)
        self.sample()
        by_kind: dict[str, float] = {}
        for pid in self.last:
            by_kind[self.kind[pid]] = by_kind.get(self.kind[pid], 0.0) + self.last[pid] - self.first[pid]
        return by_kind
