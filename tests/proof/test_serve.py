"""`make run`'s server (config/serve.py: gunicorn, the Celery worker and beat) under 40 voters
submitting at once through the API: no connection reset, no 5xx, every code answered stored
exactly once. On the embedded defaults (a SQLite file, the filesystem broker) and, where
PostgreSQL's server binaries are installed, on a private PostgreSQL cluster."""

from __future__ import annotations

import http.client
import json
import sqlite3
import subprocess
import sys
import threading
from collections import Counter

import pytest

from config.serve import default_workers
from tests.proof import stack

pytestmark = [pytest.mark.proof]

CLIENTS = 40
EACH = 5


def _submit_all(port: int) -> tuple[Counter, list[str], list[str]]:
    statuses: Counter = Counter()
    codes: list[str] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(CLIENTS)

    def voter(n: int) -> None:
        start.wait()
        for i in range(EACH):
            body = json.dumps({
                "title": f"路灯不亮 {n}-{i}", "content": "希望有关部门尽快修好，谢谢。", "region": "1404",
                "submitter_name": "压测选民", "submitter_phone": f"139{n:04d}{i:04d}",
            })
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                connection.request("POST", "/api/v1/public/opinions/", body=body.encode(),
                                   headers={"Content-Type": "application/json"})
                response = connection.getresponse()
                payload = response.read()
                connection.close()
            except OSError as exc:  # a reset, a refused or dropped connection
                with lock:
                    errors.append(repr(exc))
                continue
            with lock:
                statuses[response.status] += 1
                if response.status == 201:
                    codes.append(json.loads(payload)["code"])

    threads = [threading.Thread(target=voter, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses, codes, errors


def _serve(env: dict, tmp_path):
    port = stack.free_port()
    log = tmp_path / "serve.log"
    out = open(log, "ab")
    process = subprocess.Popen([sys.executable, "-m", "config.serve", "--port", str(port)],
                               cwd=stack.BASE_DIR, env=env, stdout=out, stderr=subprocess.STDOUT,
                               start_new_session=True)
    stack.wait_for_port(port, process=process, log=log, timeout=90)
    return port, process, out


def _prepare(env: dict) -> None:
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo", "--scale", "0.02"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=stack.BASE_DIR, env=env, check=True,
                       capture_output=True, timeout=600)


def _check(statuses: Counter, codes: list[str], errors: list[str], stored: Counter) -> None:
    assert errors == []
    assert not [s for s in statuses if s >= 500], statuses
    assert statuses == Counter({201: CLIENTS * EACH}), statuses
    assert len(set(codes)) == len(codes) == CLIENTS * EACH
    assert all(stored[code] == 1 for code in codes)


def test_default_workers_come_from_the_cores():
    assert default_workers(1) == 3 and default_workers(2) == 5 and default_workers(16) == 8


def test_forty_voters_at_once_on_sqlite_no_reset_no_5xx_each_code_once(tmp_path):
    env = stack.django_env(LIAISON_VAR_DIR=str(tmp_path / "var"))
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    _prepare(env)
    port, process, out = _serve(env, tmp_path)
    try:
        statuses, codes, errors = _submit_all(port)
    finally:
        stack.stop_process(process)
        out.close()
    with sqlite3.connect(tmp_path / "var" / "db.sqlite3") as db:
        rows = db.execute("SELECT code FROM suggestions_suggestion WHERE source = 'public'").fetchall()
    _check(statuses, codes, errors, Counter(code for (code,) in rows))


def test_forty_voters_at_once_on_postgresql_no_reset_no_5xx_each_code_once(tmp_path, private_postgres):
    private_postgres.psql("CREATE DATABASE liaison_serve")
    env = stack.django_env(LIAISON_VAR_DIR=str(tmp_path / "var"), DATABASE_URL=private_postgres.url("liaison_serve"))
    env.pop("REDIS_URL", None)
    _prepare(env)
    port, process, out = _serve(env, tmp_path)
    try:
        statuses, codes, errors = _submit_all(port)
    finally:
        stack.stop_process(process)
        out.close()
    rows = private_postgres.psql("SELECT code FROM suggestions_suggestion WHERE source = 'public'",
                                 database="liaison_serve").split()
    _check(statuses, codes, errors, Counter(rows))
