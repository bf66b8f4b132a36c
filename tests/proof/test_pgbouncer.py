"""PgBouncer in transaction pooling mode (DATABASE_POOLER=transaction, config/settings.py) in front
of the machine's PostgreSQL: the app migrates, seeds, serves concurrent writes and a statistics
export through it, with two server connections shared by every client.

And why the setting is needed: a queryset `.iterator()` outside a transaction is a server-side
cursor (`DECLARE … WITH HOLD`) on whichever server connection PgBouncer lent for that one
statement; the next FETCH may get another one, where the cursor does not exist. With
DATABASE_POOLER=transaction Django reads the rows with a client-side cursor and nothing spans two
transactions; the same script with server-side cursors put back fails exactly so.

Skipped only when the pgbouncer binary is absent (`apt-get install pgbouncer`; .ci/run installs
it when running as root).
"""

from __future__ import annotations

import datetime
import re
import subprocess
import sys
import threading
import uuid

import psycopg
import pytest

from tests.proof import stack
from tests.proof.test_faults import submit_opinion_web

pytestmark = [pytest.mark.proof]

VOTERS = 12

# Reads every suggestion with `.iterator(chunk_size=2)` while another thread holds a transaction
# open on the server connection the first chunk came from (PgBouncer lends the most recently
# used idle connection first). argv[1]: "pooled" (the settings as configured) or "server-side"
# (server-side cursors put back, as without DATABASE_POOLER).
ITERATE = """
import sys, threading, django
django.setup()
from django.conf import settings
if sys.argv[1] == "server-side":
    settings.DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = False
from django.db import connection, transaction
from suggestions.models import Suggestion

held, done = threading.Event(), threading.Event()

def hold():
    with transaction.atomic():
        Suggestion.objects.exists()
        held.set()
        done.wait(30)
    connection.close()

rows = Suggestion.objects.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=2)
first = next(rows)
holder = threading.Thread(target=hold)
holder.start()
held.wait(30)
try:
    print("rows", 1 + sum(1 for _ in rows))
except Exception as error:
    print("error", type(error).__name__, error)
    sys.exit(3)
finally:
    done.set()
    holder.join()
"""


def server_address() -> tuple[str, int]:
    """The PostgreSQL server the suite uses (DATABASE_URL), or the machine's 127.0.0.1:5432."""
    from django.db import connection

    if connection.vendor == "postgresql":
        return connection.settings_dict.get("HOST") or "127.0.0.1", int(connection.settings_dict.get("PORT") or 5432)
    return "127.0.0.1", 5432


@pytest.fixture
def bouncer():
    if stack.pgbouncer_binary() is None:
        pytest.skip("the pgbouncer binary is not installed (apt-get install pgbouncer)")
    host, port = server_address()
    server = stack.PgBouncer(server_host=host, server_port=port, pool_size=2)
    name = f"proof_pgbouncer_{uuid.uuid4().hex[:10]}"
    direct = f"postgresql://postgres@{host}:{port}/postgres"
    with psycopg.connect(direct, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        server.start()
        yield server, name, f"postgresql://postgres@{host}:{port}/{name}"
    finally:
        server.stop()
        with psycopg.connect(direct, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_app_migrates_writes_and_exports_through_pgbouncer_in_transaction_mode(bouncer, tmp_path):
    server, database, direct_url = bouncer
    env = stack.django_env(LIAISON_VAR_DIR=str(tmp_path / "var"), DATABASE_URL=server.url(database),
                           DATABASE_POOLER="transaction")
    env.pop("REDIS_URL", None)
    yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo", "--scale", "0.02"],
                    ["build_stats", "--date", yesterday]):
        result = subprocess.run([sys.executable, "manage.py", *command], cwd=stack.BASE_DIR, env=env,
                                capture_output=True, text=True, timeout=900)
        assert result.returncode == 0, (command, result.stderr[-3000:])
    direct = psycopg.connect(direct_url, autocommit=True)  # the checks bypass PgBouncer
    township = direct.execute("SELECT code FROM stations_region WHERE length(code) = 9 ORDER BY code LIMIT 1").fetchone()[0]

    web = stack.Gunicorn(env, tmp_path, workers=2, threads=4)
    web.start()
    try:
        answers: list = []

        def voter(n: int) -> None:
            answers.append(submit_opinion_web(stack.Browser(web.base_url), township, f"经连接池提交的意见 {n}"))

        threads = [threading.Thread(target=voter, args=(n,)) for n in range(VOTERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert [status for status, _code, _s in answers] == [302] * VOTERS, web.log.read_text()[-3000:]
        codes = [code for _status, code, _s in answers]
        stored = direct.execute("SELECT count(*) FROM suggestions_suggestion WHERE code = ANY(%s)", (codes,)).fetchone()[0]
        assert stored == len(set(codes)) == VOTERS

        staff = stack.Browser(web.base_url)
        _status, _headers, page = staff.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, _headers, _body = staff.request("POST", "/accounts/login/", data={
            "csrfmiddlewaretoken": token, "username": "staff", "password": "demo12345"})
        assert status == 302
        status, headers, _body = staff.request("GET", "/stats/export.xlsx")
        assert status == 200 and "spreadsheetml" in headers["Content-Type"], _body[:500]
        assert "prepared statement" not in web.log.read_text() and " 500 " not in web.log.read_text()
    finally:
        web.stop()

    total = direct.execute("SELECT count(*) FROM suggestions_suggestion").fetchone()[0]
    direct.close()
    pooled = subprocess.run([sys.executable, "-c", ITERATE, "pooled"], cwd=stack.BASE_DIR, env=env,
                            capture_output=True, text=True, timeout=120)
    assert pooled.returncode == 0 and pooled.stdout.split() == ["rows", str(total)], pooled.stdout + pooled.stderr
    server_side = subprocess.run([sys.executable, "-c", ITERATE, "server-side"], cwd=stack.BASE_DIR, env=env,
                                 capture_output=True, text=True, timeout=120)
    assert server_side.returncode == 3 and "does not exist" in server_side.stdout, server_side.stdout + server_side.stderr
