"""What the customer portal reads: the link behind a token, and the customer's view of a complaint.

What a customer sees (docs/architecture.md, "The customer side": transparency without exposing the centre's inside):
- the number, a status in plain words, and when the next step is expected;
- the public part of the timeline: received, being handled, "we asked you for …" with its reason,
  resumed, resolved with the resolution, closed, reopened, combined with another complaint, their
  own messages and files, and our replies;
- never internal notes, triage, routing, transfers, SLA bookkeeping, escalations, other complaints'
  numbers, or any staff name (not even a first name: the customer deals with "the centre").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from kesu.complaints.models import Category, Complaint, ComplaintEvent, EventKind, Status
from kesu.portal.actions import token_digest
from kesu.portal.models import TrackingLink
from kesu.sla.selectors import complaint_clocks

TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,128}")

STATUS_WORDS = {
    Status.NEW: _("Received"),
    Status.ASSIGNED: _("Being handled"),
    Status.IN_PROGRESS: _("Being handled"),
    Status.PENDING_CUSTOMER: _("Waiting for your reply"),
    Status.RESOLVED: _("Resolved"),
    Status.CLOSED: _("Closed"),
}
EVENT_TITLES = {
    EventKind.CREATED: _("We received your complaint"),
    EventKind.ASSIGNED: _("Your complaint is being handled"),
    EventKind.PENDED: _("We asked you for more information"),
    EventKind.RESUMED: _("Handling resumed"),
    EventKind.RESOLVED: _("Resolved"),
    EventKind.CLOSED: _("Closed"),
    EventKind.REOPENED: _("Reopened"),
    EventKind.MERGED: _("Combined with another complaint about the same matter"),
    EventKind.CUSTOMER_MESSAGE: _("Your message"),
    EventKind.REPLY_SENT: _("Our reply"),
    EventKind.ATTACHMENT: _("File received"),
    EventKind.CUSTOMER_VERDICT: _("Your answer to the resolution"),
}
VERDICT_WORDS = {True: _("You confirmed that the problem is solved."),
                 False: _("You told us that the problem is not solved; we reopened your complaint.")}
RUNNING = ("ok", "warning", "breached")
# the centre's internal hand-over clocks: the customer's next step only while nobody has answered them
HAND_OVER = ("assignment", "acceptance", "transfer_acceptance")
ANSWERED = (EventKind.REPLY_SENT, EventKind.CONTACTED, EventKind.STARTED)
# each SLA clock's end, as the customer would say what happens next
STEP_WORDS = {
    "assignment": _("A handler takes up your complaint"),
    "acceptance": _("A handler takes up your complaint"),
    "transfer_acceptance": _("A handler takes up your complaint"),
    "first_response": _("We contact you"),
    "first_contact": _("We contact you"),
    "resolution": _("Your complaint is resolved"),
    "closure": _("Your complaint is closed"),
    "follow_up": _("We ask you how it went"),
    "incident": _("The known incident is expected to be over"),
}
# the process model's predicted next step, as the customer would say it (internal steps — a transfer, an
# escalation — and the customer's own are not promised: the page falls back to the SLA's next step)
PREDICTED_WORDS = {
    EventKind.ASSIGNED: STEP_WORDS["assignment"],
    EventKind.STARTED: _("A handler starts working on your complaint"),
    EventKind.PENDED: _("We may ask you for more information"),
    EventKind.RESOLVED: STEP_WORDS["resolution"],
    EventKind.CLOSED: STEP_WORDS["closure"],
}


def tracking_find(raw: str) -> TrackingLink | None:
    """The link behind a raw token, compared by digest; None for anything else (garbled or unknown)."""
    if not TOKEN_SHAPE.fullmatch(raw or ""):
        return None
    return TrackingLink.objects.select_related("complaint", "complaint__process_prediction").filter(digest=token_digest(raw)).first()


def portal_categories() -> list[Category]:
    """The top-level categories a customer may choose from."""
    return list(Category.objects.filter(is_active=True, parent__isnull=True))


@dataclass(frozen=True)
class PublicEvent:
    kind: str
    at: datetime
    title: str
    text: str = ""  # the customer's or our words, shown as they are
    files: tuple[str, ...] = ()


def _public(event: ComplaintEvent) -> PublicEvent | None:
    d: dict[str, Any] = event.data or {}
    kind = event.kind
    title = EVENT_TITLES.get(kind)
    if title is None:
        return None
    if kind == EventKind.ATTACHMENT:
        # files the customer sent (no staff member uploaded them); a staff upload may be internal
        if event.actor_id is not None:
            return None
        return PublicEvent(kind=kind, at=event.at, title=str(title), files=((d.get("attachment") or {}).get("name", ""),))
    text = {
        EventKind.PENDED: d.get("reason", ""),
        EventKind.RESOLVED: d.get("resolution", ""),
        EventKind.CUSTOMER_MESSAGE: d.get("text", ""),
        EventKind.REPLY_SENT: d.get("text", ""),
        EventKind.CUSTOMER_VERDICT: " ".join(
            part for part in (str(VERDICT_WORDS[bool(d.get("solved"))]), d.get("text", "")) if part
        ),
    }.get(kind, "")
    return PublicEvent(kind=kind, at=event.at, title=str(title), text=text or "")


@dataclass(frozen=True)
class NextStep:
    waiting_for_customer: bool = False
    done: bool = False
    due_at: datetime | None = None  # the earliest time still ahead at which a running clock is due
    what: str = ""  # what happens then, in the customer's words
    late: bool = False  # a running clock is past its due time
    predicted: bool = False  # ``due_at`` is the process model's estimate, not an SLA deadline


def _next_step(complaint: Complaint, events: list[ComplaintEvent], now: datetime) -> NextStep:
    if complaint.status == Status.PENDING_CUSTOMER:
        return NextStep(waiting_for_customer=True)
    if complaint.status in (Status.RESOLVED, Status.CLOSED):
        return NextStep(done=True)
    clocks = complaint_clocks(complaint, now=now, events=events)
    waits_until = (clocks or {}).get("incident_due_at")
    if waits_until is not None:  # it waits on a mass incident: its time is the incident's
        return NextStep(due_at=waits_until, what=str(STEP_WORDS["incident"]), late=waits_until <= now)
    running = [
        c for c in (clocks or {}).get("clocks", [])
        if c["state"] in RUNNING and c["due_at"] is not None and c["stopped_at"] is None
    ]
    if complaint.status != Status.NEW and _answered_since_hand_over(events):
        # a handler has taken it up and answered: "a handler takes up your complaint" is no longer true
        running = [c for c in running if c["clock"] not in HAND_OVER]
    late = any(c["due_at"] <= now for c in running)
    predicted = _predicted_step(complaint, events, now)
    if predicted is not None:
        return NextStep(due_at=predicted[0], what=predicted[1], late=late, predicted=True)
    ahead = sorted((c for c in running if c["due_at"] > now), key=lambda c: c["due_at"])
    if not ahead:
        return NextStep(late=late)
    step = ahead[0]
    return NextStep(due_at=step["due_at"], what=str(STEP_WORDS.get(step["clock"], "")), late=late)


def _predicted_step(complaint: Complaint, events: list[ComplaintEvent], now: datetime) -> tuple[datetime, str] | None:
    """(when, what) of the process model's stored prediction while it is fresh — no lifecycle step since it
    was made — and still ahead (a time gone by is no promise); ``None`` otherwise."""
    from django.core.exceptions import ObjectDoesNotExist

    from kesu.workforce.page_data import LIFECYCLE

    try:
        prediction = complaint.process_prediction  # read with the tracking link (no query of its own)
    except ObjectDoesNotExist:
        return None
    words = PREDICTED_WORDS.get(prediction.next_activity)
    if words is None or prediction.next_at is None or prediction.next_at <= now:
        return None
    if sum(event.kind in LIFECYCLE for event in events) != prediction.events:
        return None
    return prediction.next_at, str(words)


def _answered_since_hand_over(events: list[ComplaintEvent]) -> bool:
    """A handler started, contacted or replied since the latest assignment or transfer."""
    for event in reversed(events):
        if event.kind in ANSWERED:
            return True
        if event.kind in (EventKind.ASSIGNED, EventKind.TRANSFERRED):
            return False
    return False


@dataclass(frozen=True)
class TrackingView:
    complaint: Complaint
    status_words: str
    events: list[PublicEvent]
    next_step: NextStep
    waiting_for: str  # the reason of the latest request for information, while we wait for it
    survey_url: str | None
    verdict_open: bool = False  # resolved, not closed, and the customer has not answered yet


def _survey_url(complaint: Complaint) -> str | None:
    """The satisfaction survey's link, once the surveys app provides ``survey_url``."""
    if complaint.status not in (Status.RESOLVED, Status.CLOSED):
        return None
    try:
        from kesu.surveys import selectors as surveys
    except ImportError:
        return None
    survey_url = getattr(surveys, "survey_url", None)
    return survey_url(complaint) if callable(survey_url) else None


def tracking_view(complaint: Complaint, *, now: datetime) -> TrackingView:
    """The customer's view of ``complaint`` at ``now`` (one query for the events)."""
    events = list(ComplaintEvent.objects.filter(complaint=complaint).order_by("at", "id"))
    public = [p for p in (_public(e) for e in events) if p is not None]
    waiting_for = ""
    if complaint.status == Status.PENDING_CUSTOMER:
        pended = [e for e in events if e.kind == EventKind.PENDED]
        waiting_for = (pended[-1].data or {}).get("reason", "") if pended else ""
    return TrackingView(
        complaint=complaint,
        status_words=str(STATUS_WORDS.get(complaint.status, complaint.status)),
        events=public,
        next_step=_next_step(complaint, events, now),
        waiting_for=waiting_for,
        survey_url=_survey_url(complaint),
        verdict_open=complaint.status == Status.RESOLVED and not any(
            e.kind == EventKind.CUSTOMER_VERDICT and (e.data or {}).get("cycle") == complaint.reopen_count
            for e in events
        ),
    )
