"""SQLite with the writers of one process queued on a lock instead of SQLite's busy-wait.

SQLite lets one writer in at a time. Two threads of `kesu serve` that open write transactions
together (`BEGIN IMMEDIATE`) make the second one poll with SQLite's busy handler, which sleeps
1, 2, 5 … up to 100 ms between tries — tens to hundreds of milliseconds of latency for a few
milliseconds of work. Here the outermost transaction of each connection takes a per-database lock
first, so threads of one process wait their turn without sleeping; other processes (a job
consumer) still meet the busy handler, which stays the fallback.
"""

from __future__ import annotations

import threading

from django.db import OperationalError
from django.db.backends.sqlite3 import base

_guard = threading.Lock()
_writers: dict[str, threading.Lock] = {}


def _writer_lock(name: str) -> threading.Lock:
    with _guard:
        return _writers.setdefault(str(name), threading.Lock())


class DatabaseWrapper(base.DatabaseWrapper):
    _held: threading.Lock | None = None

    def _start_transaction_under_autocommit(self) -> None:
        lock = _writer_lock(self.settings_dict["NAME"])
        timeout = float(self.settings_dict.get("OPTIONS", {}).get("timeout", 30))
        if not lock.acquire(timeout=timeout):
            # the same answer SQLite gives when its own busy timeout runs out
            raise OperationalError(f"database is locked (waited {timeout:.0f} s for another writer)")
        self._held = lock
        try:
            super()._start_transaction_under_autocommit()
        except BaseException:
            self._release()
            raise

    def _release(self) -> None:
        lock, self._held = self._held, None
        if lock is not None:
            lock.release()

    def _commit(self):
        try:
            return super()._commit()
        finally:
            self._release()

    def _rollback(self):
        try:
            return super()._rollback()
        finally:
            self._release()

    def _close(self):
        try:
            return super()._close()
        finally:
            self._release()
