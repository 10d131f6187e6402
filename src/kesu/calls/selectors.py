"""Reads of calls, and the customer a number belongs to."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from kesu.calls.models import Call
from kesu.complaints.lifecycle import OPEN
from kesu.complaints.models import Complaint
from kesu.core.errors import FieldError
from kesu.core.models import User
from kesu.customers.identities import phone_normalise
from kesu.customers.models import Customer, IdentityKind


def number_normalised(number: str) -> str | None:
    """The stored form of a phone number, or None when it is not one."""
    try:
        return phone_normalise(number or "")
    except FieldError:
        return None


def customer_by_number(number: str) -> Customer | None:
    """The customer whose phone this is, however it is written (``+86 138-0013-8000``)."""
    value = number_normalised(number)
    if value is None:
        return None
    return Customer.objects.filter(identities__kind=IdentityKind.PHONE, identities__value=value).first()


def customer_open_complaints(customer: Customer, limit: int = 10) -> list[Complaint]:
    """The customer's open complaints, newest first: what a call may be attached to."""
    return list(
        Complaint.objects.filter(customer=customer, status__in=OPEN, merged_into__isnull=True)
        .select_related("category", "assignee")
        .order_by("-created_at", "-id")[:limit]
    )


def _with_relations(calls: QuerySet[Call]) -> QuerySet[Call]:
    return calls.select_related("customer", "complaint", "handled_by")


def calls_for_customer(customer: Customer, limit: int = 20) -> list[Call]:
    """The customer's latest calls, newest first (the desk's customer history)."""
    return list(_with_relations(Call.objects.filter(customer=customer)).order_by("-started_at", "-id")[:limit])


def calls_for_complaint(complaint: Complaint) -> list[Call]:
    """The calls logged on a complaint, oldest first (the order of its timeline)."""
    return list(
        Call.objects.filter(complaint=complaint).select_related("handled_by").order_by("started_at", "id")
    )


def call_list(*, number: str = "", handled_by: User | None = None) -> QuerySet[Call]:
    """Calls newest first; ``number`` matches a fragment of the number as typed or normalised."""
    calls = _with_relations(Call.objects.all())
    if handled_by is not None:
        calls = calls.filter(handled_by=handled_by)
    number = (number or "").strip()
    if number:
        forms = {number.replace(" ", "").replace("-", "")}
        normalised = number_normalised(number)
        if normalised:
            forms.add(normalised)
        match = Q()
        for form in sorted(forms):
            match |= Q(number__contains=form)
        calls = calls.filter(match)
    return calls.order_by("-started_at", "-id")
