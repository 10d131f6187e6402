"""Turning complaints into the API's plain dictionaries (no queries: selectors fetched it all)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kesu.complaints.models import Complaint
from kesu.core.clock import clock_now
from kesu.core.messages import messages_worded
from kesu.incidents.selectors import complaint_incident
from kesu.sla.clocks import ClockReport
from kesu.sla.selectors import complaint_clocks
from kesu.triage.selectors import repeat_links, triage_latest


def _user(user) -> dict[str, str] | None:
    return {"username": user.username, "name": str(user)} if user else None


def complaint_dict(c: Complaint) -> dict[str, Any]:
    return {
        "id": c.pk,
        "number": c.number,
        "channel": c.channel,
        "status": c.status,
        "subject": c.subject,
        "content": c.content,
        "customer": {"id": c.customer.pk, "name": c.customer.name, "tier": c.customer.tier},
        "category": {"id": c.category.pk, "code": c.category.code, "name": c.category.name}
        if c.category
        else None,
        "severity": c.severity,
        "priority": c.priority,
        "region": c.region,
        "product": c.product,
        "batch": c.batch,
        "order_number": c.order_number,
        "amount_claimed": c.amount_claimed,
        "group": {"id": c.group.pk, "code": c.group.code, "name": c.group.name} if c.group else None,
        "assignee": _user(c.assignee),
        "resolution": c.resolution,
        "reopen_count": c.reopen_count,
        "merged_into": c.merged_into.number if c.merged_into_id else None,
        "created_at": c.created_at,
        "updated_at": c.updated_at,
        "assigned_at": c.assigned_at,
        "resolved_at": c.resolved_at,
        "closed_at": c.closed_at,
        "category_confirmed": c.category_confirmed,
        "emotion": c.emotion,
        "needs_senior": c.needs_senior,
        "red_channel": c.red_channel,
        "repeat_count": c.repeat_count,
        "tags": c.tags,
        "quality_missing": c.quality_missing,
        "next_due_at": c.next_due_at,
        "escalation_level": c.escalation_level,
    }


def complaint_detail_dict(
    c: Complaint, *, events=None, attachments=None, new: bool = False, now: datetime | None = None,
    unlinked: bool = False, clocks: tuple[datetime, ClockReport] | None = None,
) -> dict[str, Any]:
    """The complaint with its timeline; pass ``events`` / ``attachments`` when already loaded,
    ``unlinked`` when the caller knows it is linked to no incident and ``clocks`` (the time and the
    SLA clocks at that time) when it computed them (intake).

    ``new``: the complaint was just created, so its repeat links are the ones its triage found and
    nothing repeats it yet (no queries needed).
    """
    body = complaint_dict(c)
    events = list(c.events.all() if events is None else events)
    # the keys in ``ComplaintDetailOut``'s order: intake's answer is rendered without validation
    # (``kesu.api.answers``)
    if clocks is not None:
        now, report = clocks
        sla = complaint_clocks(c, now=now, events=events, report=report)
    else:
        sla = complaint_clocks(c, now=now or clock_now(), events=events)
    body["sla"] = sla
    if sla is not None:
        del sla["incident_due_at"]  # the desk's and the portal's (it waits on an incident), not the API's
    body["triage"] = messages_worded(triage_latest(c, events=events))
    if new:
        found = body["triage"]["repeat"]["earlier"] if body["triage"] and "repeat" in body["triage"] else []
        body["repeats"] = {"repeats": found, "repeated_by": []}
    else:
        body["repeats"] = repeat_links(c)
    body["incident"] = None if unlinked else complaint_incident(c.pk)
    body["timeline"] = [
        {
            "kind": e.kind,
            "at": e.at,
            "actor": _user(e.actor),
            "from_status": e.from_status,
            "to_status": e.to_status,
            "data": messages_worded(e.data),
        }
        for e in events
    ]
    body["attachments"] = [
        {
            "id": a.pk,
            "name": a.original_name,
            "content_type": a.content_type,
            "size": a.size,
            "created_at": a.created_at,
        }
        for a in (c.attachments.all() if attachments is None else attachments)
    ]
    return body
