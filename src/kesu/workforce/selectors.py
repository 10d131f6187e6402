"""Reads of complaint history for the workforce app (through complaints' models and events only)."""

from __future__ import annotations

from datetime import datetime

from kesu.complaints.models import Complaint, ComplaintEvent, EventKind
from kesu.workforce.simulation import Journey


def journeys_between(start: datetime, end: datetime) -> tuple[list[Journey], list[datetime]]:
    """The resolved complaints created in [start, end) as journeys (group stages with their durations), and
    the creation instants of every complaint created then (the arrivals)."""
    complaints = list(
        Complaint.objects.filter(created_at__gte=start, created_at__lt=end, merged_into__isnull=True)
        .select_related("group").only("id", "created_at", "resolved_at", "sla_deadline_at", "reopen_count",
                                       "group__code")
    )
    transfers: dict[int, list[tuple[datetime, str, str]]] = {}
    for event in (ComplaintEvent.objects.filter(complaint_id__in=[c.pk for c in complaints if c.resolved_at],
                                                kind=EventKind.TRANSFERRED)
                  .only("complaint_id", "at", "data").order_by("at", "id")):
        groups = (event.data or {}).get("group") or [None, None]
        source = (groups[0] or {}).get("code", "") if isinstance(groups, list) else ""
        target = (groups[1] or {}).get("code", "") if isinstance(groups, list) and len(groups) > 1 else ""
        transfers.setdefault(event.complaint_id, []).append((event.at, source, target))
    journeys = []
    for complaint in complaints:
        if complaint.resolved_at is None or complaint.resolved_at < complaint.created_at:
            continue
        moves = transfers.get(complaint.pk, [])
        stages = []
        at = complaint.created_at
        group = moves[0][1] if moves and moves[0][1] else (complaint.group.code if complaint.group else "")
        for moved_at, _source, target in moves:
            stages.append((group, max(0.0, (moved_at - at).total_seconds())))
            at, group = moved_at, target or group
        stages.append((group, max(0.0, (complaint.resolved_at - at).total_seconds())))
        allowance = ((complaint.sla_deadline_at - complaint.created_at).total_seconds()
                     if complaint.sla_deadline_at else None)
        journeys.append(Journey(tuple(stages), allowance, complaint.reopen_count > 0,
                                (complaint.created_at - start).total_seconds(),
                                (complaint.resolved_at - start).total_seconds()))
    return journeys, [c.created_at for c in complaints]


def handlers_per_group() -> dict[str, int]:
    from django.db.models import Count

    from kesu.core.models import Group

    return {row["code"]: row["n"] for row in Group.objects.annotate(n=Count("handlers")).values("code", "n")}


def actual_between(start: datetime, end: datetime) -> dict:
    """What happened: complaints resolved in [start, end) and their median resolution time in hours."""
    import statistics

    rows = list(Complaint.objects.filter(resolved_at__gte=start, resolved_at__lt=end, merged_into__isnull=True)
                .values_list("created_at", "resolved_at"))
    hours = [(resolved - created).total_seconds() / 3600 for created, resolved in rows]
    return {"throughput": len(rows), "median_resolution_hours": round(statistics.median(hours), 3) if hours else 0.0}
