from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

NOW = datetime(2026, 11, 30, 4, 0, tzinfo=UTC)


def surveys_add(*, seed: int = 7, share: float = 0.8) -> int:
    """Surveys on closed complaints, most answered, written straight to the table (their rollup is
    what is tested here, not the sending)."""
    from kesu.complaints.models import Complaint
    from kesu.surveys.models import Survey

    rng = random.Random(seed)
    rows = []
    closed = Complaint.objects.filter(closed_at__isnull=False).order_by("id").values_list("id", "closed_at")
    for complaint_id, closed_at in closed:
        if rng.random() > share:
            continue
        answered = rng.random() < 0.4
        rows.append(Survey(
            complaint_id=complaint_id, cycle=0, salt=f"s{complaint_id}", digest=f"d{complaint_id}", channel="email",
            sent_at=closed_at, answered_at=closed_at + timedelta(hours=rng.randint(1, 60)) if answered else None,
            satisfaction=rng.choice([1, 2, 3, 4, 4, 5, 5, 5]) if answered else None,
            nps=rng.choice([None, 3, 6, 7, 8, 9, 10]) if answered else None,
            solved=True if answered else None,
        ))
    Survey.objects.bulk_create(rows)
    return len(rows)


@pytest.fixture
def demo_year(db):
    """A small demo year (400 complaints up to NOW) with surveys."""
    from kesu.demo.generator import demo_generate

    demo_generate(complaints=400, seed=42, now=NOW)
    surveys_add()
    return NOW
