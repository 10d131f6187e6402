"""Reads of the security app: a user's sessions, the event log (page and CSV)."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import QuerySet

from kesu.complaints.columns import csv_cell
from kesu.security.models import SecurityEvent, UserSession

CSV_COLUMNS = ("at", "kind", "username", "ip", "method", "path", "detail")


def sessions_active(*, user: Any, now: datetime) -> QuerySet[UserSession]:
    """The user's sessions that are still valid: not expired, not idle for longer than the idle limit."""
    from django.contrib.sessions.models import Session

    live = Session.objects.filter(expire_date__gt=now).values("session_key")
    idle = timedelta(minutes=settings.KESU_SESSION_IDLE_MINUTES)
    return UserSession.objects.filter(user=user, session_key__in=live, last_seen_at__gt=now - idle).order_by(
        "-last_seen_at"
    )


def events(
    *, kind: str = "", username: str = "", since: datetime | None = None, until: datetime | None = None
) -> QuerySet[SecurityEvent]:
    rows = SecurityEvent.objects.all()
    if kind:
        rows = rows.filter(kind=kind)
    if username:
        rows = rows.filter(username=username)
    if since is not None:
        rows = rows.filter(at__gte=since)
    if until is not None:
        rows = rows.filter(at__lt=until)
    return rows.order_by("-at", "-id")


def events_csv(rows: QuerySet[SecurityEvent]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in rows.values_list(*CSV_COLUMNS).iterator(chunk_size=2000):
        writer.writerow([csv_cell(value) for value in row])
    return out.getvalue()
