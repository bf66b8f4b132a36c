"""liaison/db.py: which reads may go to the read replica. The routing decisions are checked here
without a replica (a `replica` alias is pretended, no query reaches it); tests/proof/test_replica.py
proves the same against a real streaming replica."""

from __future__ import annotations

import fnmatch
import json
import os
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.core import signing
from django.db import OperationalError, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from liaison import db as routing
from liaison.models import User
from tests.proof.stack import BASE_DIR

factory = RequestFactory()


@pytest.fixture
def with_replica(monkeypatch):
    """A replica alias as the router sees it (no connection to it is ever opened here)."""
    monkeypatch.setattr(routing, "replica_configured", lambda: True)


def serve(request, view=None):
    """`request` through ReplicaRoutingMiddleware to `view` (default: one that only reads);
    returns (response, the alias the view's reads went to)."""
    seen = {}

    def reading_view(req):
        seen["alias"] = routing.read_alias()
        return HttpResponse("ok")

    view = view or reading_view

    def handler(req):
        req.resolver_match = resolve(req.path)
        middleware.process_view(req, view, (), {})
        response = view(req)
        seen.setdefault("alias", routing.read_alias())
        return response

    middleware = routing.ReplicaRoutingMiddleware(handler)
    response = middleware(request)
    return response, seen["alias"]


def with_cookie(request, response):
    request.COOKIES[routing.STICKY_COOKIE] = response.cookies[routing.STICKY_COOKIE].value
    return request


def test_a_statistics_page_and_a_public_page_read_from_the_replica(with_replica):
    assert serve(factory.get("/stats/"))[1] == routing.REPLICA
    assert serve(factory.get("/stations/"))[1] == routing.REPLICA



def test_the_live_summary_counts_on_the_primary(with_replica):
    """It stages changed suggestions in TEMPORARY tables, which a hot standby refuses."""
    assert serve(factory.get("/api/v1/stats/summary/"))[1] == routing.PRIMARY


def test_a_page_not_declared_lag_tolerant_reads_from_the_primary(with_replica):
    assert serve(factory.get("/work/suggestions/1/"))[1] == routing.PRIMARY
    assert serve(factory.get("/api/v1/suggestions/1/"))[1] == routing.PRIMARY


def test_a_write_request_reads_from_the_primary_and_holds_the_client_there(with_replica):
    response, alias = serve(factory.post("/stats/export/"))
    assert alias == routing.PRIMARY
    assert routing.STICKY_COOKIE in response.cookies
    assert response.cookies[routing.STICKY_COOKIE]["max-age"] == settings.LIAISON_REPLICA_STICKY_SECONDS
    # The same browser's next statistics page reads its own write from the primary.
    assert serve(with_cookie(factory.get("/stats/"), response))[1] == routing.PRIMARY
    # Another browser's does not wait for it.
    assert serve(factory.get("/stats/"))[1] == routing.REPLICA


def test_the_hold_ends_after_the_sticky_window(with_replica, monkeypatch):
    signer = signing.get_cookie_signer(salt=routing.STICKY_COOKIE + routing.STICKY_SALT)
    monkeypatch.setattr(signing.time, "time", lambda: time.time_ns() / 1e9 - settings.LIAISON_REPLICA_STICKY_SECONDS - 1)
    old = signer.sign("1")
    monkeypatch.undo()
    monkeypatch.setattr(routing, "replica_configured", lambda: True)
    request = factory.get("/stats/")
    request.COOKIES[routing.STICKY_COOKIE] = old
    assert serve(request)[1] == routing.REPLICA


def test_a_forged_cookie_does_not_hold_anyone_on_the_primary(with_replica):
    request = factory.get("/stats/")
    request.COOKIES[routing.STICKY_COOKIE] = "1:forged:signature"
    assert serve(request)[1] == routing.REPLICA


def test_an_api_client_without_cookies_reads_its_own_write_by_its_credential(with_replica):
    serve(factory.post("/api/v1/suggestions/", HTTP_AUTHORIZATION="Token aaaa"))
    assert serve(factory.get("/api/v1/suggestions/", HTTP_AUTHORIZATION="Token aaaa"))[1] == routing.PRIMARY
    assert serve(factory.get("/api/v1/suggestions/", HTTP_AUTHORIZATION="Token bbbb"))[1] == routing.REPLICA
    assert serve(factory.get("/api/v1/suggestions/"))[1] == routing.REPLICA


def test_a_write_inside_a_lag_tolerant_get_sends_the_rest_of_it_to_the_primary(with_replica):
    seen = []

    def writing_view(request):
        seen.append(routing.read_alias())
        assert routing.ReplicaRouter().db_for_write(User) == routing.PRIMARY
        seen.append(routing.read_alias())
        return HttpResponse("ok")

    response, _alias = serve(factory.get("/stats/"), writing_view)
    assert seen == [routing.REPLICA, routing.PRIMARY]
    assert routing.STICKY_COOKIE in response.cookies


def serve_failing(request, view):
    """`serve`, with the view's exception handed to the middleware as Django's handler does."""

    def handler(req):
        req.resolver_match = resolve(req.path)
        middleware.process_view(req, view, (), {})
        try:
            return view(req)
        except OperationalError as error:
            answer = middleware.process_exception(req, error)
            if answer is None:
                raise
            return answer

    middleware = routing.ReplicaRoutingMiddleware(handler)
    return middleware(request)


def test_a_page_that_fails_on_the_replica_is_read_again_from_the_primary(with_replica):
    calls = []

    def view(request):
        calls.append(routing.read_alias())
        if calls[-1] == routing.REPLICA:
            raise OperationalError("connection to the replica refused")
        return HttpResponse("ok")

    response = serve_failing(factory.get("/stats/"), view)
    assert response.status_code == 200 and calls == [routing.REPLICA, routing.PRIMARY]


def test_with_the_primary_down_as_well_the_page_is_the_outage_503(with_replica):
    def view(request):
        raise OperationalError("no database at all")

    response = serve_failing(factory.get("/stats/"), view)
    assert response.status_code == 503 and response["Retry-After"]


def test_a_request_that_wrote_is_not_run_again_after_a_database_error(with_replica):
    calls = []

    def view(request):
        calls.append(routing.read_alias())
        routing.ReplicaRouter().db_for_write(User)
        raise OperationalError("lock timeout on the primary")

    with pytest.raises(OperationalError):
        serve_failing(factory.get("/stats/"), view)
    assert calls == [routing.REPLICA]
    with pytest.raises(OperationalError):
        serve_failing(factory.get("/work/suggestions/1/"), view)


def test_a_page_not_found_on_the_replica_is_asked_of_the_primary_once(with_replica):
    calls = []

    def view(request):
        calls.append(routing.read_alias())
        return HttpResponse("nothing", status=404)

    response, _alias = serve(factory.get("/track/ABCDEFGHJK23/"), view)
    assert response.status_code == 404 and calls == [routing.REPLICA, routing.PRIMARY]
    calls.clear()
    serve(factory.get("/work/suggestions/9/"), view)
    assert calls == [routing.PRIMARY]


def test_outside_a_request_reads_go_to_the_primary_unless_a_block_opts_in(with_replica):
    """Celery tasks and commands read their own writes; `lag_tolerant()` opts in until a write."""
    router = routing.ReplicaRouter()
    assert router.db_for_read(User) == routing.PRIMARY
    with routing.lag_tolerant():
        assert router.db_for_read(User) == routing.REPLICA
        router.db_for_write(User)
        assert router.db_for_read(User) == routing.PRIMARY
    assert router.db_for_read(User) == routing.PRIMARY


def test_reads_inside_a_transaction_go_to_the_primary(with_replica, transactional_db):
    with routing.lag_tolerant():
        assert routing.read_alias() == routing.REPLICA
        with transaction.atomic():
            assert routing.read_alias() == routing.PRIMARY
        assert routing.read_alias() == routing.REPLICA


def test_without_a_replica_everything_stays_on_the_primary_and_no_cookie_is_set():
    assert "replica" not in settings.DATABASES
    with routing.lag_tolerant():
        assert routing.read_alias() == routing.PRIMARY
    response, alias = serve(factory.post("/stats/export/"))
    assert alias == routing.PRIMARY
    assert routing.STICKY_COOKIE not in response.cookies


def test_the_replica_is_never_migrated_and_its_objects_relate_to_the_primarys():
    router = routing.ReplicaRouter()
    assert router.allow_migrate(routing.REPLICA, "suggestions") is False
    assert router.allow_migrate(routing.PRIMARY, "suggestions") is None
    read, written = User(), User()
    read._state.db, written._state.db = routing.REPLICA, routing.PRIMARY
    assert router.allow_relation(read, written) is True
    elsewhere = User()
    elsewhere._state.db = "archive"
    assert router.allow_relation(read, elsewhere) is None


def url_names(resolver: URLResolver | None = None, prefix: str = "") -> set[str]:
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            namespace = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            names |= url_names(entry, namespace)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(prefix + entry.name)
    return names


def test_every_lag_tolerant_pattern_names_real_views_and_details_are_not_among_them():
    names = url_names()
    for pattern in settings.LIAISON_REPLICA_VIEWS:
        assert any(fnmatch.fnmatchcase(name, pattern) for name in names), f"{pattern} matches no URL name"
    assert routing.view_is_lag_tolerant("api:suggestion-list")
    assert routing.view_is_lag_tolerant("stats:workbook")
    assert not routing.view_is_lag_tolerant("api:suggestion-detail")
    assert not routing.view_is_lag_tolerant("suggestions:opinion")
    assert not routing.view_is_lag_tolerant(None)


def settings_in_subprocess(**env) -> dict:
    code = (
        "import json, django\n"
        "from django.conf import settings\n"
        "django.setup()\n"
        "print(json.dumps({'aliases': sorted(settings.DATABASES), 'routers': settings.DATABASE_ROUTERS,\n"
        "  'middleware': 'liaison.db.ReplicaRoutingMiddleware' in settings.MIDDLEWARE,\n"
        "  'default': {k: settings.DATABASES['default'].get(k) for k in ('DISABLE_SERVER_SIDE_CURSORS', 'OPTIONS')},\n"
        "  'replica_test': settings.DATABASES.get('replica', {}).get('TEST', {})}, default=str))\n"
    )
    base = {key: value for key, value in os.environ.items()
            if key not in ("DATABASE_URL", "DATABASE_REPLICA_URL", "DATABASE_POOLER")}
    result = subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, env={**base, **env}, capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_settings_add_the_replica_alias_router_and_middleware_only_with_a_replica_url():
    plain = settings_in_subprocess(DATABASE_URL="postgres://u@127.0.0.1:5432/app")
    assert plain["aliases"] == ["default"]
    assert plain["routers"] == [] and plain["middleware"] is False
    assert plain["default"]["OPTIONS"] == {"options": "-c jit=off -c max_parallel_workers_per_gather=0"}
    replicated = settings_in_subprocess(DATABASE_URL="postgres://u@127.0.0.1:5432/app",
                                        DATABASE_REPLICA_URL="postgres://u@10.0.0.2:5432/app")
    assert replicated["aliases"] == ["default", "replica"]
    assert replicated["routers"] == ["liaison.db.ReplicaRouter"] and replicated["middleware"] is True
    assert replicated["replica_test"]["MIRROR"] == "default"


def test_settings_behind_a_transaction_pooler_use_no_server_side_cursors_or_prepared_statements():
    pooled = settings_in_subprocess(DATABASE_URL="postgres://u@127.0.0.1:6432/app", DATABASE_POOLER="transaction")
    assert pooled["default"]["DISABLE_SERVER_SIDE_CURSORS"] is True
    assert pooled["default"]["OPTIONS"] == {"prepare_threshold": None}
    code = "import config.settings"
    result = subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, capture_output=True, text=True, timeout=60,
                            env={**os.environ, "DATABASE_POOLER": "session"})
    assert result.returncode != 0 and "DATABASE_POOLER" in result.stderr
