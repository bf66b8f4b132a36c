"""Figures of the benchmark tables: percentiles of timed samples, milliseconds as printed, and
the raw SQL time of statements an endpoint sent."""

import time

from django.db import connection


def raw_time(statements: list[str]) -> float:
    """Seconds to run `statements` straight on the cursor, reading every row they return."""
    started = time.perf_counter()
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
            if cursor.description:
                cursor.fetchall()
    return time.perf_counter() - started


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return ordered[index]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f}" if seconds < 10 else f"{seconds * 1000:,.0f}"
