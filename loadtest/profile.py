"""Where the web workers' CPU goes: a py-spy raw profile (collapsed stacks) folded into a few
named parts.

    py-spy record --pid <gunicorn master> --subprocesses --format raw --rate 50 -o web.raw --duration 30
    python -m loadtest.profile web.raw [--requests N]

Each sample is given to the innermost frame that names a part (a psycopg frame under the ORM is
"PostgreSQL round trip", the ORM's own frames are "ORM"), so the shares add up to 100%. py-spy
leaves out idle threads (waiting on a socket), so the samples are, roughly, CPU time.
`--requests` (the 201s of the run) turns the shares into milliseconds per request:
samples / rate / requests.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter

# (part, substrings of a frame), innermost match wins; the order settles ties within a frame.
PARTS: list[tuple[str, tuple[str, ...]]] = [
    ("PostgreSQL round trips (psycopg)", ("psycopg/", "psycopg_binary")),
    ("Redis client (throttle counters, Celery enqueue)", ("redis/",)),
    ("Celery/kombu (task message on commit)", ("celery/", "kombu/")),
    ("similar_terms (Suggestion.save)", ("suggestions/similar/",)),
    ("tracking code (secrets)", ("new_tracking_code", "secrets.py")),
    ("translation (gettext)", ("django/utils/translation", "gettext.py")),
    ("JSON parse/render", ("json/", "rest_framework/renderers.py", "liaison/api/parsers.py")),
    ("DRF throttle", ("rest_framework/throttling.py", "liaison/api/throttling.py", "liaison/clients.py")),
    ("DRF serializer and fields", ("rest_framework/serializers.py", "rest_framework/fields.py",
                                   "rest_framework/relations.py", "liaison/api/fields.py", "stations/api")),
    ("ORM: building and compiling queries, model instances", ("django/db/models/",)),
    ("Django DB backend (transactions, connection checks)", ("django/db/backends/", "django/db/transaction.py",
                                                             "django/db/utils.py")),
    ("logging (gunicorn access log, app logs)", ("logging/", "gunicorn/glogging.py")),
    ("intake service (suggestions/services, outbox, notify)", ("suggestions/services/", "suggestions/outbox.py",
                                                                 "suggestions/notify.py", "suggestions/selectors.py")),
    ("DRF view dispatch", ("rest_framework/",)),
    ("Django middleware, URL resolving, request/response", ("django/", "whitenoise/", "csp/", "liaison/middleware.py")),
    ("gunicorn (HTTP parsing, sockets, threads)", ("gunicorn/", "selectors.py", "socket.py", "threading.py",
                                                   "concurrent/futures")),
]
OTHER = "other"


def part_of(frames: list[str]) -> str:
    for frame in reversed(frames):
        for part, needles in PARTS:
            if any(needle in frame for needle in needles):
                return part
    return OTHER


def fold(lines) -> tuple[Counter, int]:
    parts: Counter = Counter()
    total = 0
    for line in lines:
        line = line.rstrip("\n")
        if not line:
            continue
        stack, _sep, count = line.rpartition(" ")
        frames = [f for f in stack.split(";") if not f.startswith("process ")]
        n = int(count)
        parts[part_of(frames)] += n
        total += n
    return parts, total


def table(parts: Counter, total: int, *, rate: float, requests: int) -> str:
    head = "| part | samples | share |" + (" ms per request |" if requests else "")
    rule = "| --- | ---: | ---: |" + (" ---: |" if requests else "")
    rows = [head, rule]
    for part, n in parts.most_common():
        row = f"| {part} | {n:,} | {100 * n / total:.1f}% |"
        if requests:
            row += f" {1000 * n / rate / requests:.2f} |"
        rows.append(row)
    rows.append(f"| total | {total:,} | 100% |" + (f" {1000 * total / rate / requests:.2f} |" if requests else ""))
    return "\n".join(rows)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("raw", help="py-spy record --format raw output")
    parser.add_argument("--rate", type=float, default=50, help="py-spy's --rate (samples per second)")
    parser.add_argument("--requests", type=int, default=0, help="requests served while recording")
    args = parser.parse_args(argv)
    with open(args.raw, encoding="utf-8", errors="replace") as lines:
        parts, total = fold(lines)
    if not total:
        print("no samples", file=sys.stderr)
        return 1
    print(table(parts, total, rate=args.rate, requests=args.requests))
    return 0


if __name__ == "__main__":
    sys.exit(main())
