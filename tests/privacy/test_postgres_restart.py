"""Defect 4: after a PostgreSQL restart the first request on each pooled connection was a 500.
A live ``kesu serve`` on a private PostgreSQL server: requests before, a restart, requests after —
0 server errors (connection health checks on reuse, a retry of reads)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.live import Kesu, http_json, stop, wait_for
from tests.privacy.servers import private_postgres

pytestmark = pytest.mark.live

PG_PORT, WEB_PORT = 8133, 8134
THREADS = 4


def test_no_server_error_after_a_postgresql_restart(tmp_path):
    with private_postgres(PG_PORT) as postgres:
        kesu = Kesu(tmp_path / "data", postgres.url)
        migrated = kesu.run("migrate", timeout=600)
        assert migrated.returncode == 0, migrated.stderr[-2000:]
        assert kesu.run("createuser", "ops", "--role", "manager", "--password", "a-long-pass-123").returncode == 0
        token = kesu.run("token", "create", "ops").stdout.strip()
        base = f"http://127.0.0.1:{WEB_PORT}"
        server = kesu.start("serve", "--port", str(WEB_PORT), "--threads", str(THREADS), "--no-worker")
        try:
            wait_for(lambda: http_json(f"{base}/healthz")[0] == 200, timeout=120)

            def burst(n: int) -> list[int]:
                def one(i: int) -> int:
                    if i % 3 == 0:
                        return http_json(f"{base}/api/v1/complaints", token=token, data={
                            "channel": "web", "content": f"第{i}次投诉：网络断了", "customer": {"name": f"客户{i}"}})[0]
                    return http_json(f"{base}/api/v1/complaints?page_size=5", token=token)[0]

                with ThreadPoolExecutor(THREADS * 2) as pool:
                    return list(pool.map(one, range(n)))

            # given every server thread holds a pooled connection
            assert set(burst(24)) <= {200, 201}
            # when the database server restarts
            postgres.restart()
            # then no request fails
            after = burst(48)
            assert [s for s in after if s >= 500] == []
            assert set(after) <= {200, 201}
        finally:
            output = stop(server)
        assert "Traceback" not in output, output[-3000:]
