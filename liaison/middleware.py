"""Site-wide middleware of our own.

`DatabaseUnavailableMiddleware`: while PostgreSQL is down or restarting, a request that needs it
answers a clean 503 (a short Chinese page, or JSON for the API) with `Retry-After`, instead of a
500 with a traceback. Nothing else is needed to recover: `CONN_HEALTH_CHECKS` makes the next
request after the restart open a fresh connection, so the server itself is never restarted.
"""

from __future__ import annotations

import logging

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30

PAGE = """<!doctype html>
<html lang="zh-hans"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title></head>
<body><main><h1>{title}</h1><p>{message}</p></main></body></html>
"""


def _wants_json(request) -> bool:
    return request.path.startswith("/api/") or "application/json" in request.headers.get("Accept", "")


def database_unavailable_response(request) -> HttpResponse:
    title = _("系统暂时无法访问")
    message = _("数据库暂时无法连接，您的操作没有完成。请稍后再试。")
    if _wants_json(request):
        response = JsonResponse(
            {"detail": message, "code": "database_unavailable"},
            status=503,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        response = HttpResponse(PAGE.format(title=title, message=message), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """Turn `OperationalError`/`InterfaceError` (the database unreachable) into a 503.

    Django hands a view's exception (and a template's, and DRF's unhandled ones) to
    `process_exception`; every request touches the database first in the view (the session
    and the user are loaded lazily), so that is where an outage shows.

    An `OperationalError` is also what a lock timeout or a serialization failure raises: those
    are transient too, and a 503 "try again" is the right answer to them as well.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, (OperationalError, InterfaceError)):
            return self._unavailable(request, exception)
        return None

    def _unavailable(self, request, error) -> HttpResponse:
        logger.error("database unavailable for %s %s: %s", request.method, request.path, error)
        # Drop the broken connections now rather than at the end of the request, so nothing
        # later in this response (a session save) tries them again.
        for connection in connections.all(initialized_only=True):
            try:
                connection.close()
            except Exception:  # noqa: BLE001 - closing a dead connection may itself fail
                logger.debug("closing a broken connection failed", exc_info=True)
        return database_unavailable_response(request)
