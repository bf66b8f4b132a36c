#!/usr/bin/env bash
# The load test of the whole stack on this machine (loopback only): a throwaway PostgreSQL
# database, a private Redis, gunicorn and a Celery worker, then locust headless, then the checks.
#   loadtest/run.sh --users 100 --duration 120s          (the documented full size)
#   loadtest/run.sh --users 20 --duration 30s            (the CI size)
# Needs the load extra: .venv/bin/pip install -e ".[load]". Options: python -m loadtest.run --help
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m loadtest.run "$@"
