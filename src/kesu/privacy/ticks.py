"""A periodic job runs once per tick, however many consumers run (issue 15, defect 5).

Every Huey consumer has a scheduler that enqueues the periodic jobs due this minute; two consumers
(an orphan and its replacement, or two ``kesu worker`` processes) enqueued each job twice. Before a
scheduler enqueues a periodic job it now claims ``(job, tick)`` in the job store with an atomic
put-if-empty (SQLite ``INSERT OR IGNORE`` / Redis ``HSETNX``): only the first scheduler of a tick
enqueues it. Each scheduler removes its own previous claim of a job, so the store keeps at most a
couple of keys per job.
"""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any

KEY_PREFIX = "kesu-tick"


def tick_key(name: str, tick: datetime) -> str:
    return f"{KEY_PREFIX}:{name}:{tick:%Y%m%d%H%M}"


class TickClaims:
    """Claims of one scheduler (process) on a job store."""

    def __init__(self, storage: Any) -> None:
        self.storage = storage
        self._previous: dict[str, str] = {}
        self._lock = threading.Lock()

    def claim(self, name: str, tick: datetime) -> bool:
        """True when this scheduler is the first to claim ``name`` for the minute of ``tick``."""
        key = tick_key(name, tick.replace(second=0, microsecond=0))
        with self._lock:
            if self._previous.get(name) == key:
                return False
            won = bool(self.storage.put_if_empty(key, b"1"))
            if won:
                old = self._previous.get(name)
                if old is not None:
                    self.storage.pop_data(old)
                self._previous[name] = key
            return won


def periodic_once_per_tick(huey: Any) -> None:
    """Make ``huey``'s scheduler enqueue a periodic job only when it wins the tick's claim."""
    if getattr(huey, "_kesu_ticks", None) is not None:
        return
    claims = TickClaims(huey.storage)
    huey._kesu_ticks = claims
    read_periodic = huey.read_periodic

    def read_claimed(timestamp):
        if timestamp is None:
            timestamp = huey._get_timestamp()
        return [task for task in read_periodic(timestamp) if claims.claim(task.name, timestamp)]

    huey.read_periodic = read_claimed
