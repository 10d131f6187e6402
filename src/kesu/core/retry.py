"""The retry schedule shared by everything kesu sends out (notifications, e-mail replies, webhooks)."""

from __future__ import annotations

from datetime import timedelta

BACKOFF_FIRST = timedelta(minutes=1)
BACKOFF_CAP = timedelta(minutes=60)
MAX_ATTEMPTS = 8


def backoff(attempts: int) -> timedelta:
    """The wait after the ``attempts``-th failed attempt: 1, 2, 4, 8 … minutes, at most an hour."""
    return min(BACKOFF_FIRST * 2 ** max(attempts - 1, 0), BACKOFF_CAP)
