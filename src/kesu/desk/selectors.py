"""Reads of the desk: the templates that fit a complaint, the customer's history across channels,
and the suggestions (solution articles, similar resolved complaints) ranked for a complaint.

Each reader is a fixed number of queries, whatever the number of rows (the detail page's query
count test holds them to it)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Q

from kesu.complaints.models import Category, Complaint, Status
from kesu.complaints.taxonomy import FALLBACK_SERVICE_TYPE
from kesu.customers.models import Customer
from kesu.desk.models import ResponseTemplate, SuggestionFeedback, SuggestionKind
from kesu.triage.similarity import shingles, similarity

HISTORY_LIMIT = 12  # rows of each source; the panel shows the newest HISTORY_LIMIT of them all
# the candidates compared with a complaint: the newest resolved of its own category, and the newest
# resolved of any (desk.selectors.similar_resolved)
SIMILAR_SAME_CATEGORY = 200
SIMILAR_RECENT = 100
SIMILAR_LIMIT = 3
SIMILAR_MIN_SCORE = 0.12
SAME_CATEGORY_BONUS = 0.1
ARTICLE_LIMIT = 4


def service_type_from(category: Category | None, categories_by_id: dict[int, Category] | None = None) -> str:
    """``taxonomy.service_type_of`` walking the parents through rows in hand (no query) when given."""
    seen = 0
    while category is not None and seen < 10:
        if category.service_type:
            return category.service_type
        if category.parent_id is None:
            break
        category = (categories_by_id or {}).get(category.parent_id) or category.parent
        seen += 1
    return FALLBACK_SERVICE_TYPE


def templates_for(*, severity: str, service_type: str, language: str = "") -> list[ResponseTemplate]:
    """Active templates for a severity × service type: exact matches first, then those that take any
    severity or type; the page's language first. One query."""
    rows = ResponseTemplate.objects.filter(
        Q(severity=severity) | Q(severity=""), Q(service_type=service_type) | Q(service_type=""), active=True
    )

    def rank(template: ResponseTemplate) -> tuple:
        return (
            template.language != language,
            template.severity == "",
            template.service_type == "",
            template.name,
            template.pk,
        )

    return sorted(rows, key=rank)


@dataclass
class HistoryEntry:
    kind: str  # complaint | email_in | email_out | survey | call
    at: datetime
    complaint_id: int | None = None
    number: str = ""
    title: str = ""
    text: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def _calls_for_customer():
    """The calls selector of kesu.calls, when that app provides it."""
    try:
        from kesu.calls.selectors import calls_for_customer
    except ImportError:
        return None
    return calls_for_customer


def customer_history(customer: Customer, *, exclude_complaint: Complaint | None = None,
                     limit: int = HISTORY_LIMIT) -> list[HistoryEntry]:
    """What the customer said and was told elsewhere: earlier complaints (status, resolution), e-mails
    in and out, survey answers and calls, newest first. The current complaint is left out (its own
    timeline shows it). Four queries, five with calls."""
    from kesu.channels.models import InboundMessage, OutboundMessage
    from kesu.surveys.models import Survey

    skip = exclude_complaint.pk if exclude_complaint is not None else None
    entries: list[HistoryEntry] = []
    complaints = (
        Complaint.objects.filter(customer=customer).exclude(pk=skip)
        .only("id", "number", "channel", "subject", "content", "status", "resolution", "root_cause",
              "created_at", "resolved_at")
        .order_by("-created_at", "-id")[:limit]
    )
    for c in complaints:
        entries.append(HistoryEntry(
            kind="complaint", at=c.created_at, complaint_id=c.pk, number=c.number,
            title=c.subject or c.content[:60], text=c.resolution,
            extra={"status": c.status, "status_label": c.get_status_display(), "channel": c.get_channel_display(),
                   "root_cause": c.get_root_cause_display() if c.root_cause else ""},
        ))
    inbound = (
        InboundMessage.objects.filter(complaint__customer=customer).exclude(complaint_id=skip)
        .select_related("complaint").only("id", "subject", "from_address", "received_at", "complaint__number")
        .order_by("-received_at", "-id")[:limit]
    )
    for message in inbound:
        entries.append(HistoryEntry(
            kind="email_in", at=message.received_at, complaint_id=message.complaint_id,
            number=message.complaint.number, title=message.subject, extra={"address": message.from_address},
        ))
    outbound = (
        OutboundMessage.objects.filter(complaint__customer=customer).exclude(complaint_id=skip)
        .select_related("complaint")
        .only("id", "channel", "subject", "to", "body", "created_at", "state", "complaint__number")
        .order_by("-created_at", "-id")[:limit]
    )
    for message in outbound:
        entries.append(HistoryEntry(
            kind="email_out", at=message.created_at, complaint_id=message.complaint_id,
            number=message.complaint.number, title=message.subject, text=message.body[:200],
            extra={"address": message.to, "state": message.get_state_display(), "sms": message.channel == "sms"},
        ))
    surveys = (
        Survey.objects.filter(complaint__customer=customer, answered_at__isnull=False).exclude(complaint_id=skip)
        .select_related("complaint")
        .only("id", "answered_at", "satisfaction", "nps", "solved", "comment", "complaint__number")
        .order_by("-answered_at", "-id")[:limit]
    )
    for survey in surveys:
        entries.append(HistoryEntry(
            kind="survey", at=survey.answered_at, complaint_id=survey.complaint_id,
            number=survey.complaint.number, text=survey.comment,
            extra={"satisfaction": survey.satisfaction, "nps": survey.nps, "solved": survey.solved},
        ))
    calls_for_customer = _calls_for_customer()
    if calls_for_customer is not None:
        for call in calls_for_customer(customer, limit):
            if skip is not None and getattr(call, "complaint_id", None) == skip:
                continue
            complaint = getattr(call, "complaint", None) if getattr(call, "complaint_id", None) else None
            entries.append(HistoryEntry(
                kind="call", at=call.started_at, complaint_id=getattr(call, "complaint_id", None),
                number=complaint.number if complaint is not None else "",
                text=(getattr(call, "transcript", "") or "")[:200],
                extra={"direction": getattr(call, "direction", ""), "number": getattr(call, "number", ""),
                       "duration": getattr(call, "duration_seconds", None)},
            ))
    entries.sort(key=lambda entry: entry.at, reverse=True)
    return entries[:limit]


@dataclass
class SimilarComplaint:
    complaint: Complaint
    score: float
    same_customer: bool


def _newest_resolved(complaint: Complaint, *, same_category: bool, limit: int) -> list[Complaint]:
    """The newest ``limit`` complaints with a resolution time (of the complaint's category, or of none
    when it has none, if ``same_category``), read in the order of an index
    (``complaint_category_resolved`` / ``complaint_resolved_newest``) and cut by LIMIT: the cost is ``limit`` index entries, whatever the size of the history. Nothing in the WHERE
    clause matches another index better (the status is checked here, not in SQL: an equality on
    ``status`` made SQLite, which keeps no statistics, pick the status index and sort every closed
    complaint)."""
    rows = Complaint.objects.filter(resolved_at__isnull=False).exclude(pk=complaint.pk)
    if same_category:
        rows = rows.filter(category_id=complaint.category_id)  # IS NULL for an uncategorised one
    rows = rows.only(
        "id", "number", "subject", "content", "resolution", "root_cause", "category_id", "customer_id",
        "resolved_at", "status", "created_at", "merged_into_id",
    ).order_by("-resolved_at", "-id")[:limit]
    return [row for row in rows
            if row.status in (Status.RESOLVED, Status.CLOSED) and row.merged_into_id is None and row.resolution]


def similar_resolved(complaint: Complaint, *, limit: int = SIMILAR_LIMIT) -> list[SimilarComplaint]:
    """Resolved (or closed) complaints whose text is most like this one's, with their resolution: the
    same overlap measure triage uses for repeats, a bonus for the same category.

    The candidates are bounded, never the history: the newest ``SIMILAR_SAME_CATEGORY`` resolved of
    the complaint's category and the newest ``SIMILAR_RECENT`` resolved of any, each read through an
    index (two queries)."""
    candidates: dict[int, Complaint] = {}
    for row in _newest_resolved(complaint, same_category=True, limit=SIMILAR_SAME_CATEGORY):
        candidates[row.pk] = row
    for row in _newest_resolved(complaint, same_category=False, limit=SIMILAR_RECENT):
        candidates.setdefault(row.pk, row)
    mine = shingles(f"{complaint.subject} {complaint.content}")
    scored = []
    for other in candidates.values():
        score = similarity(mine, shingles(f"{other.subject} {other.content}"))
        if complaint.category_id and other.category_id == complaint.category_id:
            score += SAME_CATEGORY_BONUS
        if score >= SIMILAR_MIN_SCORE:
            scored.append(SimilarComplaint(other, round(min(score, 1.0), 2), other.customer_id == complaint.customer_id))
    scored.sort(key=lambda s: (-s.score, -(s.complaint.resolved_at or s.complaint.created_at).timestamp()))
    return scored[:limit]


def suggestions(complaint: Complaint, *, by=None) -> dict[str, Any]:
    """Solution articles and similar resolved complaints for the composer, each with what this
    complaint's handlers already said of it. Five queries (articles: two, similar: two)."""
    from kesu.knowledge.selectors import articles_for_complaint

    articles = articles_for_complaint(complaint, limit=ARTICLE_LIMIT)
    similar = similar_resolved(complaint)
    verdicts: dict[tuple[str, int], str] = {}
    for row in SuggestionFeedback.objects.filter(complaint=complaint).only(
        "kind", "article_id", "similar_id", "verdict"
    ):
        target = row.article_id if row.kind == SuggestionKind.ARTICLE else row.similar_id
        if target is not None:
            verdicts[(row.kind, target)] = row.verdict
    return {
        "articles": [{"article": a, "verdict": verdicts.get((SuggestionKind.ARTICLE, a.pk), "")} for a in articles],
        "similar": [{"item": s, "verdict": verdicts.get((SuggestionKind.SIMILAR, s.complaint.pk), "")}
                    for s in similar],
    }
