"""Defect 5: the job consumer dies with ``kesu serve`` (even after kill -9), and a periodic job is
enqueued once per tick however many consumers run."""

from __future__ import annotations

import os
import signal
import subprocess
from datetime import datetime, timedelta

import pytest
from huey import RedisHuey, SqliteHuey, crontab

from kesu.privacy.ticks import periodic_once_per_tick
from tests.live import Kesu, free_port, http_json, live_database, stop, wait_for

TICK = datetime(2026, 3, 2, 9, 0, 17)  # noqa: DTZ001 - Huey schedules in naive local time


def _consumer_like(make_huey):
    """A Huey with one every-minute job, its scheduler tied to the tick claims (as in kesu)."""
    huey = make_huey()

    @huey.periodic_task(crontab(minute="*"), name="sweep")
    def sweep():
        return None

    periodic_once_per_tick(huey)
    return huey


def _stores(tmp_path):
    yield lambda: SqliteHuey("kesu-test", filename=str(tmp_path / "jobs.sqlite3"))
    redis_url = os.environ.get("REDIS_URL")
    if redis_url:
        name = f"kesu-test-{os.getpid()}"
        yield lambda: RedisHuey(name, url=redis_url)


def test_two_consumers_enqueue_a_periodic_job_once_per_tick(tmp_path):
    for make_huey in _stores(tmp_path):
        # given two consumers' schedulers on one job store
        first, second = _consumer_like(make_huey), _consumer_like(make_huey)
        first.storage.flush_all()
        # when both look for the jobs due at the same minute (seconds apart)
        due = [first.read_periodic(TICK), second.read_periodic(TICK + timedelta(seconds=20))]
        # then only one of them enqueues the job
        assert sorted(len(tasks) for tasks in due) == [0, 1]
        # and the next minute it is due again (once)
        later = [second.read_periodic(TICK + timedelta(minutes=1)), first.read_periodic(TICK + timedelta(minutes=1))]
        assert sorted(len(tasks) for tasks in later) == [0, 1]
        # the store keeps a couple of claim keys, not one per minute for ever
        for minute in range(2, 30):
            first.read_periodic(TICK + timedelta(minutes=minute))
        claims = [k for k in _keys(first) if "kesu-tick" in k]
        assert len(claims) <= 3
        first.storage.flush_all()


def _keys(huey) -> list[str]:
    storage = huey.storage
    if hasattr(storage, "conn") and hasattr(storage.conn, "hkeys"):
        return [k.decode() for k in storage.conn.hkeys(storage.result_key)]
    with storage.db(True) as cursor:
        return [row[0] for row in cursor.execute("select key from kv").fetchall()]


def _consumer_pid(server_pid: int) -> int | None:
    found = subprocess.run(["pgrep", "-P", str(server_pid), "-f", "kesu worker"], capture_output=True, text=True)
    pids = [int(p) for p in found.stdout.split()]
    return pids[0] if pids else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (exited, not yet reaped) counts as gone
    with open(f"/proc/{pid}/stat") as stat:
        return stat.read().split(") ", 1)[1][0] != "Z"


@pytest.mark.live
def test_the_consumer_dies_with_kesu_serve_after_kill_9(tmp_path):
    with live_database() as database_url:
        kesu = Kesu(tmp_path / "data", database_url)
        assert kesu.run("migrate", timeout=600).returncode == 0
        port = free_port()
        server = kesu.start("serve", "--port", str(port))
        try:
            wait_for(lambda: http_json(f"http://127.0.0.1:{port}/healthz")[0] == 200, timeout=120)
            consumer = wait_for(lambda: _consumer_pid(server.pid), timeout=60)
            # when the server is killed without a chance to clean up
            os.kill(server.pid, signal.SIGKILL)
            server.wait(timeout=10)
            # then its consumer stops too, within seconds
            wait_for(lambda: not _alive(consumer), timeout=20)
        finally:
            stop(server)
