"""When an open complaint is likely to be resolved: the median resolution time of the resolved complaints of
its category (all categories when too few) that had already lasted as long as this one (a conditional
median — the time already spent counts), read from the last half-year of history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from kesu.complaints.models import Complaint, Status

HISTORY = timedelta(days=182)
MIN_SIMILAR = 20
OPEN = (Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS, Status.PENDING_CUSTOMER)


@dataclass(frozen=True)
class ExpectedResolution:
    at: datetime
    similar: int  # how many resolved complaints the estimate rests on


def expected_resolution(complaint: Complaint, *, now: datetime) -> ExpectedResolution | None:
    """``None`` for a complaint that is not open, or with too little comparable history."""
    if complaint.status not in OPEN:
        return None
    age = now - complaint.created_at
    rows = (Complaint.objects.filter(resolved_at__isnull=False, created_at__gte=now - HISTORY, created_at__lt=now,
                                     merged_into__isnull=True)
            .order_by("-created_at").values_list("category_id", "created_at", "resolved_at")[:20_000])
    spans = [(category, resolved - created) for category, created, resolved in rows if resolved - created > age]
    same = sorted(span for category, span in spans if category == complaint.category_id)
    for chosen in (same if complaint.category_id else [], sorted(span for _category, span in spans)):
        if len(chosen) >= MIN_SIMILAR:
            return ExpectedResolution(complaint.created_at + chosen[len(chosen) // 2], len(chosen))
    return None
