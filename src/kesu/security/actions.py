"""Writes of the security app: events, failure counters and locks, sessions.

Every function takes ``now``; the edges (forms, middleware, API auth) read the clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction

from kesu.privacy.actions import client_address
from kesu.security.models import SecurityEvent, Throttle, UserSession


def event_record(
    *, kind: str, now: datetime, request: Any = None, user: Any = None, username: str = "", detail: str = ""
) -> SecurityEvent:
    """One line of the append-only security event log."""
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        if getattr(candidate, "is_authenticated", False):
            user = candidate
    return SecurityEvent.objects.create(
        at=now,
        kind=kind,
        user=user if getattr(user, "pk", None) else None,
        username=(username or getattr(user, "username", "") or "")[:150],
        ip=client_address(request),
        method=(getattr(request, "method", "") or "")[:8],
        path=(getattr(request, "path", "") or "")[:300],
        detail=detail[:300],
    )


def lock_period() -> timedelta:
    return timedelta(minutes=settings.KESU_LOGIN_LOCK_MINUTES)


def locked_until(keys: list[str], now: datetime) -> tuple[str, datetime] | None:
    """The first of ``keys`` locked at ``now`` and until when, or None."""
    row = (
        Throttle.objects.filter(key__in=keys, locked_until__gt=now)
        .order_by("-locked_until")
        .values_list("key", "locked_until")
        .first()
    )
    return (row[0], row[1]) if row else None


def failure_count(*, key: str, limit: int, now: datetime) -> datetime | None:
    """Count one failure for ``key``; ``limit`` failures within the lock period lock the key for the
    lock period. Returns the end of the lock when this failure locked it."""
    period = lock_period()
    with transaction.atomic():
        row, _created = Throttle.objects.select_for_update().get_or_create(key=key)
        if row.first_failure_at is None or now - row.first_failure_at > period:
            row.failures, row.first_failure_at = 0, now
        row.failures += 1
        until = None
        if row.failures >= limit:
            until = now + period
            row.locked_until, row.failures, row.first_failure_at = until, 0, None
        row.save()
    return until


def failures_clear(*, key: str) -> None:
    """A success: the key's failures are forgotten (a running lock stays)."""
    Throttle.objects.filter(key=key).update(failures=0, first_failure_at=None)


def login_keys(username: str, address: str) -> list[str]:
    return [f"login:user:{username.strip().lower()[:150]}", f"login:ip:{address}"]


def token_key(address: str) -> str:
    return f"token:ip:{address}"


def session_start(*, request: Any, user: Any, now: datetime) -> None:
    """Remember a new signed-in session (called when the user logs in)."""
    key = request.session.session_key
    if not key:
        request.session.save()
        key = request.session.session_key
    UserSession.objects.update_or_create(
        session_key=key,
        defaults={
            "user": user,
            "created_at": now,
            "last_seen_at": now,
            "ip": client_address(request),
            "user_agent": request.META.get("HTTP_USER_AGENT", "")[:200],
        },
    )


def session_seen(*, session_key: str, now: datetime) -> None:
    UserSession.objects.filter(session_key=session_key).update(last_seen_at=now)


def session_end(*, session_key: str) -> None:
    UserSession.objects.filter(session_key=session_key).delete()


def other_sessions_end(*, user: Any, keep: str) -> int:
    """End every session of ``user`` except ``keep`` (the current one). Returns how many ended."""
    from django.contrib.sessions.models import Session

    with transaction.atomic():
        others = list(
            UserSession.objects.filter(user=user)
            .exclude(session_key=keep)
            .values_list("session_key", flat=True)
        )
        Session.objects.filter(session_key__in=others).delete()
        UserSession.objects.filter(session_key__in=others).delete()
    return len(others)
