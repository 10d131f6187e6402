"""Middleware of the hardening work (issue 15).

``DatabaseRetryMiddleware`` — after a PostgreSQL restart every pooled connection is dead. Django's
``CONN_HEALTH_CHECKS`` (on in the settings for PostgreSQL) replaces a dead connection the first time
a request uses it; a connection that dies *during* a request (the server restarted in between) fails
that request. A safe request (GET / HEAD: reads only) is then run once more on a fresh connection;
a write is not repeated (it may have been committed) and answers as before.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, InterfaceError, OperationalError, connection

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
