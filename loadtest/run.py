"""The load test, start to finish, on loopback only (`loadtest/run.sh` calls this).

1. a throwaway PostgreSQL database (created on --admin-url's server, dropped afterwards),
   migrated (or, with --schema-from, a copy of an already migrated database's schema);
2. a private Redis on a free port; gunicorn (the web and the API) and a Celery worker on them;
3. loadtest/prepare.py seeds 长治市's regions, a staff account, a unit and its officer;
4. locust, headless, bounded in users and time (loadtest/locustfile.py);
5. the checks: every tracking code a client was given exists exactly once in the database, no
   two are alike, no response was a 5xx (gunicorn's access log and locust's failures), and
   the throughput and p95 latency, printed and written to <out>/summary.json.

The public throttles (LIAISON_THROTTLE_PUBLIC, 20/hour, and LIAISON_THROTTLE_TRACK, 60/hour per
address by default) would stop a load test that comes from one address: they are set to
1000000/hour for the web server here.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections import Counter
from pathlib import Path

import psycopg

from tests.proof import stack

BASE_DIR = stack.BASE_DIR


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Load test of the whole stack (gunicorn, PostgreSQL, Celery on Redis).")
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--spawn-rate", type=float, default=20)
    parser.add_argument("--duration", default="120s", help="locust --run-time, e.g. 30s, 5m")
    parser.add_argument("--admin-url", default=os.environ.get("LOAD_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
                        help="A PostgreSQL server (and a database to connect to) where a throwaway database is created.")
    parser.add_argument("--schema-from", default="", help="Copy the schema of this migrated database instead of migrating.")
    parser.add_argument("--web-workers", type=int, default=max(2, 2 * (os.cpu_count() or 1)))
    parser.add_argument("--out", default=str(BASE_DIR / "var" / "load"))
    parser.add_argument("--keep", action="store_true", help="Keep the throwaway database.")
    return parser.parse_args(argv)


def with_database(url: str, name: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def admin_connect(url: str):
    return psycopg.connect(url.replace("postgres://", "postgresql://", 1), autocommit=True)


def copy_schema(source: str, target: str) -> None:
    dump = subprocess.run(["pg_dump", "--no-owner", "--no-privileges", "-d", source.replace("postgres://", "postgresql://", 1)],
                          check=True, capture_output=True, timeout=300)
    subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", "-d", target.replace("postgres://", "postgresql://", 1)],
                   input=dump.stdout, check=True, capture_output=True, timeout=300)


def read_stats(path: Path) -> dict:
    """locust's *_stats.csv: the Aggregated row and the per-endpoint rows."""
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    endpoints = {f"{r['Type']} {r['Name']}": r for r in rows if r["Name"] != "Aggregated"}
    total = next(r for r in rows if r["Name"] == "Aggregated")
    return {"total": total, "endpoints": endpoints}


def check(database_url: str, codes: list[str], access_log: Path, stats_csv: Path, seconds: float) -> dict:
    with psycopg.connect(database_url.replace("postgres://", "postgresql://", 1)) as conn:
        found = dict(conn.execute(
            "SELECT code, count(*) FROM suggestions_suggestion WHERE code = ANY(%s) GROUP BY code", (codes,)
        ).fetchall())
        public = conn.execute("SELECT count(*) FROM suggestions_suggestion WHERE source = 'public'").fetchone()[0]
        by_status = dict(conn.execute("SELECT status, count(*) FROM suggestions_suggestion GROUP BY status").fetchall())
        events = conn.execute("SELECT count(*) FROM suggestions_event").fetchone()[0]
        codes_total = conn.execute("SELECT count(*), count(DISTINCT code) FROM suggestions_suggestion").fetchone()
    statuses = Counter()
    for line in access_log.read_text(errors="replace").splitlines():
        match = re.search(r'" (\d{3}) ', line)
        if match and '"' in line:
            statuses[int(match.group(1))] += 1
    server_errors = sum(n for status, n in statuses.items() if status >= 500)
    stats = read_stats(stats_csv)
    total = stats["total"]
    duplicates_given = [code for code, n in Counter(codes).items() if n > 1]
    missing = [code for code in codes if code not in found]
    doubled = [code for code, n in found.items() if n != 1]
    summary = {
        "seconds": round(seconds, 1),
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "throughput_rps": round(float(total["Requests/s"]), 1),
        "p50_ms": float(total["50%"]),
        "p95_ms": float(total["95%"]),
        "max_ms": float(total["Max Response Time"]),
        "submissions_answered": len(codes),
        "submissions_per_s": round(len(codes) / seconds, 1) if seconds else 0,
        "public_suggestions_in_db": public,
        "codes_missing_in_db": len(missing),
        "codes_given_twice": len(duplicates_given),
        "codes_not_exactly_once_in_db": len(doubled),
        "all_codes_unique_in_db": codes_total[0] == codes_total[1],
        "http_status_counts": dict(sorted(statuses.items())),
        "server_errors_5xx": server_errors,
        "suggestions_by_status": by_status,
        "events": events,
        "endpoints_p95_ms": {name: float(r["95%"]) for name, r in stats["endpoints"].items()},
    }
    summary["ok"] = bool(
        codes and not missing and not duplicates_given and not doubled and summary["all_codes_unique_in_db"]
        and server_errors == 0 and summary["failures"] == 0
    )
    return summary


def run(args) -> dict:
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="load-", dir=out))
    name = f"liaison_load_{os.getpid()}_{int(time.time())}"
    database_url = with_database(args.admin_url, name)
    admin = admin_connect(args.admin_url)
    admin.execute(f'CREATE DATABASE "{name}"')
    redis = stack.PrivateRedis(work)
    web = worker = None
    try:
        env = stack.django_env(DATABASE_URL=database_url, LIAISON_VAR_DIR=str(work / "var"),
                               DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
        if args.schema_from:
            copy_schema(args.schema_from, database_url)
        else:
            subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True)
        redis.start()
        env["REDIS_URL"] = redis.url
        prepared = subprocess.run([sys.executable, "-m", "loadtest.prepare"], cwd=BASE_DIR, env=env, check=True,
                                  capture_output=True, text=True)
        config = prepared.stdout.strip().splitlines()[-1]
        web = stack.Gunicorn(env, work, workers=args.web_workers)
        web.start()
        worker = stack.CeleryWorker(env, work, name="load")
        worker.start()
        worker.wait_ready()
        codes_file = work / "codes.txt"
        started = time.monotonic()
        locust = subprocess.run(
            [sys.executable, "-m", "locust", "-f", str(BASE_DIR / "loadtest" / "locustfile.py"), "--headless",
             "-u", str(args.users), "-r", str(args.spawn_rate), "-t", args.duration, "--host", web.base_url,
             "--csv", str(work / "locust"), "--only-summary", "--stop-timeout", "10", "--loglevel", "WARNING"],
            cwd=BASE_DIR, env={**env, "LOAD_CONFIG": config, "LOAD_CODES_FILE": str(codes_file)},
            capture_output=True, text=True, timeout=7200,
        )
        seconds = time.monotonic() - started
        (work / "locust.out").write_text(locust.stdout + locust.stderr)
        codes = codes_file.read_text().split() if codes_file.exists() else []
        summary = check(database_url, codes, web.log, work / "locust_stats.csv", seconds)
        summary.update({"users": args.users, "duration": args.duration, "web_workers": args.web_workers,
                        "workdir": str(work), "locust_exit": locust.returncode})
        (out / "summary.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2))
        return summary
    finally:
        for process in (worker, web):
            if process is not None:
                process.stop()
        redis.stop()
        if not args.keep:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def main(argv=None) -> int:
    args = parse_args(argv)
    summary = run(args)
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    print(
        f"\n{summary['users']} users for {summary['duration']}: {summary['requests']} requests, "
        f"{summary['throughput_rps']} req/s, p50 {summary['p50_ms']:.0f} ms, p95 {summary['p95_ms']:.0f} ms; "
        f"{summary['submissions_answered']} opinions answered ({summary['submissions_per_s']}/s), "
        f"{summary['codes_missing_in_db']} missing, {summary['codes_not_exactly_once_in_db']} not exactly once, "
        f"{summary['server_errors_5xx']} 5xx: {'OK' if summary['ok'] else 'FAILED'}"
    )
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
