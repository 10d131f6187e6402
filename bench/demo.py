"""How fast ``kesu demo`` loads its complaints.

    python bench/demo.py [N]          # default 20000, on a fresh SQLite data folder
    DATABASE_URL=postgres://… python bench/demo.py 20000   # on an (empty) PostgreSQL database

Migrates, runs ``demo_generate`` for N complaints and prints the seconds and complaints per second.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import UTC, datetime


def main(argv: list[str]) -> int:
    count = int(argv[1]) if len(argv) > 1 else 20000
    data_dir = tempfile.mkdtemp(prefix="kesu-bench-demo-")
    os.environ["KESU_DATA_DIR"] = data_dir  # before Django reads its settings
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kesu.config.settings")

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from kesu.demo.generator import demo_generate

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    migrated = time.perf_counter() - started
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']}); migrate {migrated:.1f} s")

    def progress(done: int) -> None:
        print(f"\r  {done:,} / {count:,}", end="", flush=True)

    summary = demo_generate(
        complaints=count, seed=42, now=datetime(2026, 3, 2, 4, 0, tzinfo=UTC), progress=progress
    )
    print()
    print(summary)
    print(
        f"{count:,} complaints, {summary.events:,} events: {summary.seconds:.1f} s, "
        f"{summary.per_second:,.0f} complaints/s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
