"""Reads of customers."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet

from kesu.customers.models import Customer, CustomerIdentity


def customer_search(*, q: str = "") -> QuerySet[Customer]:
    customers = Customer.objects.annotate(complaint_count=Count("complaints")).prefetch_related(
        Prefetch("identities", queryset=CustomerIdentity.objects.order_by("kind", "value"))
    )
    q = q.strip()
    if q:
        handle = q.lower().replace(" ", "").replace("-", "")
        matching = CustomerIdentity.objects.filter(value__icontains=handle).values("customer_id")
        customers = customers.filter(Q(name__icontains=q) | Q(id__in=matching))
    return customers.order_by("-id")


def customer_get(*, customer_id: int) -> Customer | None:
    return customer_search().filter(id=customer_id).first()
