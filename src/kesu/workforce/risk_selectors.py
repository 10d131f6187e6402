"""The rows and outcomes of the risk model, read from complaint history in bulk (few queries)."""

from __future__ import annotations

import bisect
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import lru_cache

import numpy as np

from kesu.complaints.models import Complaint, ComplaintEvent, EventKind, Status
from kesu.workforce.risk import OUTCOMES, THREAT, Progress, Row, matrix

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


def _row(data: dict, at: datetime, times: list[datetime], escalated: list[tuple[datetime, int]],
         progress: Progress | None = None) -> Row:
    created = data["created_at"]
    before = bisect.bisect_left(times, created)
    since_30 = bisect.bisect_left(times, created - 30 * DAY)
    since_90 = bisect.bisect_left(times, created - 90 * DAY)
    return Row(
        complaints_30d=before - since_30, complaints_90d=before - since_90,
        escalations_90d=sum(flag for when, flag in escalated[since_90:before] if when < created),
        repeat_count=data["repeat_count"], emotion=data["emotion"], vip=data["customer__tier"] == "vip",
        amount=float(data["amount_claimed"] or 0), text=data["content"], priority=data["priority"],
        red_channel=data["red_channel"], needs_senior=data["needs_senior"], channel=data["channel"],
        progress=progress or Progress(),
    )


# --- what happened since intake -------------------------------------------------------------------------

TRACKED = (EventKind.CUSTOMER_MESSAGE, EventKind.CALL, EventKind.CONTACTED, EventKind.REPLY_SENT,
           EventKind.REOPENED, EventKind.TRANSFERRED, EventKind.PENDED, EventKind.RESUMED, EventKind.RESOLVED,
           EventKind.CLOSED, EventKind.SLA_WARNED, EventKind.SLA_BREACHED, EventKind.ESCALATED)
CONTACT = (EventKind.CUSTOMER_MESSAGE, EventKind.CALL, EventKind.CONTACTED, EventKind.REPLY_SENT)
SNAPSHOT_HOURS = (4, 24, 72)  # the ages at which a past complaint is seen while learning


@dataclass
class Timeline:
    """One complaint's tracked events, oldest first: (at, kind, level of an escalation, anger of a message).
    ``threats``: when the customer's messages named a regulator, the media or a lawyer."""

    events: list[tuple[datetime, str, int, int]]
    threats: list[datetime] = field(default_factory=list)

    def done_at(self, at: datetime) -> bool:
        """Resolved or closed at ``at`` (and not reopened since)."""
        done = False
        for when, kind, _level, _anger in self.events:
            if when > at:
                break
            if kind in (EventKind.RESOLVED, EventKind.CLOSED):
                done = True
            elif kind == EventKind.REOPENED:
                done = False
        return done

    def level_at(self, at: datetime) -> int:
        return max((level for when, kind, level, _ in self.events if when <= at and kind == EventKind.ESCALATED),
                   default=0)

    def progress(self, created: datetime, at: datetime) -> Progress:
        messages = reopens = transfers = 0
        pending = warned = breached = False
        anger_max = anger_last = 0
        last_contact = created
        for when, kind, _level, anger in self.events:
            if when > at:
                break
            if kind in CONTACT:
                last_contact = when
            if kind == EventKind.CUSTOMER_MESSAGE:
                messages += 1
                anger_max, anger_last = max(anger_max, anger), anger
            elif kind == EventKind.REOPENED:
                reopens += 1
            elif kind == EventKind.TRANSFERRED:
                transfers += 1
            elif kind in (EventKind.PENDED, EventKind.RESUMED):
                pending = kind == EventKind.PENDED
            elif kind == EventKind.SLA_WARNED:
                warned = True
            elif kind == EventKind.SLA_BREACHED:
                breached = True
        return Progress(age_hours=(at - created).total_seconds() / 3600, customer_messages=messages,
                        hours_since_contact=(at - last_contact).total_seconds() / 3600, reopens=reopens,
                        transfers=transfers, pending=pending, sla_warned=warned, sla_breached=breached,
                        escalation_level=min(self.level_at(at), 1), anger_max=anger_max, anger_last=anger_last)

    def after(self, at: datetime, kind: str, min_level: int = 0) -> bool:
        return any(when > at and k == kind and level >= min_level for when, k, level, _ in self.events)

    def escalated_after(self, at: datetime) -> bool:
        """Escalation level 2 or more, or a threat of the regulator / media / lawyer, after ``at``."""
        return self.after(at, EventKind.ESCALATED, 2) or any(when > at for when in self.threats)


@lru_cache(maxsize=50_000)
def _anger(text: str) -> int:
    from kesu.triage.emotion import emotion_temperature

    return emotion_temperature(text or "").score


def timelines(complaint_ids: list[int] | None = None) -> dict[int, Timeline]:
    """The tracked events of the given complaints (all when ``None``), in two bulk queries."""
    query = ComplaintEvent.objects.filter(kind__in=TRACKED)
    if complaint_ids is not None:
        query = query.filter(complaint_id__in=complaint_ids)
    out: dict[int, Timeline] = defaultdict(lambda: Timeline([]))  # noqa: PIE807 - a fresh list each
    detail = {pk: data for pk, data in query.filter(kind__in=(EventKind.CUSTOMER_MESSAGE, EventKind.ESCALATED))
              .values_list("id", "data").iterator(chunk_size=5000)}
    for pk, complaint_id, kind, at in query.order_by("complaint_id", "at", "id").values_list(
            "id", "complaint_id", "kind", "at").iterator(chunk_size=5000):
        data = detail.get(pk) or {}
        level = int(data.get("level") or 0) if kind == EventKind.ESCALATED else 0
        text = str(data.get("text") or "") if kind == EventKind.CUSTOMER_MESSAGE else ""
        anger = _anger(text) if text else 0
        out[complaint_id].events.append((at, kind, level, anger))
        if text and THREAT.search(text):
            out[complaint_id].threats.append(at)
    return out


def risk_dataset(*, now: datetime) -> tuple[np.ndarray, dict[str, np.ndarray], list[int]]:
    """Every complaint created at least 30 days before ``now`` (its outcomes had time to happen), oldest
    first, seen at each age of ``SNAPSHOT_HOURS`` while it was open and below escalation level 2: its
    features at that moment and the outcomes seen after it. The returned ids are one per row (a complaint
    repeats for each of its snapshots; rows of one complaint are adjacent)."""
    from kesu.surveys.models import Survey

    rows, by_customer, escalations = _history()
    negative = set(Survey.objects.filter(satisfaction__isnull=False, satisfaction__lte=2)
                   .values_list("complaint_id", flat=True))
    cutoff = now - 30 * DAY
    kept = [data for data in rows if data["created_at"] <= cutoff]
    lines = timelines([data["id"] for data in kept]) if len(kept) < 20_000 else timelines()
    features, ids = [], []
    labels: dict[str, list[int]] = {name: [] for name in OUTCOMES}
    for data in kept:
        created = data["created_at"]
        times = by_customer[data["customer_id"]]
        line = lines.get(data["id"]) or Timeline([])
        after = bisect.bisect_right(times, created)
        next_complaint = times[after] if after < len(times) else None
        for hours in SNAPSHOT_HOURS:
            at = created + timedelta(hours=hours)
            if line.done_at(at) or line.level_at(at) >= 2 or any(when <= at for when in line.threats):
                continue
            features.append(_row(data, at, times, escalations[data["customer_id"]], line.progress(created, at)))
            outcome = {
                "escalation": int(line.escalated_after(at)),
                "reopened": int(line.after(at, EventKind.REOPENED)),
                "repeat_30d": int(next_complaint is not None and at < next_complaint <= created + 30 * DAY),
                "negative_survey": int(data["id"] in negative),
            }
            outcome["any"] = int(any(outcome.values()))
            for name, value in outcome.items():
                labels[name].append(value)
            ids.append(data["id"])
    return matrix(features), {k: np.asarray(v) for k, v in labels.items()}, ids


def open_rows(complaint_ids: list[int] | None = None, *, now: datetime) -> tuple[list[int], np.ndarray]:
    """The open complaints (or the given ones, when open) with their features as of ``now``."""
    wanted = set(complaint_ids) if complaint_ids is not None else None
    customers = (set(Complaint.objects.filter(pk__in=wanted).values_list("customer_id", flat=True))
                 if wanted is not None else None)
    rows, by_customer, escalations = _history(customers)
    chosen = [data for data in rows
              if data["status"] in OPEN and (wanted is None or data["id"] in wanted)]
    lines = timelines([data["id"] for data in chosen])
    ids, features = [], []
    for data in chosen:
        ids.append(data["id"])
        line = lines.get(data["id"]) or Timeline([])
        features.append(_row(data, now, by_customer[data["customer_id"]], escalations[data["customer_id"]],
                             line.progress(data["created_at"], now)))
    return ids, matrix(features)
