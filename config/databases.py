"""One database alias's settings from its URL (config/settings.py builds `default` and `replica`
with it).

SQLite: the web server, the worker and beat share one file: WAL lets readers and a writer work
at once, IMMEDIATE transactions make writers queue instead of failing.

PostgreSQL: JIT off (it compiles plans for big estimated costs; on our short list queries it
costs more than it saves: +200 ms on a 13 ms page, docs/benchmarks.md "Scale"), and no parallel
workers for a query (starting them costs more than a list query's scan: a province's late items
40 against 49–55 ms p95, a city's late assignments 20–23 against 31–36; and on a small machine
they take the cores the other requests are waiting for; the nightly statistics run as fast,
docs/benchmarks.md "Scale"). Behind a
transaction-mode pooler (`pooler="transaction"`, PgBouncer; docs/scaling.md) a server connection
is lent for one transaction at a time, so nothing may outlive one: no server-side cursors
(`.iterator()` fetches in chunks client-side instead), no prepared statements, and no `options`
startup parameter, which PgBouncer refuses (set both on the database instead).
"""

from __future__ import annotations

import dj_database_url

POOLERS = ("", "transaction")
POSTGRESQL_OPTIONS = "-c jit=off -c max_parallel_workers_per_gather=0"


def database(url: str, *, pooler: str = "") -> dict:
    config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        config["CONN_MAX_AGE"] = 0
        config["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    elif config["ENGINE"] == "django.db.backends.postgresql" and pooler == "transaction":
        config["DISABLE_SERVER_SIDE_CURSORS"] = True
        config.setdefault("OPTIONS", {})["prepare_threshold"] = None
    elif config["ENGINE"] == "django.db.backends.postgresql":
        config.setdefault("OPTIONS", {})["options"] = POSTGRESQL_OPTIONS
    return config
