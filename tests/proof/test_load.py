"""The load test in CI size: 20 locust users for 20 seconds against gunicorn on PostgreSQL and a
Celery worker on a private Redis (loadtest/run.py; the full size is in docs/benchmarks.md)."""

from __future__ import annotations

import importlib.util

import pytest
from django.db import connection

from tests.proof import stack

pytestmark = [pytest.mark.proof, pytest.mark.postgres]


def test_a_rush_of_voters_and_the_workflow_under_load_lose_nothing_and_never_5xx(db, postgres_only, tmp_path):
    if importlib.util.find_spec("locust") is None:
        pytest.skip('locust is not installed: .venv/bin/pip install -e ".[load]"')
    from loadtest import run

    test_database = stack.database_url(connection.settings_dict)
    admin = test_database.rsplit("/", 1)[0] + "/postgres"
    summary = run.run(run.parse_args([
        "--users", "20", "--spawn-rate", "10", "--duration", "20s", "--admin-url", admin,
        "--schema-from", test_database, "--out", str(tmp_path), "--web-workers", "3",
    ]))
    assert summary["submissions_answered"] > 0
    assert summary["codes_missing_in_db"] == 0
    assert summary["codes_given_twice"] == 0
    assert summary["codes_not_exactly_once_in_db"] == 0
    assert summary["all_codes_unique_in_db"]
    assert summary["server_errors_5xx"] == 0, summary["http_status_counts"]
    assert summary["failures"] == 0, summary
    # Every opinion a voter was answered for is in the database. (A request still in flight
    # when locust stops may be saved without its answer being read: at least, not exactly.)
    assert summary["public_suggestions_in_db"] >= summary["submissions_answered"]
    # The workflow moved under the load too.
    assert set(summary["suggestions_by_status"]) - {"submitted"}
    assert summary["throughput_rps"] > 0 and summary["p95_ms"] > 0
