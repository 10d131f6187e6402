"""Who sees personal data unmasked (issue 15 §1), and the masking of the API's dictionaries.

Handlers see full data on the complaints they may work on (``complaints/actors.py``): assigned to
them, in one of their groups (members, the group's lead, its department's manager; transferred
complaints belong to the group they were transferred to), not yet assigned (any handler may pick
it up), and the management layer and administrators on every complaint.
Everyone else — analysts, the decision layer, the data-protection officer, a handler of another
group — sees masked data. A masked value can be revealed one at a time with a reason (logged).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from kesu.core.models import Group, User
from kesu.core.roles import Permission, Role
from kesu.privacy.masking import email_mask, identity_mask, name_mask, phone_mask, text_mask, value_mask

MANAGEMENT = (Role.MANAGER, Role.ADMIN)


class Viewer:
    """One user's view of personal data; the group ids are read once per request."""

    def __init__(self, user: User | None) -> None:
        self.user = user
        self.system = user is None  # the CLI without --as, jobs: full data
        self.handles = bool(user and user.can(Permission.COMPLAINT_HANDLE))
        self.management = bool(user and self.handles and user.role in MANAGEMENT)
        self._groups: frozenset[int] | None = None
        self._customers: dict[int, bool] = {}

    @property
    def group_ids(self) -> frozenset[int]:
        if self._groups is None:
            if not self.handles or self.user is None:
                self._groups = frozenset()
            else:
                self._groups = frozenset(
                    Group.objects.filter(
                        Q(handlers__user=self.user) | Q(lead=self.user) | Q(department__manager=self.user)
                    ).values_list("pk", flat=True)
                )
        return self._groups

    def full_for_complaint(self, complaint: Any) -> bool:
        if self.system or self.management:
            return True
        if not self.handles or self.user is None:
            return False
        if complaint.assignee_id is None:  # in the pool: any handler may pick it up (complaints/actors.py)
            return True
        return complaint.assignee_id == self.user.pk or complaint.group_id in self.group_ids

    def full_for_customer(self, customer_id: int) -> bool:
        if customer_id not in self._customers:
            self.customers_prefetch([customer_id])
        return self._customers[customer_id]

    def customers_prefetch(self, customer_ids) -> None:
        """Decide for many customers in one query: full when the viewer may work on one of their
        complaints (assigned to them, in their groups, or not yet assigned)."""
        wanted = [c for c in customer_ids if c not in self._customers]
        if not wanted:
            return
        if self.system or self.management:
            self._customers.update(dict.fromkeys(wanted, True))
            return
        if not self.handles or self.user is None:
            self._customers.update(dict.fromkeys(wanted, False))
            return
        from kesu.complaints.models import Complaint

        full = set(
            Complaint.objects.filter(customer_id__in=wanted)
            .filter(Q(assignee=self.user) | Q(assignee__isnull=True) | Q(group_id__in=self.group_ids))
            .values_list("customer_id", flat=True).distinct()
        )
        self._customers.update({c: c in full for c in wanted})


def customer_names(body: dict[str, Any]) -> list[str]:
    customer = body.get("customer") or {}
    return [customer["name"]] if isinstance(customer, dict) and customer.get("name") else []


_TEXT_KEYS = ("subject", "content", "resolution", "transcript", "notes")


def complaint_body_mask(body: dict[str, Any]) -> dict[str, Any]:
    """A complaint (or call) dictionary as the API gives it, its personal data masked."""
    names = customer_names(body)
    masked = dict(body)
    if isinstance(masked.get("customer"), dict):
        masked["customer"] = {**masked["customer"], "name": name_mask(masked["customer"].get("name") or "")}
    for key in _TEXT_KEYS:
        if isinstance(masked.get(key), str):
            masked[key] = text_mask(masked[key], names)
    if masked.get("number") and body.get("direction"):  # a call: its number is the customer's phone
        masked["number"] = phone_mask(masked["number"])
    for key in ("timeline", "triage"):
        if key in masked:
            masked[key] = value_mask(masked[key], names)
    return masked


def customer_body_mask(body: dict[str, Any]) -> dict[str, Any]:
    masked = {**body, "name": name_mask(body.get("name") or "")}
    if "identities" in body:
        masked["identities"] = [{**i, "value": identity_mask(i["kind"], i["value"])} for i in body["identities"]]
    return masked


def _notice_full(notification: Any) -> bool:
    recipient = notification.recipient
    viewer = recipient.__dict__.get("_privacy_viewer")
    if viewer is None:  # one viewer per user object: a page of notices reads the groups once
        viewer = recipient.__dict__["_privacy_viewer"] = Viewer(recipient)
    if notification.complaint_id is None:
        return viewer.system or viewer.management
    return viewer.full_for_complaint(notification.complaint)


def notice_mask(notification: Any, value: Any) -> Any:
    """A notification's title or body (text, or its message ids and parameters) as its recipient may
    see it: in full when they may work on the complaint it is about, masked otherwise — phones, e-mails,
    ID numbers, bank cards and the customer's name (``text_mask``). Decided once per notification."""
    if not value:
        return value
    cache = notification.__dict__
    if "_privacy_full" not in cache:
        cache["_privacy_full"] = _notice_full(notification)
        complaint = notification.complaint if notification.complaint_id else None
        customer = getattr(complaint, "customer", None) if not cache["_privacy_full"] else None
        cache["_privacy_names"] = [customer.name] if customer is not None and customer.name else []
    if cache["_privacy_full"]:
        return value
    return value_mask(value, cache["_privacy_names"])


__all__ = ["Viewer", "complaint_body_mask", "customer_body_mask", "email_mask", "notice_mask", "phone_mask"]
