"""Saved views (create, delete) and bulk transitions.

A bulk transition is the single one repeated: ``complaint_transition`` per complaint, each in its
own transaction, so one refusal (a status that does not allow it, a missing right) leaves the
others done and every complaint reports what happened to it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from django.db import IntegrityError, transaction
from django.http import QueryDict

from kesu.complaints.actions import group_resolve
from kesu.complaints.models import Complaint
from kesu.complaints.selectors import SORTS
from kesu.core.errors import DomainError, FieldError, InvalidTransition, NotPermitted
from kesu.core.messages import given
from kesu.core.models import User
from kesu.pipeline.transitions import complaint_transition
from kesu.queues.definitions import QUEUES
from kesu.queues.models import SavedView

# the list's parameters a saved view keeps (not the page number)
VIEW_PARAMETERS = (
    "queue", "q", "status", "channel", "category", "group", "assignee", "created_from", "created_to",
    "customer_id", "sort",
)
NAME_LIMIT = SavedView._meta.get_field("name").max_length
QUERY_LIMIT = SavedView._meta.get_field("query").max_length
VIEWS_PER_USER = 50

BULK_ACTIONS = ("assign", "transfer", "close")
BULK_LIMIT = 200


def view_query(query: str) -> str:
    """``query`` (a list's query string) reduced to the list's own parameters, in a fixed order (a
    repeated one by its last value, as the form reads it);
    an unknown queue or sort is a ``FieldError`` on ``query``."""
    asked = QueryDict(query.lstrip("?"))
    kept = [(name, value.strip()) for name in VIEW_PARAMETERS for value in asked.getlist(name)[-1:] if value.strip()]
    values = dict(kept)
    if values.get("queue", "") not in ("", *QUEUES):
        raise FieldError("query", "field.unknown", value=given(values["queue"]), choices=list(QUEUES))
    if values.get("sort", "") not in ("", *SORTS):
        raise FieldError("query", "field.unknown", value=given(values["sort"]), choices=list(SORTS))
    encoded = urlencode(kept)
    if len(encoded) > QUERY_LIMIT:
        raise FieldError("query", "field.too_long", limit=QUERY_LIMIT, got=len(encoded))
    return encoded


def saved_view_create(*, owner: User, name: str, query: str, now: datetime) -> SavedView:
    name = (name or "").strip()
    if not name:
        raise FieldError("name", "field.required")
    if len(name) > NAME_LIMIT:
        raise FieldError("name", "field.too_long", limit=NAME_LIMIT, got=len(name))
    query = view_query(query or "")
    if SavedView.objects.filter(owner=owner, name=name).exists():
        raise FieldError("name", "view.exists", name=name)
    if SavedView.objects.filter(owner=owner).count() >= VIEWS_PER_USER:
        raise FieldError("name", "view.too_many", limit=VIEWS_PER_USER)
    try:
        with transaction.atomic():
            return SavedView.objects.create(owner=owner, name=name, query=query, created_at=now)
    except IntegrityError:  # the same name saved at the same moment in another tab
        raise FieldError("name", "view.exists", name=name) from None


def saved_view_delete(*, owner: User, view_id: int) -> bool:
    """Delete one of ``owner``'s saved views; False when they have none with that id."""
    deleted, _ = SavedView.objects.filter(pk=view_id, owner=owner).delete()
    return bool(deleted)


@dataclass(frozen=True)
class BulkOutcome:
    complaint_id: int
    number: str
    action: str
    error: DomainError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


def _bulk_check(*, ids: Sequence[int], action: str, assignee: str, group: str, reason: str) -> None:
    """What is wrong for every complaint alike is said once, before any is touched."""
    if not action:
        raise FieldError("action", "field.required")
    if action not in BULK_ACTIONS:
        raise FieldError("action", "field.unknown", value=given(action), choices=list(BULK_ACTIONS))
    if not ids:
        raise FieldError("ids", "bulk.none_chosen")
    if len(ids) > BULK_LIMIT:
        raise FieldError("ids", "bulk.too_many", limit=BULK_LIMIT, got=len(ids))
    if action == "assign":
        if not assignee.strip():
            raise FieldError("assignee", "field.required")
        if not User.objects.filter(username=assignee.strip(), is_active=True).exists():
            raise FieldError("assignee", "user.unknown", user=assignee.strip())
    if action == "transfer":
        if not group.strip():
            raise FieldError("group", "field.required")
        group_resolve(group.strip())  # an unknown group is named once, not per complaint
        if not reason.strip():
            raise FieldError("reason", "field.required")


def complaints_bulk(
    *,
    ids: Sequence[int],
    action: str,
    by: User,
    now: datetime,
    assignee: str = "",
    group: str = "",
    reason: str = "",
    note: str = "",
) -> list[BulkOutcome]:
    """Apply ``action`` (assign / transfer / close) to each complaint of ``ids`` through
    ``complaint_transition``, each in its own transaction; one outcome per complaint, in the order
    of ``ids`` (an id that names no complaint is refused)."""
    ids = list(dict.fromkeys(ids))
    _bulk_check(ids=ids, action=action, assignee=assignee, group=group, reason=reason)
    found = {complaint.pk: complaint for complaint in Complaint.objects.filter(pk__in=ids)}
    outcomes = []
    for pk in ids:
        complaint = found.get(pk)
        if complaint is None:
            outcomes.append(BulkOutcome(pk, f"#{pk}", action, FieldError("ids", "complaint.no_such")))
            continue
        try:
            with transaction.atomic():
                complaint_transition(
                    complaint=complaint, action=action, by=by, now=now,
                    assignee=(assignee.strip() or None) if action == "assign" else None,
                    group=group.strip() or None, reason=reason, note=note,
                )
        except (FieldError, InvalidTransition, NotPermitted) as error:
            outcomes.append(BulkOutcome(pk, complaint.number, action, error))
        else:
            outcomes.append(BulkOutcome(pk, complaint.number, action))
    return outcomes
