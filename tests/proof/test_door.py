"""The door test in CI size (loadtest/door.py; the full size is in docs/benchmarks.md "Load"):
gunicorn and a Celery worker on the test database and a private Redis, voters' opinions at a
fixed rate through the trusted-proxy path with the public throttle at its production rate."""

from __future__ import annotations

import argparse
import json
from collections import Counter

import pytest

from loadtest import door

pytestmark = [pytest.mark.proof]


def _run(**overrides) -> dict:
    run = {"results": [], "seconds": 2.0, "lags": [0.0]}
    for n in range(4):
        run["results"].append({"address": f"10.0.0.{n}", "probe": False, "status": 201, "code": f"C{n}", "ms": 10.0 * (n + 1)})
    run["results"].append({"address": "172.16.0.1", "probe": True, "status": 429, "ms": 1.0})
    run.update(overrides)
    return run


ARGS = argparse.Namespace(url="http://x", rate=2, duration=2, probe_limit=0)


def test_the_checks_pass_only_when_every_code_is_stored_once_and_nothing_else_was_added():
    codes = Counter({f"C{n}": 1 for n in range(4)})
    before, after = {"public_suggestions": 10, "receipts": 10}, {"public_suggestions": 14, "receipts": 14}
    assert door.summarize(ARGS, _run(), before, after, codes)["ok"] is True
    # one code missing from the database
    assert door.summarize(ARGS, _run(), before, after, codes - Counter({"C0": 1}))["ok"] is False
    # a row more than the 201s (something stored that no voter was told about), or a receipt less
    assert door.summarize(ARGS, _run(), before, {**after, "public_suggestions": 15}, codes)["ok"] is False
    assert door.summarize(ARGS, _run(), before, {**after, "receipts": 13}, codes)["ok"] is False
    # a 5xx or a refused connection
    failed = _run()
    failed["results"][0] = {"address": "10.0.0.0", "probe": False, "status": 502, "ms": 5.0}
    assert door.summarize(ARGS, failed, before, {**after, "public_suggestions": 13, "receipts": 13}, codes)["ok"] is False


def test_voters_addresses_are_distinct_and_fresh_each_run():
    addresses = door.client_addresses(1000, base=(1 << 24) - 10)  # wraps inside 10.0.0.0/8
    assert len(set(addresses)) == 1000 and all(a.startswith("10.") for a in addresses)
    assert door.percentile([5, 1, 3, 2, 4], 50) == 3 and door.percentile([1] * 19 + [100], 95) == 1


@pytest.mark.postgres
def test_opinions_at_a_fixed_rate_are_all_stored_once_and_the_throttle_counts(test_database_url, private_redis,
                                                                             world, tmp_path):
    code = door.main([
        "--serve", "--database-url", test_database_url, "--redis-url", private_redis.url, "--region", world.township.code,
        "--rate", "15", "--duration", "4", "--workers", "2", "--threads", "4", "--per-client", "5",
        "--probe-extra", "3", "--warmup", "1", "--out", str(tmp_path),
    ])
    summary = json.loads((tmp_path / "door.json").read_text())
    assert code == 0, summary
    assert summary["created_201"] >= 60 and summary["rows_stored"] == summary["created_201"]
    assert summary["probe"] == {"sent": 23, "created": 20, "throttled_429": 3, "limit": 20}
    assert summary["server_errors_5xx"] == 0 and summary["codes_not_stored_once"] == 0
