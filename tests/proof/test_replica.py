"""The read replica (liaison/db.py) against a real PostgreSQL streaming replica.

A throwaway primary (initdb, wal_level=replica, a `replication` line in pg_hba.conf) and a
replica made from it with `pg_basebackup -R`, streaming; both log every statement. The schema
and the demo city are written to the primary only and reach the replica by streaming. The app
runs under gunicorn with DATABASE_URL=primary and DATABASE_REPLICA_URL=replica. Proved from the
servers' own logs: the statistics pages and a public page are read on the replica, every write
lands on the primary, and a voter who has just submitted reads the opinion back from the primary
alone while the replica is paused and cannot have it yet; another visitor's lookup finds nothing
on the replica and is answered from the primary; once replay resumes, the replica alone answers.
With the replica stopped, the same pages are read from the primary.

Skipped only when PostgreSQL's server binaries are not installed.
"""

from __future__ import annotations

import datetime
import re
import subprocess
import sys
import time

import pytest

from tests.proof import stack
from tests.proof.test_faults import submit_opinion_web

pytestmark = [pytest.mark.proof]

DATABASE = "liaison"
STICKY_SECONDS = 6  # long enough for the next request on a loaded machine
LOGGED = {"log_statement": "all", "log_line_prefix": "'%m [%p] %a '", "wal_level": "replica",
          "max_wal_senders": "4", "hot_standby": "on"}


@pytest.fixture
def primary_and_replica():
    bindir = stack.postgres_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb, pg_ctl, pg_basebackup) are not installed")
    primary = stack.PrivatePostgres(bindir)
    replica = stack.PrivateReplica(primary)
    try:
        primary.init()
        primary.allow("host replication all 127.0.0.1/32 trust")
        primary.start(**LOGGED)
        replica.init()
        replica.start(**LOGGED)
        replica.wait_streaming()
        yield primary, replica
    finally:
        replica.destroy()
        primary.destroy()


def statements(server: stack.PrivatePostgres, begin: str, end: str) -> str:
    """What the server logged between two markers (sent with `mark`)."""
    text = server.log.read_text(errors="replace")
    return text[text.index(f"'proof:{begin}'"):text.index(f"'proof:{end}'")]


def mark(name: str, *servers: stack.PrivatePostgres) -> None:
    for server in servers:
        server.psql(f"SELECT 'proof:{name}'", database=DATABASE)


WRITES = re.compile(r"statement: (INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


def test_statistics_and_public_pages_are_read_on_the_replica_writes_and_own_reads_on_the_primary(
    primary_and_replica, tmp_path
):
    primary, replica = primary_and_replica
    primary.psql(f"CREATE DATABASE {DATABASE}")
    env = stack.django_env(
        LIAISON_VAR_DIR=str(tmp_path / "var"),
        DATABASE_URL=primary.url(DATABASE) + "?application_name=liaison-primary",
        DATABASE_REPLICA_URL=replica.url(DATABASE) + "?application_name=liaison-replica",
        LIAISON_REPLICA_STICKY_SECONDS=str(STICKY_SECONDS),
    )
    env.pop("REDIS_URL", None)
    yesterday = (datetime.date.today() - datetime.timedelta(days=1)).isoformat()
    for command in (["migrate", "--noinput", "-v0"], ["seed_demo", "--scale", "0.02"],
                    ["build_stats", "--date", yesterday]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=stack.BASE_DIR, env=env, check=True,
                       capture_output=True, timeout=900)
    # The schema and the data reached the replica by streaming only.
    lag = replica.wait_caught_up()
    assert replica.psql("SELECT count(*) FROM suggestions_statsnapshot", database=DATABASE).strip() != "0"
    assert replica.psql("SELECT pg_is_in_recovery()").strip() == "t"
    township = primary.psql("SELECT code FROM stations_region WHERE length(code) = 9 ORDER BY code LIMIT 1",
                            database=DATABASE).strip()

    web = stack.Gunicorn(env, tmp_path, workers=1, threads=1)
    web.start()
    try:
        staff = stack.Browser(web.base_url)
        status, _headers, page = staff.request("GET", "/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        status, _headers, _body = staff.request("POST", "/accounts/login/", data={
            "csrfmiddlewaretoken": token, "username": "staff", "password": "demo12345"})
        assert status == 302, _body[:500]
        # Just after it wrote (the login), the same browser reads from the primary...
        mark("own-begin", primary, replica)
        assert staff.request("GET", "/stats/")[0] == 200
        mark("own-end", primary, replica)
        assert "suggestions_statsnapshot" in statements(primary, "own-begin", "own-end")
        assert "suggestions_statsnapshot" not in statements(replica, "own-begin", "own-end")
        # ...and once the window has passed, from the replica.
        time.sleep(STICKY_SECONDS + 0.5)
        mark("stats-begin", primary, replica)
        for path in ("/stats/", "/stats/units/"):
            status, _headers, body = staff.request("GET", path)
            assert status == 200, (path, body[:500])
        mark("stats-end", primary, replica)
        # The live summary counts on the primary: its staging tables are TEMPORARY ones.
        assert staff.request("GET", "/api/v1/stats/summary/")[0] == 200
        mark("summary-end", primary, replica)
        assert "TEMPORARY" in statements(primary, "stats-end", "summary-end")
        assert "TEMPORARY" not in statements(replica, "stats-end", "summary-end")
        on_replica = statements(replica, "stats-begin", "stats-end")
        on_primary = statements(primary, "stats-begin", "stats-end")
        assert on_replica.count("suggestions_statsnapshot") >= 3, on_replica[-3000:]
        assert "liaison-replica" in on_replica
        assert "suggestions_statsnapshot" not in on_primary and "django_session" not in on_primary, on_primary

        visitor = stack.Browser(web.base_url)
        mark("public-begin", primary, replica)
        assert visitor.request("GET", "/stations/")[0] == 200
        mark("public-end", primary, replica)
        assert "stations_station" in statements(replica, "public-begin", "public-end")
        assert "stations_station" not in statements(primary, "public-begin", "public-end")

        # The replica stops replaying: whatever is written now is on the primary only.
        replica.psql("SELECT pg_wal_replay_pause()")
        voter = stack.Browser(web.base_url)
        status, code, _seconds = submit_opinion_web(voter, township, "复制延迟时提交的意见")
        assert status == 302 and code
        assert primary.psql(f"SELECT count(*) FROM suggestions_suggestion WHERE code = '{code}'",
                            database=DATABASE).strip() == "1"
        # The voter who wrote reads it back at once, from the primary only.
        mark("own-track-begin", primary, replica)
        status, _headers, body = voter.request("GET", f"/track/{code}/")
        mark("own-track-end", primary, replica)
        assert status == 200 and code in body
        assert code in statements(primary, "own-track-begin", "own-track-end")
        assert code not in statements(replica, "own-track-begin", "own-track-end")
        # Another visitor asks the (lagging) replica, does not find it there, and is answered
        # from the primary.
        mark("other-track-begin", primary, replica)
        status, _headers, body = stack.Browser(web.base_url).request("GET", f"/track/{code}/")
        mark("other-track-end", primary, replica)
        assert status == 200 and code in body
        assert code in statements(replica, "other-track-begin", "other-track-end")
        assert code in statements(primary, "other-track-begin", "other-track-end")
        replica.psql("SELECT pg_wal_replay_resume()")
        replica.wait_caught_up()
        # Once the replica has it, a visitor's lookup is the replica's alone.
        mark("late-track-begin", primary, replica)
        assert stack.Browser(web.base_url).request("GET", f"/track/{code}/")[0] == 200
        mark("late-track-end", primary, replica)
        assert code in statements(replica, "late-track-begin", "late-track-end")
        assert code not in statements(primary, "late-track-begin", "late-track-end")

        # The replica goes away: the lag-tolerant pages are read from the primary instead.
        replica.stop("immediate")
        for path in ("/stats/", "/api/v1/stats/summary/"):
            status, _headers, body = staff.request("GET", path)
            assert status == 200, (path, body[:500])
        assert stack.Browser(web.base_url).request("GET", f"/track/{code}/")[0] == 200
    finally:
        web.stop()

    # Every write of the whole run (the login, the opinion, the sessions) was on the primary.
    replica_log = replica.log.read_text(errors="replace")
    primary_log = primary.log.read_text(errors="replace")
    assert not WRITES.search(replica_log), WRITES.search(replica_log)
    assert "cannot execute" not in replica_log
    assert re.search(r"liaison-primary LOG:  statement: INSERT INTO \"suggestions_suggestion\"", primary_log)
    print(f"replica caught up with the seeded primary in {lag:.3f} s")
