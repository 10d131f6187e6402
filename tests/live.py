"""Running real kesu processes (``kesu serve``, ``kesu worker``) against a throw-away data folder.

When the suite runs on PostgreSQL (DATABASE_URL set), each live run gets its own database,
created here and dropped afterwards, so it never touches the test database.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dj_database_url


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def live_database() -> Iterator[str | None]:
    url = os.environ.get("DATABASE_URL")
    if not url:
        yield None
        return
    import psycopg

    config = dj_database_url.parse(url)
    name = f"kesu_live_{uuid.uuid4().hex[:10]}"
    admin = psycopg.connect(
        host=config["HOST"] or "127.0.0.1", port=config["PORT"] or 5432, user=config["USER"] or "postgres",
        password=config["PASSWORD"] or None, dbname=config["NAME"], autocommit=True,
    )
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url.rsplit("/", 1)[0] + "/" + name
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


class Kesu:
    """The ``kesu`` command with its own data folder (and database)."""

    def __init__(self, data_dir: Path, database_url: str | None) -> None:
        self.env = {**os.environ, "KESU_DATA_DIR": str(data_dir)}
        self.env.pop("DJANGO_SETTINGS_MODULE", None)
        if database_url:
            self.env["DATABASE_URL"] = database_url

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "kesu", *args], env=self.env, capture_output=True, text=True, timeout=timeout,
            check=False,
        )

    def start(self, *args: str) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "kesu", *args], env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True,
        )


def http_json(url: str, *, data: dict | None = None, token: str = "", timeout: float = 10) -> tuple[int, dict]:
    body = json.dumps(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, method="POST" if data is not None else "GET")
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def wait_for(predicate, *, timeout: float = 30, interval: float = 0.3):
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        try:
            last = predicate()
            if last:
                return last
        except OSError:
            pass
        time.sleep(interval)
    raise TimeoutError(f"gave up after {timeout}s (last result: {last!r})")


def stop(process: subprocess.Popen) -> str:
    process.terminate()
    try:
        output, _ = process.communicate(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    return output or ""
