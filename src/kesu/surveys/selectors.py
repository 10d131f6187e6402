"""Reads of surveys and follow-up visits: the link of a complaint's survey, task lists, and the
satisfaction and follow-up coverage metrics."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Avg, Count, Exists, F, OuterRef, Q, QuerySet

from kesu.complaints.models import Channel, Complaint, ComplaintEvent, EventKind, Status
from kesu.core.models import Group, User
from kesu.portal.models import TrackingLink
from kesu.surveys.actions import survey_path, token_digest
from kesu.surveys.models import FollowUpTask, Survey


def survey_for_token(token: str) -> Survey | None:
    return Survey.objects.select_related("complaint").filter(digest=token_digest(token or "")).first()


def survey_current(complaint: Complaint) -> Survey | None:
    """The survey of the complaint's latest closing (answered or not), or None."""
    return Survey.objects.filter(complaint=complaint, superseded_at__isnull=True).order_by("-cycle").first()


def survey_url(complaint: Complaint) -> str | None:
    """The path of the complaint's survey page (``/survey/<token>/``) for the tracking page, or None
    when no closing has sent one. The token is recomputed from the survey's salt and SECRET_KEY."""
    survey = survey_current(complaint)
    return survey_path(survey) if survey is not None else None


def open_tasks_filter() -> Q:
    """Tasks still to do: not done, and their closing still stands (a reopen retires them)."""
    return Q(done_at__isnull=True, complaint__status__in=(Status.RESOLVED, Status.CLOSED),
             cycle=F("complaint__reopen_count"))


def follow_up_tasks_for(*, user: User) -> QuerySet[FollowUpTask]:
    """Open follow-up tasks of ``user`` and of the groups they work in, soonest due first."""
    groups = Group.objects.filter(handlers__user=user)
    return (
        FollowUpTask.objects.filter(open_tasks_filter())
        .filter(Q(assignee=user) | Q(complaint__group__in=groups))
        .select_related("complaint", "complaint__customer", "assignee")
        .order_by(F("due_at").asc(nulls_last=True), "pk")
    )


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def follow_up_coverage(*, start: datetime, end: datetime) -> dict:
    """Of the complaints closed in [start, end), how many got a follow-up visit (at any time after)."""
    closed = ComplaintEvent.objects.filter(kind=EventKind.CLOSED, at__gte=start, at__lt=end)
    closed_ids = set(closed.values_list("complaint_id", flat=True))
    followed = set(
        ComplaintEvent.objects.filter(kind=EventKind.FOLLOWED_UP, complaint_id__in=closed.values("complaint_id"), at__gte=start)
        .values_list("complaint_id", flat=True)
    )
    return {"resolved": len(closed_ids), "followed_up": len(followed & closed_ids),
            "rate": _rate(len(followed & closed_ids), len(closed_ids))}


def satisfaction_summary(*, start: datetime, end: datetime) -> dict:
    """Surveys sent in [start, end) that reached the customer: how many were answered, the mean
    satisfaction (1–5) and the NPS (% promoters 9–10 minus % detractors 0–6, of the answers that gave a
    score).

    A survey reached the customer when it was e-mailed, or its complaint has a tracking link (the
    survey is on the tracking page), or it was answered. The others (``unreachable``: a phone, chat or
    SMS complaint without a tracking link) are not counted as sent. ``link_only``: of the sent, those
    not e-mailed, only on the tracking page."""
    created = Survey.objects.filter(sent_at__gte=start, sent_at__lt=end).annotate(
        tracked=Exists(TrackingLink.objects.filter(complaint_id=OuterRef("complaint_id")))
    )
    emailed = Q(channel=Channel.EMAIL)
    reachable = emailed | Q(tracked=True) | Q(answered_at__isnull=False)
    unreachable = created.exclude(reachable).count()
    sent = created.filter(reachable)
    totals = sent.aggregate(
        sent=Count("pk"),
        link_only=Count("pk", filter=~emailed),
        answered=Count("pk", filter=Q(answered_at__isnull=False)),
        csat=Avg("satisfaction", filter=Q(answered_at__isnull=False)),
        scored=Count("pk", filter=Q(nps__isnull=False)),
        promoters=Count("pk", filter=Q(nps__gte=9)),
        detractors=Count("pk", filter=Q(nps__lte=6)),
        reopened=Count("pk", filter=Q(reopened=True)),
    )
    nps = round(100 * (totals["promoters"] - totals["detractors"]) / totals["scored"], 1) if totals["scored"] else None
    return {
        "sent": totals["sent"], "link_only": totals["link_only"], "unreachable": unreachable,
        "answered": totals["answered"],
        "response_rate": _rate(totals["answered"], totals["sent"]),
        "csat_mean": round(totals["csat"], 2) if totals["csat"] is not None else None,
        "nps": nps, "reopened": totals["reopened"],
    }
