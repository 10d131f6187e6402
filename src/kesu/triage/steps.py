"""Applying a triage result to a complaint, as a pure step (like ``complaints/lifecycle.py``).

The complaint takes triage's category, severity and priority only where the person who recorded it
left them open ("triage suggests, rules decide"); everything triage found is in the event.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kesu.complaints.models import Category, Complaint, ComplaintEvent, EventKind
from kesu.complaints.records import event_new
from kesu.core.models import User


def triaged(
    complaint: Complaint, result: dict[str, Any], *, categories: dict[str, Category], by: User | None, now: datetime,
    open_fields: frozenset[str],
) -> ComplaintEvent:
    """Set what triage decides on the complaint; return the ``triaged`` event (unsaved)."""
    applied: dict[str, list] = {}
    category = result["category"]
    if "category" in open_fields and category["apply"] and category["code"] in categories:
        applied["category"] = [None, category["code"]]
        complaint.category = categories[category["code"]]
    for name in ("severity", "priority"):
        if name in open_fields:
            applied[name] = [None, result[name]["value"]]  # the intake left it open
            setattr(complaint, name, result[name]["value"])
    complaint.emotion = result["emotion"]["score"]
    complaint.needs_senior = result["needs_senior"]["value"]
    complaint.red_channel = result["red_channel"]["flagged"]
    complaint.repeat_count = result["repeat"]["count"]
    complaint.tags = [t["tag"] for t in result["tags"]]
    complaint.quality_missing = result["quality"]["missing"]
    complaint.updated_at = now
    return event_new(complaint, EventKind.TRIAGED, now=now, by=by, data={"result": result, "applied": applied})
