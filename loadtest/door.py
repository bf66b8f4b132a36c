"""Submissions at the door: voters' opinions through `POST /api/v1/public/opinions/` at a fixed
rate, from a light generator (asyncio and raw HTTP/1.1 on keep-alive connections, no
dependency), with the public throttle on.

    python -m loadtest.door --url http://127.0.0.1:8000 --database-url postgres://…/db \
        --rate 120 --duration 60 [--connections 64] [--per-client 10] [--out var/load/door]

The load comes from one address; the throttle counts per client address
(`liaison.clients.client_address`). The generator plays the proxy in front of the stations'
voters: the web server trusts 127.0.0.1 as a proxy (`LIAISON_TRUSTED_PROXIES=127.0.0.1`) and
each request says which voter it carries in `X-Forwarded-For` (10.x.y.z, each address at most
`--per-client` submissions, below the 20 an hour `LIAISON_THROTTLE_PUBLIC` allows). One more
address (`--probe`) submits past its limit throughout the run: it must get exactly the limit
of 201s and 429 for the rest, so the throttle is shown to be on and counting.

Open loop: request i is due at start + i / rate whatever the server does, and its latency is
counted from that moment (waiting for a free connection included), so a server that falls
behind shows it in p95 instead of slowing the generator down.

Checks (exit 1 when one fails): no 5xx, no connection error, every 201's tracking code is in
the database exactly once, the public suggestions counted after minus before equal the 201s
(nothing lost, nothing extra), the probe got exactly its limit, and the same for the outbox
receipts (one per submission with a phone). Writes <out>/door.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import random
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import psutil
import psycopg

PATH = "/api/v1/public/opinions/"
TITLES = ["路灯不亮", "道路坑洼", "垃圾清运不及时", "公交班次太少", "小区停车难", "下水道堵塞", "噪音扰民", "供暖不热"]
CONTENTS = [
    "晚上出行不安全，希望有关部门尽快修复，谢谢。",
    "雨天积水严重，老人孩子出门很不方便。",
    "已经反映过几次，一直没有解决，请帮忙协调。",
    "附近居民意见很大，盼望早日解决。",
]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))  # nearest rank
    return ordered[k]


def client_addresses(count: int, base: int) -> list[str]:
    """`count` voters' addresses in 10.0.0.0/8 from `base` on (a fresh range each run: the
    throttle remembers an address for an hour)."""
    return [f"10.{(n >> 16) & 255}.{(n >> 8) & 255}.{n & 255}" for n in ((base + i) % (1 << 24) for i in range(count))]


def body(n: int, township: str) -> bytes:
    return json.dumps({
        "title": f"{random.choice(TITLES)}（{n}）",
        "content": random.choice(CONTENTS),
        "region": township,
        "submitter_name": "压测选民",
        "submitter_phone": f"139{n % 10**8:08d}",
    }, ensure_ascii=False).encode()


class Connections:
    """A pool of keep-alive HTTP/1.1 connections to one host (as a proxy keeps to its upstream)."""

    def __init__(self, host: str, port: int, size: int):
        self.host, self.port = host, port
        self.idle: asyncio.Queue = asyncio.Queue()
        for _i in range(size):
            self.idle.put_nowait(None)  # opened lazily

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        conn = await self.idle.get()
        try:
            for attempt in (0, 1):
                if conn is None:
                    conn = await asyncio.open_connection(self.host, self.port)
                reader, writer = conn
                try:
                    writer.write(raw)
                    await writer.drain()
                    status, payload, keep = await read_response(reader)
                except (ConnectionError, asyncio.IncompleteReadError):
                    writer.close()
                    conn = None
                    if attempt:  # a fresh connection failed too: a real error
                        raise
                    continue  # the server closed an idle keep-alive connection: once more, fresh
                if not keep:
                    writer.close()
                    conn = None
                return status, payload
            raise ConnectionError("unreachable")
        finally:
            self.idle.put_nowait(conn)


async def read_response(reader: asyncio.StreamReader) -> tuple[int, bytes, bool]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split(" ", 2)[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            name, value = line.split(":", 1)
            headers[name.strip().lower()] = value.strip()
    if "content-length" in headers:
        payload = await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        chunks = []
        while True:
            size = int((await reader.readuntil(b"\r\n")).strip(), 16)
            chunks.append(await reader.readexactly(size + 2))
            if size == 0:
                break
        payload = b"".join(c[:-2] for c in chunks)
    else:
        payload = await reader.read()
        return status, payload, False
    return status, payload, headers.get("connection", "").lower() != "close"


def raw_post(host: str, payload: bytes, forwarded_for: str) -> bytes:
    return (
        f"POST {PATH} HTTP/1.1\r\nHost: {host}\r\nContent-Type: application/json\r\n"
        f"Accept: application/json\r\nX-Forwarded-For: {forwarded_for}\r\n"
        f"Content-Length: {len(payload)}\r\n\r\n"
    ).encode() + payload


async def generate(args, townships: list[str]) -> dict:
    url = urlsplit(args.url)
    host, port = url.hostname, url.port or 80
    pool = Connections(host, port, args.connections)
    total = int(args.rate * args.duration)
    addresses = client_addresses(-(-total // args.per_client), random.randrange(1 << 24))
    probe_address = f"172.{random.randrange(16, 32)}.{random.randrange(256)}.{random.randrange(1, 255)}"  # not a voter
    probe_every = max(1, total // (args.probe_limit + args.probe_extra)) if args.probe_limit else 0
    results: list[dict] = []
    lags: list[float] = []
    started = time.monotonic()

    async def one(n: int, due: float, address: str) -> None:
        delay = due - time.monotonic()
        if delay > 0:
            await asyncio.sleep(delay)
        lags.append(max(0.0, time.monotonic() - due))
        raw = raw_post(f"{host}:{port}", body(n, townships[n % len(townships)]), address)
        record = {"address": address, "probe": address == probe_address}
        try:
            status, payload = await pool.request(raw)
            record["status"] = status
            if status == 201:
                record["code"] = json.loads(payload)["code"]
            elif status >= 500 or (status != 429):
                record["body"] = payload[:300].decode("utf-8", "replace")
        except (OSError, asyncio.IncompleteReadError, ValueError) as error:
            record["status"] = 0
            record["error"] = repr(error)
        record["ms"] = (time.monotonic() - due) * 1000
        results.append(record)

    tasks = []
    probe_sent = 0
    for n in range(total):
        due = started + n / args.rate
        address = addresses[n // args.per_client]
        if probe_every and n % probe_every == 0 and probe_sent < args.probe_limit + args.probe_extra:
            tasks.append(asyncio.ensure_future(one(10**8 - 1 - probe_sent, due, probe_address)))
            probe_sent += 1
        tasks.append(asyncio.ensure_future(one(n, due, address)))
        if len(tasks) % 200 == 0:
            await asyncio.sleep(0)
    await asyncio.gather(*tasks)
    return {"results": results, "seconds": time.monotonic() - started, "lags": lags}


def db_counts(database_url: str) -> dict:
    with psycopg.connect(database_url.replace("postgres://", "postgresql://", 1)) as conn:
        public, = conn.execute("SELECT count(*) FROM suggestions_suggestion WHERE source = 'public'").fetchone()
        receipts, = conn.execute("SELECT count(*) FROM suggestions_outboundmessage WHERE kind = 'receipt'").fetchone()
    return {"public_suggestions": public, "receipts": receipts}


def stored(database_url: str, codes: list[str]) -> Counter:
    with psycopg.connect(database_url.replace("postgres://", "postgresql://", 1)) as conn:
        rows = conn.execute(
            "SELECT code, count(*) FROM suggestions_suggestion WHERE code = ANY(%s) GROUP BY code", (codes,)
        ).fetchall()
    return Counter(dict(rows))


def townships_of(database_url: str, prefix: str) -> list[str]:
    with psycopg.connect(database_url.replace("postgres://", "postgresql://", 1)) as conn:
        rows = conn.execute(
            "SELECT code FROM stations_region WHERE level = 'township' AND code LIKE %s ORDER BY code", (prefix + "%",)
        ).fetchall()
    return [code for (code,) in rows]


def summarize(args, run: dict, before: dict, after: dict, found: Counter) -> dict:
    results = run["results"]
    voters = [r for r in results if not r["probe"]]
    probe = [r for r in results if r["probe"]]
    statuses = Counter(r["status"] for r in results)
    codes = [r["code"] for r in results if r.get("code")]
    latencies = [r["ms"] for r in voters]
    created = [r for r in voters if r["status"] == 201]
    probe_created = sum(1 for r in probe if r["status"] == 201)
    summary = {
        "url": args.url,
        "rate_asked": args.rate,
        "duration_s": args.duration,
        "seconds": round(run["seconds"], 1),
        "requests": len(results),
        "status_counts": {str(k): v for k, v in sorted(statuses.items())},
        "created_201": len(codes),
        "created_per_s": round(len(codes) / run["seconds"], 1),
        "voter_errors": len(voters) - len(created),
        "connection_errors": statuses.get(0, 0),
        "server_errors_5xx": sum(n for s, n in statuses.items() if s >= 500),
        "p50_ms": round(percentile(latencies, 50), 1),
        "p95_ms": round(percentile(latencies, 95), 1),
        "p99_ms": round(percentile(latencies, 99), 1),
        "max_ms": round(max(latencies, default=0), 1),
        "mean_ms": round(statistics.fmean(latencies), 1) if latencies else 0,
        "generator_lag_p95_ms": round(percentile(run["lags"], 95) * 1000, 1),
        "simulated_clients": len({r["address"] for r in voters}),
        "probe": {"sent": len(probe), "created": probe_created, "throttled_429": sum(1 for r in probe if r["status"] == 429),
                  "limit": args.probe_limit},
        "rows_before": before,
        "rows_after": after,
        "codes_given_twice": sum(1 for n in Counter(codes).values() if n > 1),
        "codes_not_stored_once": sum(1 for c in codes if found.get(c) != 1),
        "samples_of_errors": [r for r in voters if r["status"] != 201][:5],
        "loadavg_after": Path("/proc/loadavg").read_text().strip(),
    }
    new_rows = after["public_suggestions"] - before["public_suggestions"]
    new_receipts = after["receipts"] - before["receipts"]
    summary["rows_stored"] = new_rows
    summary["receipts_stored"] = new_receipts
    summary["ok"] = bool(
        codes and summary["server_errors_5xx"] == 0 and summary["connection_errors"] == 0
        and summary["voter_errors"] == 0 and summary["codes_given_twice"] == 0
        and summary["codes_not_stored_once"] == 0 and new_rows == len(codes) and new_receipts == len(codes)
        and (not args.probe_limit or probe_created == args.probe_limit)
    )
    return summary


def parse_args(argv):
    parser = argparse.ArgumentParser(description="Voters' opinions at a fixed rate, checked against the database.")
    parser.add_argument("--url", default="http://127.0.0.1:8000", help="a server already running (without --serve)")
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    parser.add_argument("--rate", type=float, default=120, help="submissions per second asked")
    parser.add_argument("--duration", type=float, default=60, help="seconds")
    parser.add_argument("--connections", type=int, default=64, help="keep-alive connections (the proxy's upstream pool)")
    parser.add_argument("--per-client", type=int, default=10, help="submissions per simulated voter address")
    parser.add_argument("--probe-limit", type=int, default=20, help="the public throttle's count per hour (0: no probe)")
    parser.add_argument("--probe-extra", type=int, default=10, help="probe submissions past the limit (must be 429)")
    parser.add_argument("--region", default="1404", help="the townships written about: codes under this prefix")
    parser.add_argument("--out", default="var/load/door")
    parser.add_argument("--note", default="", help="a word for the results table (e.g. the commit)")
    server = parser.add_argument_group("--serve: start `python -m config.serve` (gunicorn + Celery worker) for the run")
    server.add_argument("--serve", action="store_true")
    server.add_argument("--redis-url", default=os.environ.get("REDIS_URL", ""))
    server.add_argument("--port", type=int, default=0, help="default: a free port")
    server.add_argument("--workers", type=int, default=0, help="gunicorn workers (default: config.serve's)")
    server.add_argument("--threads", type=int, default=0, help="threads per worker (default: config.serve's)")
    server.add_argument("--cpus", default="", help="taskset -c list for the server and the generator, e.g. 0")
    server.add_argument("--profile", action="store_true", help="py-spy record the web workers (--gil) into <out>/web.raw")
    server.add_argument("--code-dir", default="", help="serve another checkout (e.g. `git archive` of an older commit)")
    server.add_argument("--warmup", type=float, default=3, help="seconds of light load before counting")
    return parser.parse_args(argv)


def run(args, townships: list[str]) -> dict:
    from loadtest.server import PostgresCpu, Server
    from tests.proof import stack

    server = None
    extra: dict = {}
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    if args.serve:
        port = args.port or stack.free_port()
        server = Server(database_url=args.database_url, redis_url=args.redis_url, port=port, workers=args.workers,
                        threads=args.threads, cpus=args.cpus, log=out / "serve.log", code_dir=args.code_dir)
        server.start()
        args.url = f"http://127.0.0.1:{port}"
    if args.cpus:
        os.sched_setaffinity(0, {int(c) for c in args.cpus.split(",")})
    profiler = None
    try:
        if args.warmup:
            warm = argparse.Namespace(**{**vars(args), "rate": 20, "duration": args.warmup, "probe_limit": 0})
            asyncio.run(generate(warm, townships))
        before = db_counts(args.database_url)
        cpu_before = server.cpu_seconds() if server else {}
        if server and args.profile:
            profiler = subprocess.Popen(
                ["py-spy", "record", "--pid", str(server.gunicorn_master()), "--subprocesses", "--gil", "--nonblocking",
                 "--format", "raw", "--rate", "50", "-o", str(out / "web.raw")],
                stdout=subprocess.DEVNULL, stderr=open(out / "py-spy.log", "w"))
        postgres = PostgresCpu(args.database_url)
        postgres.start()
        machine_before, own_before = psutil.cpu_times(), time.process_time()
        result = asyncio.run(generate(args, townships))
        machine_after, own_after = psutil.cpu_times(), time.process_time()
        postgres_seconds = postgres.stop()
        if profiler is not None:
            profiler.send_signal(signal.SIGINT)
            profiler.wait(timeout=60)
        time.sleep(0.5)
        after = db_counts(args.database_url)
        if server:
            cpu_after = server.cpu_seconds()
            extra["cpu_seconds"] = {k: round(cpu_after[k] - cpu_before.get(k, 0), 1) for k in cpu_after}
            from config.serve import DEFAULT_THREADS, default_workers

            extra["server"] = {"workers": args.workers or ("its default" if args.code_dir else default_workers()),
                               "threads": args.threads or ("its default" if args.code_dir else DEFAULT_THREADS),
                               "cpus": args.cpus or "all"}
        extra.setdefault("cpu_seconds", {})["postgresql (this database's backends)"] = round(
            sum(postgres_seconds.values()), 1)
        for kind, seconds in postgres_seconds.items():
            extra["cpu_seconds"][f"postgresql: {kind}"] = round(seconds, 1)
        extra["cpu_seconds"]["generator"] = round(own_after - own_before, 1)
        busy = lambda t: t.user + t.system + t.nice + getattr(t, "irq", 0) + getattr(t, "softirq", 0)  # noqa: E731
        extra["cpu_seconds"]["whole machine (everyone)"] = round(busy(machine_after) - busy(machine_before), 1)
        extra["cpus_on_machine"] = psutil.cpu_count()
    finally:
        if profiler is not None and profiler.poll() is None:
            profiler.kill()
        if server:
            server.stop()
    return {"run": result, "before": before, "after": after, "extra": extra}


def main(argv=None) -> int:
    args = parse_args(argv)
    if not args.database_url:
        sys.exit("--database-url (or DATABASE_URL) is needed to check what was stored")
    townships = townships_of(args.database_url, args.region)
    if not townships:
        sys.exit(f"no townships under {args.region} in the database")
    loadavg_before = Path("/proc/loadavg").read_text().strip()
    done = run(args, townships)
    codes = [r["code"] for r in done["run"]["results"] if r.get("code")]
    summary = summarize(args, done["run"], done["before"], done["after"], stored(args.database_url, codes))
    summary.update(done["extra"])
    summary["loadavg_before"] = loadavg_before
    if summary["created_201"]:
        summary["cpu_ms_per_submission"] = {part: round(1000 * seconds / summary["created_201"], 2)
                                            for part, seconds in summary.get("cpu_seconds", {}).items()}
    server = summary.get("server", {})
    summary["table_row"] = (
        f"| {args.note} | {loadavg_before.split()[0]} → {summary['loadavg_after'].split()[0]} | "
        f"{server.get('workers', '-')} × {server.get('threads', '-')} on cpus {server.get('cpus', '-')} | "
        f"{args.rate:g}/s × {args.duration:g} s | {summary['requests']:,} | {summary['created_201']:,} "
        f"({summary['created_per_s']}/s) | {summary['voter_errors']} | "
        f"{summary['p50_ms']:,.0f} / {summary['p95_ms']:,.0f} / {summary['p99_ms']:,.0f} | "
        f"+{summary['rows_stored']:,} | {summary['probe']['created']} / {summary['probe']['throttled_429']} |"
    )
    out = Path(args.out)
    (out / "door.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2))
    print(json.dumps(summary, ensure_ascii=False, indent=2))
    print(summary["table_row"])
    print(
        f"\n{summary['requests']} requests in {summary['seconds']} s: {summary['created_201']} opinions stored "
        f"({summary['created_per_s']}/s), p50 {summary['p50_ms']:.0f} ms, p95 {summary['p95_ms']:.0f} ms, "
        f"p99 {summary['p99_ms']:.0f} ms; rows +{summary['rows_stored']}, 5xx {summary['server_errors_5xx']}, "
        f"probe {summary['probe']['created']}x201/{summary['probe']['throttled_429']}x429: "
        f"{'OK' if summary['ok'] else 'FAILED'}"
    )
    return 0 if summary["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
