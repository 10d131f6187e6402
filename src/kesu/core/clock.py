"""The one place the edge (a request, a job, a CLI command) reads the clock.

Actions and calculators never call this: they take ``now`` as an argument.
"""

from __future__ import annotations

from datetime import UTC, datetime


def clock_now() -> datetime:
    return datetime.now(tz=UTC)
