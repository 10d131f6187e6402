from __future__ import annotations

from datetime import UTC, datetime

import pytest

NOW = datetime(2026, 3, 2, 4, 0, tzinfo=UTC)  # Monday 12:00 in Shanghai


@pytest.fixture
def demo(db):
    """A small demo year: 600 complaints up to NOW."""
    from kesu.demo.generator import demo_generate

    return demo_generate(complaints=600, seed=42, now=NOW)
