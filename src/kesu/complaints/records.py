"""The one place for the plumbing every writer of a complaint shares: building a timeline event,
locking a complaint's row, and the references to a person or a group that events carry.

(The "role may not" check is ``kesu.core.errors.permission_require``; pages answer its
``NotPermitted`` through ``kesu.web.errors``.)"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import QuerySet

from kesu.complaints.models import Complaint, ComplaintEvent
from kesu.core.models import Group, User


def user_ref(user: User | None) -> dict[str, Any] | None:
    """A person as an event records them (id, username, name at the time)."""
    return {"id": user.pk, "username": user.username, "name": str(user)} if user else None


def group_ref(group: Group | None) -> dict[str, Any] | None:
    """A group as an event records it (id, code, name at the time)."""
    return {"id": group.pk, "code": group.code, "name": group.name} if group else None


def event_new(
    complaint: Complaint, kind: str, *, now: datetime, by: User | None = None, before: str | None = None,
    data: dict[str, Any] | None = None,
) -> ComplaintEvent:
    """An event of ``complaint`` at ``now`` by ``by`` (None: the system), not yet saved: from the
    status ``before`` (default: the complaint's status, for a step that changes none) to the
    complaint's status now."""
    return ComplaintEvent(
        complaint=complaint, kind=kind, actor=by, at=now,
        from_status=complaint.status if before is None else before, to_status=complaint.status,
        data=data if data is not None else {},
    )


def event_record(
    complaint: Complaint, kind: str, *, now: datetime, by: User | None = None, before: str | None = None,
    data: dict[str, Any] | None = None,
) -> ComplaintEvent:
    """:func:`event_new`, saved."""
    event = event_new(complaint, kind, now=now, by=by, before=before, data=data)
    event.save()
    return event


def complaints_for_update(*, skip_locked: bool = False) -> QuerySet[Complaint]:
    """Complaint rows to be locked for this transaction (the complaint's row only: PostgreSQL refuses
    FOR UPDATE on the nullable side of the outer joins ``select_related`` makes)."""
    return Complaint.objects.select_for_update(of=("self",), skip_locked=skip_locked)


def complaint_lock(complaint: Complaint | int, *related: str) -> Complaint:
    """The complaint's row (or the row of the id given), locked for this transaction, with the
    ``related`` rows read alongside."""
    pk = complaint.pk if isinstance(complaint, Complaint) else complaint
    rows = complaints_for_update()
    return (rows.select_related(*related) if related else rows).get(pk=pk)
