"""The KPIs and charts computed straight from the raw tables (complaints, their whole timelines,
surveys), written independently of the rollups, for the equality test."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from kesu.complaints.models import Complaint
from kesu.surveys.models import Survey


def _tz():
    return ZoneInfo(settings.TIME_ZONE)


def _local_day(at) -> date:
    return at.astimezone(_tz()).date()


def _working(day: date) -> bool:
    from kesu.sla.calendar import CalendarNotCovered, periods_on
    from kesu.sla.calendars import calendar_load

    try:
        return bool(periods_on(calendar_load(), day))
    except CalendarNotCovered:
        return day.weekday() < 5


def complaint_facts(date_from: date, date_to: date, *, group_id: int | None = None) -> Counter:
    """The KPI counters of the period, complaint by complaint over its whole timeline."""
    totals: Counter = Counter()
    complaints = Complaint.objects.prefetch_related("events")
    if group_id:
        complaints = complaints.filter(group_id=group_id)

    def within(at) -> bool:
        return date_from <= _local_day(at) <= date_to

    for complaint in complaints:
        events = sorted(complaint.events.all(), key=lambda e: e.id)
        created = next(e for e in events if e.kind == "created")
        if within(created.at):
            totals["created"] += 1
            totals["repeat"] += complaint.repeat_count > 0
        first_assignee = next((e.data["assignee"][1]["id"] for e in events if e.kind == "assigned"
                               and e.data["assignee"][1]), None)
        resolutions = [e for e in events if e.kind == "resolved"]
        if resolutions:
            first = resolutions[0]
            transferred_before = any(e.kind == "transferred" and e.id < first.id for e in events)
            reopened_soon = any(e.kind == "reopened" and e.id > first.id and e.at - first.at <= timedelta(days=7)
                                for e in events)
            if within(first.at):
                totals["first_resolved"] += 1
                totals["fcr"] += (not transferred_before and first.actor_id == first_assignee
                                  and first.actor_id is not None and not reopened_soon)
        for event in events:
            if event.kind == "reopened" and event.data.get("reopen_count") == 1 and within(event.at):
                totals["reopened_first"] += 1
            if event.kind in ("sla_met", "sla_breached") and within(event.at):
                for clock in event.data.get("clocks", []):
                    if clock["clock"] == "first_response":
                        totals["fr_met" if event.kind == "sla_met" else "fr_breached"] += 1
        closings = [e for e in events if e.kind == "closed"]
        if closings and within(closings[0].at):
            totals["closed_first"] += 1
            start, end = _local_day(complaint.created_at), _local_day(closings[0].at)
            days = sum(_working(start + timedelta(days=n)) for n in range(1, (end - start).days + 1))
            totals["closed_5wd"] += days <= 5
    surveys = Survey.objects.select_related("complaint")
    if group_id:
        surveys = surveys.filter(complaint__group_id=group_id)
    for survey in surveys:
        if within(survey.sent_at):
            totals["surveys_sent"] += 1
        if survey.answered_at and within(survey.answered_at):
            totals["surveys_answered"] += 1
            if survey.satisfaction is not None:
                totals["sat_answers"] += 1
                totals["sat_sum"] += survey.satisfaction
            if survey.nps is not None:
                totals["nps_answers"] += 1
                totals["nps_promoters"] += survey.nps >= 9
                totals["nps_detractors"] += survey.nps <= 6
    return totals


def _in_scope(complaint, scope: dict) -> bool:
    return all((getattr(complaint, key) or (0 if key.endswith("_id") else "")) == value
               for key, value in scope.items() if value)


def created_in(date_from: date, date_to: date, **scope):
    """``scope``: group_id, channel, category_id (a false value: any)."""
    return [c for c in Complaint.objects.select_related("customer")
            if date_from <= _local_day(c.created_at) <= date_to and _in_scope(c, scope)]


def trend_by_day(date_from: date, date_to: date) -> dict[str, int]:
    return dict(Counter(_local_day(c.created_at).isoformat() for c in created_in(date_from, date_to)))


def mix(date_from: date, date_to: date, field: str, **scope) -> dict:
    return dict(Counter(getattr(c, field) or (0 if field == "category_id" else "")
                        for c in created_in(date_from, date_to, **scope)))


def heat_map(date_from: date, date_to: date, **scope) -> list[list[int]]:
    grid = [[0] * 24 for _ in range(7)]
    for c in created_in(date_from, date_to, **scope):
        local = c.created_at.astimezone(_tz())
        grid[local.weekday()][local.hour] += 1
    return grid


def root_causes(date_from: date, date_to: date, **scope) -> dict[str, int]:
    out: Counter = Counter()
    for complaint in Complaint.objects.prefetch_related("events"):
        if not _in_scope(complaint, scope):
            continue
        first = next((e for e in sorted(complaint.events.all(), key=lambda e: e.id) if e.kind == "resolved"), None)
        if first and date_from <= _local_day(first.at) <= date_to:
            out[first.data.get("root_cause") or ""] += 1
    return dict(out)


def products(date_from: date, date_to: date, **scope) -> dict[str, int]:
    return dict(Counter(c.product for c in created_in(date_from, date_to, **scope)))


def batches(date_from: date, date_to: date, product: str, **scope) -> dict[str, int]:
    return dict(Counter(c.batch for c in created_in(date_from, date_to, **scope) if c.product == product))


def provinces(date_from: date, date_to: date, **scope) -> dict[str, int]:
    from kesu.analytics.selectors import province_of

    return dict(Counter(province_of(c.region) for c in created_in(date_from, date_to, **scope)))


def regions_under(date_from: date, date_to: date, prefix: str, **scope) -> int:
    return sum(c.region.startswith(prefix) for c in created_in(date_from, date_to, **scope))


def tags(date_from: date, date_to: date, **scope) -> dict[str, int]:
    return dict(Counter(tag for c in created_in(date_from, date_to, **scope) for tag in set(c.tags or [])))


def age_groups(date_from: date, date_to: date, **scope) -> dict[str, int]:
    out: Counter = Counter()
    for c in created_in(date_from, date_to, **scope):
        birth = c.customer.birth_year if c.customer_id else None
        age = _local_day(c.created_at).year - birth if birth else None
        out["unknown" if age is None else "<25" if age < 25 else "25-34" if age < 35 else "35-44" if age < 45
            else "45-54" if age < 55 else "55-64" if age < 65 else "65+"] += 1
    return {k: v for k, v in out.items() if v}


def open_by_created_day(day: date, **scope) -> dict[date, int]:
    """Complaints not closed at the end of ``day`` (as ``open_at_end_of``), by local day of creation."""
    out: Counter = Counter()
    for complaint in Complaint.objects.prefetch_related("events"):
        if not _in_scope(complaint, scope):
            continue
        status = ""
        for event in sorted(complaint.events.all(), key=lambda e: (e.at, e.id)):
            if _local_day(event.at) <= day and event.to_status and event.to_status != event.from_status:
                status = event.to_status
        if status not in ("", "closed"):
            out[_local_day(complaint.created_at)] += 1
    return dict(out)


def sla(date_from: date, date_to: date, **scope) -> dict[str, tuple[int, int]]:
    """Clocks met and breached per node, by the day decided, of the complaints in ``scope``."""
    out: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for complaint in Complaint.objects.prefetch_related("events"):
        if not _in_scope(complaint, scope):
            continue
        for event in complaint.events.all():
            if event.kind in ("sla_met", "sla_breached") and date_from <= _local_day(event.at) <= date_to:
                for clock in event.data.get("clocks", []):
                    out[clock["clock"]][event.kind == "sla_breached"] += 1
    return {k: (v[0], v[1]) for k, v in out.items()}


def open_at_end_of(day: date) -> int:
    """Complaints whose last status change up to the end of ``day`` left them not closed (the SLA's
    bookkeeping events repeat the status they found and change nothing)."""
    open_count = 0
    for complaint in Complaint.objects.prefetch_related("events"):
        status = ""
        for event in sorted(complaint.events.all(), key=lambda e: (e.at, e.id)):
            if _local_day(event.at) <= day and event.to_status and event.to_status != event.from_status:
                status = event.to_status
        open_count += status not in ("", "closed")
    return open_count
