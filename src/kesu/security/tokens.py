"""The API's token check (issue 15): an unknown token counts against the caller's address (after
``KESU_TOKEN_MAX_FAILURES`` within ``KESU_LOGIN_LOCK_MINUTES`` unknown tokens from it are 429); an expired token is 401 naming
the expiry; a read-only token may only read (403 on any other method). Each is a security event."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import formats, timezone

from kesu.core.clock import clock_now
from kesu.core.errors import DomainError
from kesu.core.selectors import token_expired, token_lookup
from kesu.privacy.actions import client_address
from kesu.security.actions import event_record, failure_count, locked_until, token_key
from kesu.security.forms import lock_message
from kesu.security.models import EventKind

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class TokenRefused(DomainError):
    """A token the API does not accept; ``status`` is the HTTP status to answer with."""

    def __init__(self, status: int, code: str, /, retry_after: int | None = None, **params: Any) -> None:
        super().__init__(code, **params)
        self.status = status
        self.retry_after = retry_after


def token_user(request: Any, raw: str) -> Any:
    """The user of the bearer token ``raw`` for ``request``, or :class:`TokenRefused`.

    A known token is checked without looking at locks (no extra query for the callers that matter);
    an unknown one is refused with 429 while the address is locked, else counted. A valid token
    from a locked address still works: a 256-bit token cannot be guessed, and the lock is there to
    stop the guessing (and its noise in the log), not the address's legitimate callers."""
    now = clock_now()
    token = token_lookup(raw)
    if token is None:
        address = client_address(request)
        key = token_key(address)
        lock = locked_until([key], now)
        if lock is not None:
            request._kesu_security_logged = True
            raise _locked(lock[0], lock[1], now)
        event_record(kind=EventKind.TOKEN_BAD, now=now, request=request, detail=raw[:8])
        until = failure_count(key=key, limit=settings.KESU_TOKEN_MAX_FAILURES, now=now)
        if until is not None:
            event_record(kind=EventKind.LOCKOUT, now=now, request=request, detail=key)
            raise _locked(key, until, now)
        raise TokenRefused(401, "token.unknown")
    if token_expired(token, now):
        event_record(
            kind=EventKind.TOKEN_EXPIRED,
            now=now,
            request=request,
            user=token.user,
            detail=f"{token.prefix}… expired {token.expires_at.isoformat()}",
        )
        shown = formats.date_format(timezone.localtime(token.expires_at), "Y-m-d H:i")
        raise TokenRefused(401, "token.expired", prefix=token.prefix, expired=shown)
    if token.read_only and request.method not in READ_METHODS:
        request._kesu_security_logged = True  # the 403 is logged here, with the reason
        event_record(
            kind=EventKind.TOKEN_READ_ONLY,
            now=now,
            request=request,
            user=token.user,
            detail=f"{token.prefix}…",
        )
        raise TokenRefused(403, "token.read_only", prefix=token.prefix, method=request.method)
    return token.user


def _locked(key: str, until, now) -> TokenRefused:
    message = lock_message(key, until, now)
    retry = max(1, int((until - now).total_seconds()))
    return TokenRefused(429, message.code, retry_after=retry, **message.params)
