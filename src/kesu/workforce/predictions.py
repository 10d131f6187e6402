"""When an open complaint is likely to be resolved: the median resolution time of the resolved complaints
like it (same category, channel and priority; the category alone, then all, when too few) that had already
lasted as long as this one (a conditional median — the time already spent counts), from the last half-year.

A job (``resolution_refresh``: nightly, and after the demo) stores the resolution times of each key as
``QUANTILES`` quantiles in ``ResolutionQuantiles``; the page reads at most three rows in one query and
derives the conditional median from them (no history read per page view)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from django.db import transaction

from kesu.complaints.models import Complaint, Status

HISTORY = timedelta(days=182)
MIN_SIMILAR = 20
QUANTILES = 201  # stored points per key (every half percent)
OPEN = (Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS, Status.PENDING_CUSTOMER)


@dataclass(frozen=True)
class ExpectedResolution:
    at: datetime
    similar: int  # how many resolved complaints the estimate rests on (about, from the quantiles)


def resolution_keys(category_id: int | None, channel: str, priority: str) -> list[str]:
    """The keys of a complaint, the most specific first."""
    if category_id is None:
        return [""]
    return [f"category:{category_id}|{channel}|{priority}", f"category:{category_id}", ""]


def resolution_quantiles(*, now: datetime) -> list:
    """The resolution-time quantiles (unsaved ``ResolutionQuantiles``) of every key with at least
    ``MIN_SIMILAR`` complaints of the half-year before ``now`` resolved before ``now``."""
    from kesu.workforce.models import ResolutionQuantiles

    spans: dict[str, list[float]] = defaultdict(list)
    rows = (Complaint.objects.filter(resolved_at__isnull=False, resolved_at__lt=now, created_at__gte=now - HISTORY,
                                     created_at__lt=now, merged_into__isnull=True)
            .values_list("category_id", "channel", "priority", "created_at", "resolved_at"))
    for category_id, channel, priority, created, resolved in rows.iterator(chunk_size=5000):
        seconds = (resolved - created).total_seconds()
        if seconds < 0:
            continue
        for key in resolution_keys(category_id, channel, priority):
            spans[key].append(seconds)
    points = np.linspace(0, 1, QUANTILES)
    return [ResolutionQuantiles(key=key, n=len(values), computed_at=now,
                                quantiles=[round(float(v), 1) for v in np.quantile(np.asarray(values), points)])
            for key, values in spans.items() if len(values) >= MIN_SIMILAR]


def resolution_refresh(*, now: datetime) -> int:
    """Store the resolution-time quantiles of every key with at least ``MIN_SIMILAR`` resolved complaints of
    the last half-year (the rest are removed). Returns how many keys were stored."""
    from kesu.workforce.models import ResolutionQuantiles

    stored = resolution_quantiles(now=now)
    with transaction.atomic():
        ResolutionQuantiles.objects.all().delete()
        ResolutionQuantiles.objects.bulk_create(stored, batch_size=500)
    return len(stored)


def conditional_median(quantiles: list[float], n: int, age_seconds: float) -> tuple[float, int] | None:
    """(the median span of those longer than ``age_seconds``, about how many they are) from a key's
    quantiles; ``None`` when fewer than ``MIN_SIMILAR`` lasted that long."""
    q = np.asarray(quantiles, dtype=float)
    points = np.linspace(0, 1, len(q))
    if age_seconds < q[0]:
        share_done = 0.0
    elif age_seconds >= q[-1]:
        return None
    else:  # the last point at or below the age: ties (many equal spans) count as done, as ``> age`` did
        index = int(np.searchsorted(q, age_seconds, side="right")) - 1
        low, high = q[index], q[index + 1]
        share_done = points[index] + (points[index + 1] - points[index]) * (
            (age_seconds - low) / (high - low) if high > low else 1.0)
    similar = int(round(n * (1 - share_done)))
    if similar < MIN_SIMILAR:
        return None
    return float(np.interp(share_done + (1 - share_done) / 2, points, q)), similar


def _estimate(stored: dict, keys: list[str], created_at: datetime, now: datetime) -> ExpectedResolution | None:
    age = (now - created_at).total_seconds()
    for key in keys:
        row = stored.get(key)
        if row is None:
            continue
        found = conditional_median(row.quantiles, row.n, age)
        if found is not None:
            span, similar = found
            return ExpectedResolution(created_at + timedelta(seconds=span), similar)
    return None


def expected_resolution(complaint: Complaint, *, now: datetime) -> ExpectedResolution | None:
    """``None`` for a complaint that is not open, or with too little comparable history (one query)."""
    from kesu.workforce.models import ResolutionQuantiles

    if complaint.status not in OPEN:
        return None
    keys = resolution_keys(complaint.category_id, complaint.channel, complaint.priority)
    stored = {row.key: row for row in ResolutionQuantiles.objects.filter(key__in=keys)}
    return _estimate(stored, keys, complaint.created_at, now)


def resolution_estimates(complaints, *, quantiles: list, now: datetime) -> dict[int, tuple[datetime, datetime]]:
    """For each open complaint (rows of pk, category_id, channel, priority, created_at): ("likely resolved
    by" — the conditional median the pages show —, the baseline: the plain median resolution time of its most
    specific key, the time already spent not counted). Complaints without enough history are left out."""
    stored = {row.key: row for row in quantiles}
    out = {}
    for pk, category_id, channel, priority, created_at in complaints:
        keys = resolution_keys(category_id, channel, priority)
        likely = _estimate(stored, keys, created_at, now)
        if likely is None:
            continue
        plain = next(stored[key] for key in keys if key in stored)
        median = float(np.interp(0.5, np.linspace(0, 1, len(plain.quantiles)), plain.quantiles))
        out[pk] = (likely.at, created_at + timedelta(seconds=median))
    return out
