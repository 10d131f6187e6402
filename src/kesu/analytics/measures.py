"""Verifying an improvement measure from the rollups: the before / after windows (equal, cut to the
days that have passed), the counts of the measure's scope and of its control scope, and the test
of ``analytics/verification.py`` that suits the metric."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, Sum

from kesu.analytics import verification
from kesu.analytics.models import DailyFacts, ImprovementMeasure, MetricKind, PlaceDaily

SHARES = {  # metric → (numerator, denominator, lower is better)
    MetricKind.REOPEN_RATE: ("reopened_first", "first_resolved", True),
    MetricKind.FCR: ("fcr", "first_resolved", False),
    MetricKind.CLOSURE: ("closed_5wd", "closed_first", False),
}


@dataclass(frozen=True)
class Windows:
    before: tuple[date, date]
    after: tuple[date, date]
    days: int


def windows_for(start: date, window_days: int, today: date) -> Windows | None:
    """Equal windows before and after ``start`` (the after window ends yesterday at the latest)."""
    days = min(window_days, (today - start).days)
    if days < 7:
        return None
    return Windows((start - timedelta(days=days), start - timedelta(days=1)),
                   (start, start + timedelta(days=days - 1)), days)


def _scope_q(scope: dict[str, Any]) -> Q:
    from kesu.complaints.models import Category
    from kesu.core.models import Group

    q = Q()
    if scope.get("category"):
        q &= Q(category_id=Category.objects.filter(code=scope["category"]).values_list("pk", flat=True).first() or -1)
    if scope.get("group"):
        q &= Q(group_id=Group.objects.filter(code=scope["group"]).values_list("pk", flat=True).first() or -1)
    if scope.get("channel"):
        q &= Q(channel=scope["channel"])
    return q


def _sum(scope: dict[str, Any], window: tuple[date, date], field: str) -> int:
    period = Q(day__gte=window[0], day__lte=window[1])
    if scope.get("region") or scope.get("region_not"):
        q = period
        if scope.get("region"):
            q &= Q(region__startswith=scope["region"])
        if scope.get("region_not"):
            q &= ~Q(region__startswith=scope["region_not"])
        if scope.get("category"):
            from kesu.complaints.models import Category

            q &= Q(category_id=Category.objects.filter(code=scope["category"]).values_list("pk", flat=True).first() or -1)
        return int(PlaceDaily.objects.filter(q).aggregate(n=Sum("created"))["n"] or 0)
    return int(DailyFacts.objects.filter(period & _scope_q(scope)).aggregate(n=Sum(field))["n"] or 0)


def _durations(scope: dict[str, Any], window: tuple[date, date]) -> list[float]:
    """Hours from creation to resolution of the complaints created in the window (a bounded read)."""
    from datetime import datetime

    from kesu.analytics.actions import centre_zone
    from kesu.complaints.models import Complaint

    tz = centre_zone()
    start = datetime.combine(window[0], datetime.min.time(), tzinfo=tz)
    end = datetime.combine(window[1] + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    q = Q(created_at__gte=start, created_at__lt=end, resolved_at__isnull=False) & _scope_q(scope)
    if scope.get("region"):
        q &= Q(region__startswith=scope["region"])
    return [(r - c).total_seconds() / 3600 for c, r in Complaint.objects.filter(q).values_list("created_at", "resolved_at")]


def measure_verify(measure: ImprovementMeasure, *, today: date) -> dict[str, Any]:
    """The verdict with the effect, its 95 % interval, the p-value and the cost / benefit line."""
    windows = windows_for(measure.start, measure.window_days, today)
    if windows is None:
        return {"ready": False, "days": max((today - measure.start).days, 0)}
    scope, control = measure.scope or {}, measure.control_scope or {}
    lower_is_better = measure.expected_effect < 0
    avoided = 0.0
    if measure.metric == MetricKind.VOLUME:
        before, after = _sum(scope, windows.before, "created"), _sum(scope, windows.after, "created")
        if control:
            c_before, c_after = _sum(control, windows.before, "created"), _sum(control, windows.after, "created")
            verdict = verification.poisson_did(before, after, c_before, c_after, lower_is_better=lower_is_better)
            expected_after = before * (c_after / c_before) if c_before else before
        else:
            verdict = verification.poisson_rate_test(before, after, lower_is_better=lower_is_better)
            expected_after = before
        avoided = expected_after - after
        counts = {"before": before, "after": after}
    elif measure.metric in SHARES:
        num, den, lower_is_better = SHARES[measure.metric]
        cells = [_sum(scope, w, f) for w in (windows.before, windows.after) for f in (num, den)]
        if control:
            c_cells = [_sum(control, w, f) for w in (windows.before, windows.after) for f in (num, den)]
            verdict = verification.proportion_did(tuple(cells), tuple(c_cells), lower_is_better=lower_is_better)
        else:
            verdict = verification.two_proportion_z(*cells, lower_is_better=lower_is_better)
        counts = {"before": f"{cells[0]}/{cells[1]}", "after": f"{cells[2]}/{cells[3]}"}
        if lower_is_better:
            avoided = -verdict.effect * cells[3]
    else:
        before_h, after_h = _durations(scope, windows.before), _durations(scope, windows.after)
        verdict = verification.mann_whitney(before_h, after_h, lower_is_better=True)
        counts = {"before": len(before_h), "after": len(after_h)}
    money = verification.cost_benefit(
        avoided=avoided if verdict.verdict == "worked" else 0.0, handling_cost=float(measure.handling_cost),
        compensation_saved=float(measure.compensation_saved) if verdict.verdict == "worked" else 0.0,
        cost=float(measure.cost),
    )
    return {
        "ready": True, "windows": {"before": [d.isoformat() for d in windows.before],
                                   "after": [d.isoformat() for d in windows.after], "days": windows.days},
        "counts": counts, **verdict.as_dict(), "cost_benefit": money, "controlled": bool(control),
    }
