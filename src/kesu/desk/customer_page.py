"""The customer's 360° page and the customer list: who the customer is (identities, tier, age group),
every complaint across channels, and one timeline of complaints, calls, e-mails, survey answers and
compensation. Reads only (selectors); a fixed number of queries however long the history is."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import Avg, Count, Prefetch, Q, Sum

from kesu.complaints.models import Complaint, Status
from kesu.customers.models import Customer
from kesu.customers.selectors import customer_get, customer_search
from kesu.desk.selectors import HistoryEntry, customer_history

CUSTOMERS_PER_PAGE = 50
# the page lists every complaint in its table; the timeline shows the newest entries of every kind
# (older complaints stay in the table; a 500-complaint customer's page keeps under 300 ms)
TIMELINE_LIMIT = 100
COMPLAINTS_PER_PAGE = 50
OPEN = (Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS, Status.PENDING_CUSTOMER)


def customer_list(*, q: str = "", page: str | int | None = 1) -> Page:
    """Customers matching ``q`` (a name, a phone or e-mail fragment), newest first, with their number
    of complaints and of open ones — counted for the page's customers only (one grouped query), so
    the list costs the same in a centre of a million complaints."""
    from kesu.customers.models import CustomerIdentity

    customers = Customer.objects.prefetch_related(
        Prefetch("identities", queryset=CustomerIdentity.objects.order_by("kind", "value"))
    ).order_by("-id")
    if q.strip():
        customers = customers.filter(id__in=customer_search(q=q).values("id"))
    listed = Paginator(customers, CUSTOMERS_PER_PAGE).get_page(page)
    rows = {
        row["customer_id"]: row
        for row in Complaint.objects.filter(customer_id__in=[c.pk for c in listed])
        .values("customer_id").annotate(n=Count("id"), open=Count("id", filter=Q(status__in=OPEN)))
    }
    for customer in listed:
        customer.complaint_count = rows.get(customer.pk, {}).get("n", 0)
        customer.open_count = rows.get(customer.pk, {}).get("open", 0)
    return listed


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
    complaints: Page  # one page of the customer's complaints, newest first
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


def _figures(customer: Customer) -> tuple[CustomerFigures, list[tuple[str, int]]]:
    """The customer's figures over their whole history, by aggregate queries (not by rows)."""
    from kesu.calls.models import Call
    from kesu.channels.models import InboundMessage, OutboundMessage
    from kesu.compensation.models import Proposal
    from kesu.complaints.models import Channel
    from kesu.surveys.models import Survey

    complaints = Complaint.objects.filter(customer=customer)
    counts = complaints.aggregate(
        complaints=Count("id"), open=Count("id", filter=Q(status__in=OPEN)),
        reopened=Count("id", filter=Q(reopen_count__gt=0)), repeats=Count("id", filter=Q(repeat_count__gt=0)),
        red_channel=Count("id", filter=Q(red_channel=True)),
    )
    surveys = Survey.objects.filter(complaint__customer=customer, answered_at__isnull=False).aggregate(
        n=Count("id"), mean=Avg("satisfaction"))
    figures = CustomerFigures(
        **counts,
        surveys=surveys["n"],
        satisfaction=round(float(surveys["mean"]), 2) if surveys["mean"] is not None else None,
        compensation_total=Proposal.objects.filter(complaint__customer=customer, status="approved")
        .aggregate(total=Sum("amount"))["total"] or Decimal("0"),
        calls=Call.objects.filter(customer=customer).count(),
        emails=InboundMessage.objects.filter(complaint__customer=customer).count()
        + OutboundMessage.objects.filter(complaint__customer=customer).count(),
    )
    labels = dict(Channel.choices)
    channels = [(str(labels.get(row["channel"], row["channel"])), row["n"])
                for row in complaints.values("channel").annotate(n=Count("id")).order_by("-n", "channel")]
    return figures, channels


def customer_profile(*, customer_id: int, page: str | int | None = 1) -> CustomerProfile | None:
    """Everything the centre knows of one customer: figures over the whole history, one page of
    complaints (newest first) and the newest entries of the timeline, in a fixed number of queries."""
    customer = customer_get(customer_id=customer_id)
    if customer is None:
        return None
    complaints = Paginator(
        Complaint.objects.filter(customer=customer)
        .select_related("category", "assignee", "group")
        .only("id", "number", "channel", "subject", "content", "status", "created_at", "reopen_count",
              "red_channel", "category__code", "category__name_zh", "category__name_en", "assignee__username",
              "assignee__display_name", "group__name", "customer_id")
        .order_by("-created_at", "-id"),
        COMPLAINTS_PER_PAGE,
    ).get_page(page)
    timeline = customer_history(customer, limit=TIMELINE_LIMIT) + _compensation_entries(customer, TIMELINE_LIMIT)
    timeline.sort(key=lambda entry: entry.at, reverse=True)
    figures, channels = _figures(customer)
    return CustomerProfile(
        customer=customer, age_group=_age_group(customer), complaints=complaints,
        timeline=timeline[:TIMELINE_LIMIT], figures=figures, channels=channels,
    )
