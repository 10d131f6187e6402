"""The idle and absolute limits of a signed-in session (pure: the session dictionary and ``now``)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

STARTED = "kesu_started"
SEEN = "kesu_seen"
SEEN_RESOLUTION = 60  # seconds: "last seen" is written at most once a minute (a write per request otherwise)


def session_stamp(session: Any, now: datetime, *, started: bool = False) -> None:
    stamp = int(now.timestamp())
    if started or STARTED not in session:
        session[STARTED] = stamp
    session[SEEN] = stamp


def session_over(session: Any, now: datetime, *, idle: timedelta, absolute: timedelta) -> str | None:
    """ "idle" or "absolute" when the session has run out at ``now``, else None."""
    stamp = now.timestamp()
    seen = session.get(SEEN)
    started = session.get(STARTED)
    if started is not None and stamp - started >= absolute.total_seconds():
        return "absolute"
    if seen is not None and stamp - seen >= idle.total_seconds():
        return "idle"
    return None


def session_needs_stamp(session: Any, now: datetime) -> bool:
    seen = session.get(SEEN)
    return seen is None or now.timestamp() - seen >= SEEN_RESOLUTION
