"""The raw SQL of one voter's submission, for comparison with the door test: the statements a
`POST public/opinions/` sends (captured from Django in a transaction that is rolled back), replayed
straight on a psycopg connection N times, each in a transaction that is rolled back.

    DATABASE_URL=postgres://…/db python -m loadtest.raw [--repeat 300] [--region 140403001]

Prints the wall time per submission and the CPU seconds the PostgreSQL backend spent, per
submission. What it leaves out, so it is a floor: the deferred foreign-key checks and the WAL
flush of a commit (a rollback has neither), and the throttle's two Redis commands.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

import psutil
import psycopg


def captured_statements(region: str) -> list[str]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    client = APIClient(REMOTE_ADDR="127.0.0.1")
    body = {"title": "路灯不亮", "content": "晚上出行不安全，希望有关部门尽快修复，谢谢。", "region": region,
            "submitter_name": "压测选民", "submitter_phone": "13900000001"}
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        response = client.post("/api/v1/public/opinions/", body, format="json", HTTP_X_FORWARDED_FOR="198.51.100.7")
        transaction.set_rollback(True)
    if response.status_code != 201:
        sys.exit(f"the submission was refused: {response.status_code} {response.content[:200]!r}")
    return [q["sql"] for q in queries.captured_queries
            if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"))]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--repeat", type=int, default=300)
    parser.add_argument("--region", default="140403001")
    args = parser.parse_args(argv)
    statements = captured_statements(args.region)
    with psycopg.connect(args.database_url.replace("postgres://", "postgresql://", 1)) as conn:
        backend = psutil.Process(conn.info.backend_pid)
        times = []
        cpu_before = sum(backend.cpu_times()[:2])
        for _n in range(args.repeat):
            started = time.perf_counter()
            with conn.transaction(force_rollback=True):
                for sql in statements:
                    conn.execute(sql.replace("%", "%%"))
            times.append((time.perf_counter() - started) * 1000)
        cpu = sum(backend.cpu_times()[:2]) - cpu_before
    ordered = sorted(times)
    result = {
        "statements": len(statements),
        "repeat": args.repeat,
        "wall_ms_p50": round(statistics.median(ordered), 2),
        "wall_ms_p95": round(ordered[int(0.95 * (len(ordered) - 1))], 2),
        "postgres_cpu_ms_per_submission": round(1000 * cpu / args.repeat, 2),
        "loadavg": open("/proc/loadavg").read().strip(),
    }
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
