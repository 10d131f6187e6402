"""Reads of customers."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from kesu.core.errors import FieldError
from kesu.customers.identities import phone_normalise
from kesu.customers.models import Customer, CustomerIdentity


def _handle_match(q: str) -> Q:
    """A handle containing ``q`` as typed, without spaces and dashes (phone fragments), or as a phone."""
    forms = {q.lower(), q.lower().replace(" ", "").replace("-", "")}
    try:
        forms.add(phone_normalise(q))  # "+86 138-0013-8000" finds 13800138000
    except FieldError:
        pass
    match = Q()
    for form in sorted(forms):
        match |= Q(value__icontains=form)
    return match


def customer_search(*, q: str = "") -> QuerySet[Customer]:
    customers = Customer.objects.annotate(complaint_count=Count("complaints")).prefetch_related(
        Prefetch("identities", queryset=CustomerIdentity.objects.order_by("kind", "value"))
    )
    q = q.strip()
    if q:
        matching = CustomerIdentity.objects.filter(_handle_match(q)).values("customer_id")
        customers = customers.filter(Q(name__icontains=q) | Q(id__in=matching))
    return customers.order_by("-id")


def customer_get(*, customer_id: int) -> Customer | None:
    return customer_search().filter(id=customer_id).first()
