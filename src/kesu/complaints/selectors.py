"""Reads of complaints: each list does its joins once, so its query count is fixed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import F, Prefetch, Q, QuerySet

from kesu.complaints.models import Channel, Complaint, ComplaintEvent, Status
from kesu.core.errors import FieldError
from kesu.customers.identities import phone_normalise
from kesu.customers.models import CustomerIdentity


@dataclass(frozen=True)
class ComplaintFilters:
    status: str = ""
    channel: str = ""
    category: str = ""
    group: str = ""
    assignee: str = ""
    customer_id: int | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    q: str = ""
    sort: str = ""  # a key of SORTS; empty: newest first
    # the analytics pages' click-through (issue 12): a region prefix (province), product, root cause
    region: str = ""
    product: str = ""
    root_cause: str = ""


# the orders a list can take: name → ORDER BY (the last term makes the order total, for paging).
# "due": the next SLA deadline first, complaints without one last.
SORTS: dict[str, tuple[str, ...]] = {
    "newest": ("-created_at", "-id"),
    "oldest": ("created_at", "id"),
    "due": ("sla_deadline_at", "id"),
    "priority": ("priority", "-created_at", "-id"),
}


def _order(sort: str) -> list:
    if not sort:
        return list(SORTS["newest"])
    if sort not in SORTS:
        raise FieldError("sort", "field.unknown", value=sort, choices=list(SORTS))
    if sort == "due":
        return [F("sla_deadline_at").asc(nulls_last=True), "id"]
    return list(SORTS[sort])


def _handle_forms(q: str) -> list[str]:
    """How ``q`` would be stored as a handle: as typed (lower case) and, if it reads as one, as a phone."""
    forms = [q.lower()]
    try:
        forms.append(phone_normalise(q))  # "+86 138-0013-8000" finds 13800138000
    except FieldError:
        pass
    return forms


def _choices(field: str, value: str, allowed: list[str]) -> list[str]:
    """A comma list of choices, checked: an unknown value is an error, not an empty result."""
    values = [v.strip() for v in value.split(",") if v.strip()]
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise FieldError(field, "field.unknown", value=unknown, choices=list(allowed))
    return values


def complaint_list(*, filters: ComplaintFilters, within: Q | None = None) -> QuerySet[Complaint]:
    """The complaints ``filters`` select, in their sort order; ``within``: a further condition (a
    queue's, see queues/definitions.py)."""
    complaints = Complaint.objects.select_related("customer", "category", "group", "assignee", "merged_into", "risk")
    if within is not None:
        complaints = complaints.filter(within)
    if filters.status:
        complaints = complaints.filter(status__in=_choices("status", filters.status, Status.values))
    if filters.channel:
        complaints = complaints.filter(channel__in=_choices("channel", filters.channel, Channel.values))
    if filters.category:
        # a parent category matches its children too
        complaints = complaints.filter(
            Q(category__code=filters.category) | Q(category__parent__code=filters.category)
        )
    if filters.group:
        complaints = complaints.filter(group__code=filters.group)
    if filters.assignee:
        if filters.assignee == "none":
            complaints = complaints.filter(assignee__isnull=True)
        else:
            complaints = complaints.filter(assignee__username=filters.assignee)
    if filters.customer_id:
        complaints = complaints.filter(customer_id=filters.customer_id)
    if filters.created_from:
        complaints = complaints.filter(created_at__gte=filters.created_from)
    if filters.created_to:
        complaints = complaints.filter(created_at__lt=filters.created_to)
    if filters.region:
        complaints = complaints.filter(region__startswith=filters.region)
    if filters.product:
        complaints = complaints.filter(product=filters.product)
    if filters.root_cause:
        complaints = complaints.filter(root_cause=filters.root_cause)
    q = filters.q.strip()
    if q:
        handles = CustomerIdentity.objects.filter(value__in=_handle_forms(q)).values("customer_id")
        complaints = complaints.filter(
            Q(number__iexact=q)
            | Q(content__icontains=q)
            | Q(subject__icontains=q)
            | Q(customer__name=q)
            | Q(customer_id__in=handles)
            | Q(order_number=q)
        )
    return complaints.order_by(*_order(filters.sort))


def complaint_detail(*, complaint_id: int) -> Complaint | None:
    return (
        Complaint.objects.select_related(
            "customer", "category", "group", "assignee", "merged_into", "last_handler", "risk",
            "process_prediction",
        )
        .prefetch_related(
            Prefetch("events", queryset=ComplaintEvent.objects.select_related("actor").order_by("at", "id")),
            "attachments",
            "customer__identities",
        )
        .filter(pk=complaint_id)
        .first()
    )


def complaint_by_number(number: str) -> Complaint | None:
    return Complaint.objects.filter(number=number).first()
