"""The handler's queues: each a name and the condition its complaints meet, given who asks and when.

Pure: a queue is a ``Q`` built from the user's :class:`Scope` (read once per page by
``queues/selectors.py: scope_of``) and ``now``; nothing here reads the database.

Every queue holds open complaints only (:func:`open_condition`, the condition of the partial
indexes ``complaint_open_*`` on Complaint, so the queries use them). Scope: a user who belongs to groups
(a handler profile, or a team lead) sees the shared queues — unassigned, due soon, overdue, red
channel, repeats, waiting for the customer — for their groups and their own complaints; a user
in no group (a manager, an administrator) sees them for the whole centre.

    mine         assigned to me
    group        in one of my groups
    unassigned   nobody assigned
    due_soon     a running SLA clock falls due within DUE_SOON, nothing breached yet
                 (``sla_deadline_at``: deadlines only, not the red channel's reminders)
    overdue      a running SLA clock is breached (``sla_breached``), whatever the escalation
                 ladder of the policy (sla/clocks.py ``snapshot_marks``)
    red          red channel
    repeats      the customer complained about the same issue before
    waiting      waiting for the customer
    transferred  in a group of my department, transferred in from outside it
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from kesu.complaints.lifecycle import OPEN
from kesu.complaints.models import ComplaintEvent, EventKind, Status

DUE_SOON = timedelta(hours=4)
# as plain strings, in the order of the partial indexes' condition (complaints/models.py)
OPEN_STATUSES = [str(status) for status in OPEN]

QUEUES: dict[str, str] = {
    "mine": _("My complaints"),
    "group": _("My groups"),
    "unassigned": _("Unassigned"),
    "due_soon": _("Due soon"),
    "overdue": _("Overdue"),
    "red": _("Red channel"),
    "repeats": _("Repeat complaints"),
    "waiting": _("Waiting for customer"),
    "transferred": _("Transferred to my department"),
}

# the sort orders of complaints/selectors.py SORTS, as the list offers them
SORT_LABELS: dict[str, str] = {
    "newest": _("Newest first"),
    "oldest": _("Oldest first"),
    "due": _("Due first"),
    "priority": _("Priority"),
}


@dataclass(frozen=True)
class Scope:
    """Who asks: their id, the groups they work in, and every group of their departments."""

    user_id: int
    group_ids: frozenset[int] = frozenset()
    department_group_ids: frozenset[int] = frozenset()


def queues_available(scope: Scope) -> list[str]:
    """The queues that mean something for this user (no "my groups" for someone in no group)."""
    hidden = set()
    if not scope.group_ids:
        hidden.add("group")
    if not scope.department_group_ids:
        hidden.add("transferred")
    return [name for name in QUEUES if name not in hidden]


def open_condition() -> Q:
    """Open complaints, written exactly as the condition of the partial indexes ``complaint_open_*``
    (complaints/models.py): equalities joined by OR in the order of ``OPEN`` (SQLite proves that a
    query with bound values fits a partial index only for that shape, not for ``IN``)."""
    condition = Q()
    for status in OPEN_STATUSES:
        condition |= Q(status=status)
    return condition



def not_waiting_on_incident() -> Q:
    """A complaint that waits on a mass incident (ADR 0011) is in no handler's queue: it was answered
    with the incident's announcement and is closed with it; it is listed on the incident's page."""
    return Q(incident_link__isnull=True) | Q(incident_link__waits=False)


def _shared(scope: Scope) -> Q:
    """The shared queues' reach: my groups and my own complaints, or the whole centre."""
    if not scope.group_ids:
        return Q()
    return Q(group_id__in=sorted(scope.group_ids)) | Q(assignee_id=scope.user_id)


def queue_condition(name: str, *, scope: Scope, now: datetime) -> Q | None:
    """The condition of queue ``name`` for ``scope`` at ``now``; None when the queue is empty by
    definition for this user (see :func:`queues_available`). An unknown name is a ``KeyError``."""
    if name not in QUEUES:
        raise KeyError(name)
    if name not in queues_available(scope):
        return None
    condition = _condition(name, scope=scope, now=now)
    return condition & not_waiting_on_incident() if condition is not None else None


def _condition(name: str, *, scope: Scope, now: datetime) -> Q | None:
    match name:
        case "mine":
            return open_condition() & Q(assignee_id=scope.user_id)
        case "group":
            return open_condition() & Q(group_id__in=sorted(scope.group_ids))
        case "unassigned":
            return open_condition() & _shared(scope) & Q(assignee__isnull=True)
        case "due_soon":
            return open_condition() & _shared(scope) & Q(sla_breached=False, sla_deadline_at__lt=now + DUE_SOON)
        case "overdue":
            return open_condition() & _shared(scope) & Q(sla_breached=True)
        case "red":
            return open_condition() & _shared(scope) & Q(red_channel=True)
        case "repeats":
            return open_condition() & _shared(scope) & Q(repeat_count__gt=0)
        case "waiting":
            return open_condition() & _shared(scope) & Q(status=Status.PENDING_CUSTOMER)
        case "transferred":
            # a transfer that brought it in from outside the department (not a move between its groups)
            department = sorted(scope.department_group_ids)
            transferred = ComplaintEvent.objects.filter(
                complaint_id=OuterRef("pk"), kind=EventKind.TRANSFERRED
            ).exclude(data__group__0__id__in=department)
            return open_condition() & Q(group_id__in=sorted(scope.department_group_ids)) & Q(Exists(transferred))
    raise KeyError(name)  # pragma: no cover — every name of QUEUES is matched above
