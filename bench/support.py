"""What the benchmarks share: a throw-away PostgreSQL database when DATABASE_URL is set."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def bench_database() -> Iterator[str | None]:
    """Yield the URL of a fresh database on the server of $DATABASE_URL (dropped afterwards), or None."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        yield None
        return
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    name = f"kesu_bench_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(host=config["HOST"] or "127.0.0.1", port=config["PORT"] or 5432,
                            user=config["USER"] or "postgres", dbname=config["NAME"], autocommit=True)
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()
