"""Fixtures of the proofs: the workflow's small world (from tests/suggestions), private Redis and
PostgreSQL servers, and the test database's URL for subprocesses."""

from __future__ import annotations

import shutil

import pytest
from django.db import connection

from tests.proof import stack
from tests.suggestions.conftest import World, world  # noqa: F401  (the fixture, re-exported)

__all__ = ["World", "world"]



@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: subprocesses (web server, worker) must see the test database, or COPY is used")


@pytest.fixture
def test_database_url(transactional_db, postgres_only) -> str:
    """The test database, committed to (transactional_db), as a URL for subprocesses."""
    return stack.database_url(connection.settings_dict)


@pytest.fixture
def private_redis(tmp_path):
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    server = stack.PrivateRedis(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def private_postgres():
    bindir = stack.postgres_bindir()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries (/usr/lib/postgresql/*/bin/initdb, pg_ctl) are not installed")
    if shutil.which("runuser") is None and stack.os.geteuid() == 0:
        pytest.skip("running as root needs runuser to start PostgreSQL as the postgres user")
    cluster = stack.PrivatePostgres(bindir)
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        cluster.destroy()
