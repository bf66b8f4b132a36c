"""Reads that may lag go to the read replica; everything else stays on the primary.

With `DATABASE_REPLICA_URL` set (config/settings.py) there is a second database alias,
`replica`: a PostgreSQL streaming replica of the primary (`default`). `ReplicaRouter` sends a
read there only when all of these hold, and to the primary otherwise:

- the request is a GET/HEAD/OPTIONS of a view declared lag-tolerant: its URL name matches one
  of `settings.LIAISON_REPLICA_VIEWS` (statistics, exports, public pages, large lists; the list
  is in the settings, the one place that says which pages may be a second behind);
- nothing has been written in this request yet (a write sends every later read of the request
  to the primary), and no transaction is open on the primary (`transaction.atomic`);
- the client has not written in the last `LIAISON_REPLICA_STICKY_SECONDS` (read-your-own-writes):
  a request that writes leaves a signed cookie (browsers) and a cache marker keyed by its
  `Authorization` header (API clients that keep no cookies) that hold its next reads on the
  primary for that long.

When a lag-tolerant page fails on the replica (unreachable, or a query cancelled by a conflict
with recovery), or finds nothing there (404: the row may be a moment old), it is read again from
the primary (once; the request has only read).

Celery tasks, management commands and anything outside a request read from the primary: a
task that reads what it (or the task before it) just wrote must see it. A task that only reads
may opt in with `with lag_tolerant():`, and a write inside it still ends that.

Without `DATABASE_REPLICA_URL` there is no `replica` alias, the router and the middleware are
not installed, and every query goes to `default` as before.
"""

from __future__ import annotations

import contextlib
import fnmatch
import hashlib
import logging
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.signing import BadSignature
from django.db import DEFAULT_DB_ALIAS, InterfaceError, OperationalError, connections

from liaison.middleware import DatabaseUnavailableMiddleware

logger = logging.getLogger(__name__)

REPLICA = "replica"
PRIMARY = DEFAULT_DB_ALIAS
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: the cookie (signed, timestamped) that holds a browser on the primary after it wrote
STICKY_COOKIE = "liaison_primary"
STICKY_SALT = "liaison.db.sticky"
STICKY_CACHE_PREFIX = "liaison:db:primary:"


@dataclass
class Routing:
    """What the router knows of the work in progress (one per request or `lag_tolerant` block)."""

    lag_tolerant: bool = False
    wrote: bool = False


_routing: ContextVar[Routing | None] = ContextVar("liaison_db_routing", default=None)


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def read_alias() -> str:
    """The alias a read issued now goes to."""
    routing = _routing.get()
    if routing is None or not routing.lag_tolerant or routing.wrote:
        return PRIMARY
    if not replica_configured() or connections[PRIMARY].in_atomic_block:
        return PRIMARY
    return REPLICA


@contextlib.contextmanager
def lag_tolerant():
    """Reads inside may come from the replica (for tasks and commands that only read); the first
    write inside sends the rest back to the primary."""
    token = _routing.set(Routing(lag_tolerant=True))
    try:
        yield
    finally:
        _routing.reset(token)


class ReplicaRouter:
    """settings.DATABASE_ROUTERS when a replica is configured (module docstring)."""

    def db_for_read(self, model, **hints):
        return read_alias()

    def db_for_write(self, model, **hints):
        routing = _routing.get()
        if routing is not None:
            routing.wrote = True
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # The replica holds the primary's rows: an object read from either may point at the other.
        if {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica is read-only; it gets the schema by streaming it from the primary.
        return False if db == REPLICA else None


def view_is_lag_tolerant(view_name: str | None) -> bool:
    """Whether a URL name (`namespace:name`) matches `settings.LIAISON_REPLICA_VIEWS` (fnmatch patterns)."""
    if not view_name:
        return False
    return any(fnmatch.fnmatchcase(view_name, pattern) for pattern in settings.LIAISON_REPLICA_VIEWS)


def sticky_seconds() -> int:
    return int(getattr(settings, "LIAISON_REPLICA_STICKY_SECONDS", 10))


def _credential_key(request) -> str | None:
    credential = request.headers.get("Authorization", "")
    if not credential:
        return None
    return STICKY_CACHE_PREFIX + hashlib.sha256(credential.encode()).hexdigest()[:32]


def wrote_recently(request) -> bool:
    """Whether this client wrote within the sticky window (its cookie, or its credential's marker)."""
    try:
        request.get_signed_cookie(STICKY_COOKIE, salt=STICKY_SALT, max_age=sticky_seconds())
        return True
    except (KeyError, BadSignature):
        key = _credential_key(request)
        return key is not None and cache.get(key) is not None


def mark_wrote(request, response) -> None:
    """Hold this client's next reads on the primary for the sticky window."""
    seconds = sticky_seconds()
    response.set_signed_cookie(STICKY_COOKIE, "1", salt=STICKY_SALT, max_age=seconds, httponly=True,
                               samesite="Lax", secure=request.is_secure())
    key = _credential_key(request)
    if key is not None:
        cache.set(key, 1, timeout=seconds)


class ReplicaRoutingMiddleware:
    """Decides, per request, whether its reads may go to the replica (module docstring).

    Sits before the session and authentication middleware, so it sees every query of the
    request, the session's and the user's included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured():
            return self.get_response(request)
        routing = Routing()
        token = _routing.set(routing)
        try:
            response = self.get_response(request)
            if routing.lag_tolerant and not routing.wrote and response.status_code == 404:
                # Not on the replica: perhaps not there yet (written a moment ago by another
                # client). A GET that has only read is asked once more, of the primary.
                request.on_primary = True
                routing.lag_tolerant = False
                request.__dict__.pop("_cached_user", None)
                response = self.get_response(request)
        finally:
            _routing.reset(token)
        if routing.wrote or request.method not in SAFE_METHODS:
            mark_wrote(request, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        routing = _routing.get()
        if routing is None or request.method not in SAFE_METHODS or getattr(request, "on_primary", False):
            return None
        match = request.resolver_match
        if view_is_lag_tolerant(match.view_name if match else None) and not wrote_recently(request):
            routing.lag_tolerant = True
            request._replica_view = (view_func, view_args, view_kwargs)
        return None

    def process_exception(self, request, exception):
        """A lag-tolerant GET that has only read fails on the replica (down, restarting, a query
        cancelled by a conflict with recovery): it is read again from the primary rather than
        answered with the 503 of a database outage."""
        routing = _routing.get()
        view = getattr(request, "_replica_view", None)
        if routing is None or not routing.lag_tolerant or routing.wrote or view is None:
            return None
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        logger.warning("read replica failed, %s %s read from the primary: %s", request.method, request.path, exception)
        routing.lag_tolerant = False
        view_func, view_args, view_kwargs = view
        try:
            return view_func(request, *view_args, **view_kwargs)
        except (OperationalError, InterfaceError) as error:
            return DatabaseUnavailableMiddleware(self.get_response).process_exception(request, error)
