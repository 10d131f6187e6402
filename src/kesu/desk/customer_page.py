"""The customer's 360° page and the customer list: who the customer is (identities, tier, age group),
every complaint across channels, and one timeline of complaints, calls, e-mails, survey answers and
compensation. Reads only (selectors); a fixed number of queries however long the history is."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q

from kesu.complaints.models import Complaint, Status
from kesu.customers.models import Customer
from kesu.customers.selectors import customer_get, customer_search
from kesu.desk.selectors import HistoryEntry, customer_history

CUSTOMERS_PER_PAGE = 50
# the page shows every complaint; the timeline the latest entries of each kind
TIMELINE_LIMIT = 1_000
OPEN = (Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS, Status.PENDING_CUSTOMER)


def customer_list(*, q: str = "", page: str | int | None = 1) -> Page:
    """Customers matching ``q`` (a name, a phone or e-mail fragment), newest first, with their number
    of complaints and of open ones."""
    customers = customer_search(q=q).annotate(
        open_count=Count("complaints", filter=Q(complaints__status__in=OPEN)),
    )
    return Paginator(customers, CUSTOMERS_PER_PAGE).get_page(page)


@dataclass
class CustomerFigures:
    complaints: int = 0
    open: int = 0
    reopened: int = 0  # complaints reopened at least once
    repeats: int = 0  # complaints flagged as a repeat of an earlier one
    red_channel: int = 0
    satisfaction: float | None = None  # mean of the answered surveys
    surveys: int = 0
    compensation_total: Decimal = Decimal("0")  # approved
    calls: int = 0
    emails: int = 0


@dataclass
class CustomerProfile:
    customer: Customer
    age_group: str
    complaints: list[Complaint]
    timeline: list[HistoryEntry]
    figures: CustomerFigures
    channels: list[tuple[str, int]] = field(default_factory=list)  # (channel label, complaints)


def _compensation_entries(customer: Customer, limit: int) -> list[HistoryEntry]:
    from kesu.compensation.models import Proposal

    proposals = (
        Proposal.objects.filter(complaint__customer=customer).select_related("complaint")
        .only("id", "amount", "remedy", "status", "created_at", "complaint__number")
        .order_by("-created_at", "-id")[:limit]
    )
    return [
        HistoryEntry(kind="compensation", at=p.created_at, complaint_id=p.complaint_id, number=p.complaint.number,
                     title=p.remedy, extra={"amount": p.amount, "status": p.status,
                                            "status_label": p.get_status_display()})
        for p in proposals
    ]


def _age_group(customer: Customer) -> str:
    """The customer's age group, once the analytics app adds it to the model ("" until then)."""
    value = getattr(customer, "age_group", "") or ""
    display = getattr(customer, "get_age_group_display", None)
    return str(display()) if value and callable(display) else str(value)


def customer_profile(*, customer_id: int) -> CustomerProfile | None:
    """Everything the centre knows of one customer."""
    customer = customer_get(customer_id=customer_id)
    if customer is None:
        return None
    complaints = list(
        Complaint.objects.filter(customer=customer)
        .select_related("category", "assignee", "group")
        .only("id", "number", "channel", "subject", "content", "status", "priority", "severity", "created_at",
              "resolved_at", "closed_at", "reopen_count", "repeat_count", "red_channel", "category__code",
              "category__name_zh", "category__name_en", "assignee__username", "assignee__display_name",
              "group__name", "customer_id")
        .order_by("-created_at", "-id")
    )
    timeline = customer_history(customer, limit=TIMELINE_LIMIT) + _compensation_entries(customer, TIMELINE_LIMIT)
    timeline.sort(key=lambda entry: entry.at, reverse=True)
    figures = CustomerFigures(
        complaints=len(complaints),
        open=sum(1 for c in complaints if c.status in OPEN),
        reopened=sum(1 for c in complaints if c.reopen_count),
        repeats=sum(1 for c in complaints if c.repeat_count),
        red_channel=sum(1 for c in complaints if c.red_channel),
    )
    scores = [e.extra["satisfaction"] for e in timeline if e.kind == "survey" and e.extra.get("satisfaction") is not None]
    figures.surveys = len(scores)
    figures.satisfaction = round(sum(scores) / len(scores), 2) if scores else None
    figures.compensation_total = sum(
        (e.extra["amount"] for e in timeline if e.kind == "compensation" and e.extra["status"] == "approved"),
        Decimal("0"),
    )
    figures.calls = sum(1 for e in timeline if e.kind == "call")
    figures.emails = sum(1 for e in timeline if e.kind in ("email_in", "email_out"))
    by_channel: dict[str, int] = {}
    for c in complaints:
        label = str(c.get_channel_display())
        by_channel[label] = by_channel.get(label, 0) + 1
    return CustomerProfile(
        customer=customer, age_group=_age_group(customer), complaints=complaints, timeline=timeline,
        figures=figures, channels=sorted(by_channel.items(), key=lambda item: -item[1]),
    )

