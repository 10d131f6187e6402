"""The rows and outcomes of the risk model, read from complaint history in bulk (few queries)."""

from __future__ import annotations

import bisect
from collections import defaultdict
from datetime import datetime, timedelta

import numpy as np

from kesu.complaints.models import Complaint, Status
from kesu.workforce.risk import OUTCOMES, Row, matrix

DAY = timedelta(days=1)
OPEN = (Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS, Status.PENDING_CUSTOMER)


def _history(customer_ids: set[int] | None = None
             ) -> tuple[list[dict], dict[int, list[datetime]], dict[int, list[tuple[datetime, int]]]]:
    query = Complaint.objects.filter(merged_into__isnull=True)
    if customer_ids is not None:
        query = query.filter(customer_id__in=customer_ids)
    rows = list(query.order_by("created_at", "id").values(
        "id", "customer_id", "created_at", "escalation_level", "reopen_count", "repeat_count", "emotion",
        "customer__tier", "amount_claimed", "content", "priority", "red_channel", "needs_senior", "channel",
        "status"))
    by_customer: dict[int, list[datetime]] = defaultdict(list)
    escalations: dict[int, list[tuple[datetime, int]]] = defaultdict(list)
    for row in rows:
        by_customer[row["customer_id"]].append(row["created_at"])
        escalations[row["customer_id"]].append((row["created_at"], int(row["escalation_level"] >= 2)))
    return rows, by_customer, escalations


def _row(data: dict, at: datetime, times: list[datetime], escalated: list[tuple[datetime, int]]) -> Row:
    before = bisect.bisect_left(times, at)
    since_30 = bisect.bisect_left(times, at - 30 * DAY)
    since_90 = bisect.bisect_left(times, at - 90 * DAY)
    return Row(
        complaints_30d=before - since_30, complaints_90d=before - since_90,
        escalations_90d=sum(flag for when, flag in escalated[since_90:before] if when < at),
        repeat_count=data["repeat_count"], emotion=data["emotion"], vip=data["customer__tier"] == "vip",
        amount=float(data["amount_claimed"] or 0), text=data["content"], priority=data["priority"],
        red_channel=data["red_channel"], needs_senior=data["needs_senior"], channel=data["channel"],
    )


def risk_dataset(*, now: datetime) -> tuple[np.ndarray, dict[str, np.ndarray], list[int]]:
    """Every complaint created at least 30 days before ``now`` (its outcomes had time to happen), oldest
    first: features at intake and the outcomes seen since."""
    from kesu.surveys.models import Survey

    rows, by_customer, escalations = _history()
    negative = set(Survey.objects.filter(satisfaction__isnull=False, satisfaction__lte=2)
                   .values_list("complaint_id", flat=True))
    cutoff = now - 30 * DAY
    features, ids = [], []
    labels: dict[str, list[int]] = {name: [] for name in OUTCOMES}
    for data in rows:
        at = data["created_at"]
        if at > cutoff:
            break
        times = by_customer[data["customer_id"]]
        features.append(_row(data, at, times, escalations[data["customer_id"]]))
        after = bisect.bisect_right(times, at)
        outcome = {
            "escalation": int(data["escalation_level"] >= 2),
            "reopened": int(data["reopen_count"] > 0),
            "repeat_30d": int(after < len(times) and times[after] <= at + 30 * DAY),
            "negative_survey": int(data["id"] in negative),
        }
        outcome["any"] = int(any(outcome.values()))
        for name, value in outcome.items():
            labels[name].append(value)
        ids.append(data["id"])
    return matrix(features), {k: np.asarray(v) for k, v in labels.items()}, ids


def open_rows(complaint_ids: list[int] | None = None) -> tuple[list[int], np.ndarray]:
    """The open complaints (or the given ones, when open) with their intake features."""
    wanted = set(complaint_ids) if complaint_ids is not None else None
    customers = (set(Complaint.objects.filter(pk__in=wanted).values_list("customer_id", flat=True))
                 if wanted is not None else None)
    rows, by_customer, escalations = _history(customers)
    ids, features = [], []
    for data in rows:
        if data["status"] not in OPEN or (wanted is not None and data["id"] not in wanted):
            continue
        ids.append(data["id"])
        features.append(_row(data, data["created_at"], by_customer[data["customer_id"]],
                             escalations[data["customer_id"]]))
    return ids, matrix(features)
