"""A private PostgreSQL server for the restart test (the shared one must never be restarted)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PG_BIN = Path(os.environ.get("KESU_PG_BIN", "/usr/lib/postgresql/15/bin"))


def _as_postgres(args: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root: run them as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


class PrivatePostgres:
    def __init__(self, root: Path, port: int) -> None:
        self.root, self.port = root, port
        self.data = root / "data"

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def pg_ctl(self, *args: str) -> None:
        subprocess.run(
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.root / "log"), "-w", *args]),
            check=True, capture_output=True, timeout=60,
        )

    def restart(self) -> None:
        self.pg_ctl("restart", "-m", "fast", "-o", self._options())

    def _options(self) -> str:
        return f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off"


@contextmanager
def private_postgres(port: int) -> Iterator[PrivatePostgres]:
    if not (PG_BIN / "initdb").exists():
        import pytest

        pytest.skip(f"no PostgreSQL server binaries in {PG_BIN}")
    root = Path(tempfile.mkdtemp(prefix="kesu-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    server = PrivatePostgres(root, port)
    subprocess.run(
        _as_postgres([str(PG_BIN / "initdb"), "-D", str(server.data), "-A", "trust", "-U", "postgres"]),
        check=True, capture_output=True, timeout=120,
    )
    server.pg_ctl("start", "-o", server._options())
    try:
        yield server
    finally:
        try:
            server.pg_ctl("stop", "-m", "immediate")
        finally:
            shutil.rmtree(root, ignore_errors=True)
