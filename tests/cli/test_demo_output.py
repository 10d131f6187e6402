"""`kesu demo` ends with the logins and the address: the job consumer it starts logs nothing below
them (issue 17 §4.11)."""

from __future__ import annotations

import pytest

from tests.live import Kesu, free_port, http_json, live_database, stop, wait_for

pytestmark = pytest.mark.live


def test_the_logins_and_the_address_are_the_last_lines_of_kesu_demo(tmp_path):
    with live_database() as database_url:
        kesu = Kesu(tmp_path / "data", database_url)
        port = free_port()
        demo = kesu.start("demo", "--complaints", "0", "--port", str(port))
        try:
            # the consumer has started (it beats on start, after its own start-up lines)
            wait_for(lambda: http_json(f"http://127.0.0.1:{port}/healthz")[1]["jobs"].get("consumer_running"),
                     timeout=180)
        finally:
            output = stop(demo)
    lines = [line for line in output.splitlines() if line.strip()]
    logins = lines.index("Logins (role, username, password):")
    after = lines[logins + 1:]
    assert after[-1].startswith(f"kesu serving http://127.0.0.1:{port}/"), after
    assert all(line.startswith("  ") for line in after[:-1]), "\n".join(after)  # one line per login
    assert len(after) >= 4
    assert not [line for line in lines if "INFO" in line or "Huey consumer" in line]
