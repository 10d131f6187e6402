"""`kesu serve` for real: a WSGI server and a job consumer, reached over HTTP."""

from __future__ import annotations

import os
import signal
import subprocess

import pytest

from tests.factories import domain_timeline
from tests.live import Kesu, free_port, http_json, live_database, stop, wait_for

pytestmark = pytest.mark.live


def _consumer_pid(server_pid: int) -> int | None:
    found = subprocess.run(["pgrep", "-P", str(server_pid), "-f", "kesu worker"], capture_output=True, text=True)
    pids = [int(p) for p in found.stdout.split()]
    return pids[0] if pids else None


def test_serve_runs_web_server_and_job_consumer(tmp_path):
    with live_database() as database_url:
        kesu = Kesu(tmp_path / "data", database_url)
        # given a migrated data folder with a user and a token
        assert kesu.run("migrate").returncode == 0
        created = kesu.run("createuser", "live", "--role", "handler", "--password", "live-pass-123")
        assert created.returncode == 0, created.stderr
        token = kesu.run("token", "create", "live").stdout.strip()
        port = free_port()
        base = f"http://127.0.0.1:{port}"

        # when kesu serve starts
        server = kesu.start("serve", "--port", str(port))
        try:
            # then /healthz reports the database, the job store and a running consumer
            health = wait_for(lambda: (r := http_json(f"{base}/healthz")[1])["jobs"].get("consumer_running") and r)
            assert health["status"] == "ok"
            assert health["database"]["ok"] is True

            # and the API takes a complaint and gives it back exactly
            content = "宽带已经断网三天了！！😡 " * 10
            status, body = http_json(
                f"{base}/api/v1/complaints",
                data={"channel": "phone", "content": content, "customer": {"name": "王芳", "phone": "13911112222"}},
                token=token,
            )
            assert status == 201, body
            status, fetched = http_json(f"{base}/api/v1/complaints/{body['id']}", token=token)
            assert status == 200 and fetched["content"] == content
            assert [event["kind"] for event in domain_timeline(fetched["timeline"])] == ["created", "triaged"]
            assert fetched["sla"]["clocks"] and fetched["next_due_at"]  # the SLA clocks run in the live process
            assert fetched["emotion"] >= 70  # an angry text, triaged in the live process
            # and a job consumer that dies is started again
            first = _consumer_pid(server.pid)
            os.kill(first, signal.SIGKILL)
            replacement = wait_for(lambda: (pid := _consumer_pid(server.pid)) != first and pid, timeout=30)
            assert replacement
        finally:
            output = stop(server)
        assert "Huey consumer started" in output
        assert "the job consumer exited with code -9; restarting it" in output


def test_serve_refuses_an_unmigrated_database(tmp_path):
    with live_database() as database_url:
        result = Kesu(tmp_path / "data", database_url).run("serve", "--port", str(free_port()), timeout=60)
    assert result.returncode == 1
    assert "run `kesu migrate` first" in result.stderr
