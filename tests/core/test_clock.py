from __future__ import annotations

from datetime import UTC, datetime

import time_machine

from kesu.core.clock import clock_now


def test_the_clock_is_aware_utc():
    with time_machine.travel(datetime(2026, 12, 31, 17, 0, tzinfo=UTC), tick=False):
        now = clock_now()

    assert now == datetime(2026, 12, 31, 17, 0, tzinfo=UTC)
    assert now.utcoffset().total_seconds() == 0
