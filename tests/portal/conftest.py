from __future__ import annotations

import pytest
import time_machine

from tests.factories import T0


@pytest.fixture
def at_t0():
    """The portal's views read the clock; the tests walk it from Monday 09:00 in Shanghai."""
    with time_machine.travel(T0, tick=False) as traveller:
        yield traveller
