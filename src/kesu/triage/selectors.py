"""Reads of triage: the latest result of a complaint, its repeat links both ways, the repeat rate."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kesu.complaints.models import Complaint, EventKind
from kesu.triage.models import RepeatLink


def triage_latest(complaint: Complaint, *, events=None) -> dict[str, Any] | None:
    """The newest triage result, from ``events`` or the complaint's (prefetched) events."""
    triaged = [e for e in (complaint.events.all() if events is None else events) if e.kind == EventKind.TRIAGED]
    if not triaged:
        return None
    return triaged[-1].data.get("result") or {"error": triaged[-1].data.get("error", "")}


def repeat_links(complaint: Complaint) -> dict[str, list[dict[str, Any]]]:
    """Earlier complaints this one repeats, and later ones that repeat it."""
    earlier = RepeatLink.objects.filter(complaint=complaint).select_related("earlier").order_by("-similarity")
    later = RepeatLink.objects.filter(earlier=complaint).select_related("complaint").order_by("complaint__created_at")
    return {
        "repeats": [{"id": link.earlier_id, "number": link.earlier.number, "similarity": link.similarity}
                    for link in earlier],
        "repeated_by": [{"id": link.complaint_id, "number": link.complaint.number, "similarity": link.similarity}
                        for link in later],
    }


def repeat_rate(*, start: datetime, end: datetime) -> dict[str, Any]:
    """Share of complaints created in [start, end) that repeat an earlier one (target ≤ 5% [S0])."""
    complaints = Complaint.objects.filter(created_at__gte=start, created_at__lt=end, merged_into__isnull=True)
    total = complaints.count()
    repeats = complaints.filter(repeat_count__gt=0).count()
    return {"complaints": total, "repeats": repeats, "rate": round(repeats / total, 4) if total else 0.0}

