"""Middleware of the hardening work (issue 15).

``DatabaseRetryMiddleware`` — after a PostgreSQL restart every pooled connection is dead. Django's
``CONN_HEALTH_CHECKS`` (on in the settings for PostgreSQL) replaces a dead connection the first time
a request uses it; a connection that dies *during* a request (the server restarted in between) fails
that request. A safe request (GET / HEAD: reads only) is then run once more on a fresh connection;
a write is not repeated (it may have been committed) and answers as before.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import JsonResponse

log = logging.getLogger(__name__)

SAFE_METHODS = frozenset({"GET", "HEAD"})


def connection_lost(error: BaseException) -> bool:
    """Is ``error`` a lost connection (not a query or constraint error)?"""
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    return connection.vendor == "postgresql" and (connection.connection is None or connection.is_usable() is False)


class DatabaseRetryMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if (
            request.method not in SAFE_METHODS
            or getattr(request, "_kesu_db_retried", False)
            or not isinstance(exception, DatabaseError)
            or connection.in_atomic_block
            or not connection_lost(exception)
        ):
            return None
        request._kesu_db_retried = True
        log.warning("database connection lost during %s %s; retrying once on a new connection",
                    request.method, request.path)
        connection.close()
        return self.get_response(request)


API_PREFIX = "/api/"


class ApiJsonErrorsMiddleware:
    """Under ``/api/`` every error is JSON in the API's shape (``detail``, ``code``, ``params``,
    ``message``), never one of Django's HTML pages (issue 15, defect 7):

    - a body longer than ``DATA_UPLOAD_MAX_MEMORY_SIZE`` is refused with 413 before anything reads it;
    - a path no endpoint matches (``/api/v1/complaints/-1``) is 404 ``api.no_endpoint``;
    - any other HTML error (405, 400 from a suspicious request, 500) gets a JSON body of its status.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if limit is not None and length > limit:
            return _json_error(request, 413, "api.too_large", limit=limit, got=length)
        response = self.get_response(request)
        if response.status_code < 400 or response.get("Content-Type", "").startswith("application/json"):
            return response
        if response.status_code == 404:
            return _json_error(request, 404, "api.no_endpoint", path=request.path)
        return _json_error(request, response.status_code, "api.http_error", headers=response,
                           status=response.status_code)


def _json_error(request, http_status: int, message_id: str, *, headers=None, **params):
    from kesu.api.errors import error_body

    response = JsonResponse(error_body(message_id, **params), status=http_status, json_dumps_params={"ensure_ascii": False})
    if headers is not None and headers.has_header("Allow"):
        response["Allow"] = headers["Allow"]
    return response
