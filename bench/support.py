"""What the benchmarks share with the live tests: a throw-away PostgreSQL database when
DATABASE_URL is set (``tests/live.py``'s ``live_database``), else None (SQLite in the data folder)."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.live import live_database as bench_database  # noqa: E402

__all__ = ["bench_database"]
