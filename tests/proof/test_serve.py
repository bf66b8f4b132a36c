"""`make run`'s server (config/serve.py: gunicorn, the Celery worker and beat) under 40 voters
submitting at once, half through the API and half through the web form (its CSRF token, the
post, the page with the tracking code; the public throttle raised, as in the other load test):
no connection reset, no 5xx, every code answered stored exactly once. On the embedded defaults (a SQLite file, the filesystem broker) and, where
PostgreSQL's server binaries are installed, on a private PostgreSQL cluster."""

from __future__ import annotations

import http.client
import json
import re
import sqlite3
import subprocess
import sys
import threading
from collections import Counter
from urllib.parse import urlencode

import pytest

from config.serve import commands, default_workers, parse_args
from tests.proof import stack

pytestmark = [pytest.mark.proof]

CLIENTS = 40
EACH = 5


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
CODE = re.compile(r'id="tracking-code">([0-9A-Z]+)<')


def _cookies(response, jar: dict) -> None:
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _sep, rest = value.partition("=")
            jar[name] = rest.split(";", 1)[0]


def _request(port, method, path, *, body=None, headers=None, jar=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = dict(headers or {})
    if jar:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in jar.items())
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    payload = response.read()
    connection.close()
    if jar is not None:
        _cookies(response, jar)
    return response, payload


def _by_web_form(port: int, station_id: int, n: int, i: int) -> tuple[int, str | None]:
    """A voter on the station's opinion page: the form (its CSRF token and cookie), the post,
    and the page with the tracking code it redirects to."""
    jar: dict = {}
    path = f"/opinion/station/{station_id}/"
    response, page = _request(port, "GET", path, jar=jar)
    if response.status != 200:
        return response.status, None
    token = TOKEN.search(page.decode()).group(1)
    body = urlencode({"csrfmiddlewaretoken": token, "title": f"门前下水道堵塞 {n}-{i}", "content": "雨天积水严重。",
                      "submitter_phone": f"138{n:04d}{i:04d}", "website": ""}).encode()
    response, _payload = _request(port, "POST", path, body=body, jar=jar,
                                  headers={"Content-Type": "application/x-www-form-urlencoded"})
    if response.status != 302:
        return response.status, None
    done, page = _request(port, "GET", response.getheader("Location"), jar=jar)
    match = CODE.search(page.decode())
    return (201 if done.status == 200 and match else done.status), (match.group(1) if match else None)


def _submit_all(port: int, station_id: int) -> tuple[Counter, list[str], list[str]]:
    statuses: Counter = Counter()
    codes: list[str] = []
    errors: list[str] = []
    lock = threading.Lock()
    start = threading.Barrier(CLIENTS)

    def voter(n: int) -> None:
        start.wait()
        for i in range(EACH):
            if n % 2:  # every other voter writes through the web form
                try:
                    status, code = _by_web_form(port, station_id, n, i)
                except OSError as exc:
                    with lock:
                        errors.append(repr(exc))
                    continue
                with lock:
                    statuses[status] += 1
                    if code:
                        codes.append(code)
                continue
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
    # One gthread process per core (its threads cover the database's waits), two at least.
    assert default_workers(1) == 2 and default_workers(2) == 2 and default_workers(4) == 4 and default_workers(16) == 8


def test_the_web_server_runs_a_worker_per_core_with_eight_threads(monkeypatch):
    monkeypatch.delenv("LIAISON_WEB_WORKERS", raising=False)
    monkeypatch.delenv("LIAISON_WEB_THREADS", raising=False)
    monkeypatch.setattr("os.cpu_count", lambda: 2)
    (name, web), *_rest = commands(parse_args([]))
    assert name == "web"
    assert web[web.index("--workers") + 1] == "2" and web[web.index("--threads") + 1] == "8"
    monkeypatch.setenv("LIAISON_WEB_THREADS", "3")
    (_name, web), *_rest = commands(parse_args(["--workers", "5"]))
    assert web[web.index("--workers") + 1] == "5" and web[web.index("--threads") + 1] == "3"


def test_forty_voters_at_once_on_sqlite_no_reset_no_5xx_each_code_once(tmp_path):
    env = stack.django_env(LIAISON_VAR_DIR=str(tmp_path / "var"))
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    _prepare(env)
    with sqlite3.connect(tmp_path / "var" / "db.sqlite3") as db:
        (station_id,) = db.execute("SELECT id FROM stations_station WHERE kind = 'station' ORDER BY id LIMIT 1").fetchone()
    port, process, out = _serve(env, tmp_path)
    try:
        statuses, codes, errors = _submit_all(port, station_id)
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
    station_id = int(private_postgres.psql("SELECT id FROM stations_station WHERE kind = 'station' ORDER BY id LIMIT 1",
                                           database="liaison_serve").strip())
    port, process, out = _serve(env, tmp_path)
    try:
        statuses, codes, errors = _submit_all(port, station_id)
    finally:
        stack.stop_process(process)
        out.close()
    rows = private_postgres.psql("SELECT code FROM suggestions_suggestion WHERE source = 'public'",
                                 database="liaison_serve").split()
    _check(statuses, codes, errors, Counter(rows))
