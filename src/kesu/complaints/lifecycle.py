"""The complaint state machine, as pure steps.

Each step checks the current status, changes the complaint object in memory and returns the
(unsaved) event that records the change. Nothing here touches the database: ``actions.py`` wraps
each step in a transaction, and the demo generator applies the same steps in bulk, so both write
exactly the same events.

    new → assigned → in_progress ⇄ pending_customer → resolved → closed
    reopen: resolved | closed → assigned (to the handler who resolved it) or new
    transfer: any open status → new (or assigned) in another group, with the standard transfer form
    contact / follow-up: recorded without a change of status (first contact, 回访)
    merge: a duplicate in any open status → closed, pointing at its primary
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from kesu.complaints.models import Complaint, ComplaintEvent, EventKind, RootCause, Status
from kesu.complaints.records import event_new, group_ref, user_ref
from kesu.core.errors import FieldError, FieldErrors, InvalidTransition
from kesu.core.messages import Message
from kesu.core.models import Group, User
from kesu.core.roles import Permission

OPEN = (Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS, Status.PENDING_CUSTOMER)
ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    "assign": OPEN,
    "start": (Status.ASSIGNED,),
    "pend": (Status.IN_PROGRESS,),
    "resume": (Status.PENDING_CUSTOMER,),
    "resolve": (Status.IN_PROGRESS,),
    "close": (Status.RESOLVED,),
    "reopen": (Status.RESOLVED, Status.CLOSED),
    "transfer": OPEN,
    "merge": OPEN,
    "contact": (Status.ASSIGNED, Status.IN_PROGRESS, Status.PENDING_CUSTOMER),
    "follow_up": (Status.RESOLVED, Status.CLOSED),
}
MAX_ACCEPT_MINUTES = 60 * 24 * 30
ACTIONS = tuple(ALLOWED_FROM)


def actions_allowed(status: str) -> list[str]:
    """The transitions a complaint in ``status`` can take (for the UI's buttons)."""
    return [action for action, allowed in ALLOWED_FROM.items() if status in allowed]


def _require(complaint: Complaint, action: str) -> None:
    if complaint.status not in ALLOWED_FROM[action]:
        raise InvalidTransition(
            action=action, current_status=complaint.status, allowed_from=tuple(map(str, ALLOWED_FROM[action]))
        )


def _text(field: str, value: str, *, required: bool = True, limit: int = 5000) -> str:
    value = (value or "").strip()
    if required and not value:
        raise FieldError(field, "field.required")
    if len(value) > limit:
        raise FieldError(field, "field.too_long", limit=limit, got=len(value))
    return value


def _handler_check(assignee: User) -> None:
    if not assignee.is_active:
        raise FieldError("assignee", "user.not_active", user=assignee.username)
    if not assignee.can(Permission.COMPLAINT_HANDLE):
        raise FieldError("assignee", "assignee.not_handler", user=assignee.username, role=Message(f"role.{assignee.role}"))


def _event(
    complaint: Complaint, kind: str, *, by: User | None, now: datetime, before: str, **data: Any
) -> ComplaintEvent:
    complaint.updated_at = now
    return event_new(complaint, kind, by=by, now=now, before=before, data=data)


def created(complaint: Complaint, *, by: User | None, now: datetime) -> ComplaintEvent:
    return _event(
        complaint,
        EventKind.CREATED,
        by=by,
        now=now,
        before="",
        channel=complaint.channel,
        group=group_ref(complaint.group),
    )


def assign(complaint: Complaint, *, assignee: User, by: User | None, now: datetime) -> ComplaintEvent:
    _require(complaint, "assign")
    if assignee is None:
        raise FieldError("assignee", "field.required")
    _handler_check(assignee)
    before, previous = complaint.status, complaint.assignee
    complaint.assignee = assignee
    complaint.status = Status.ASSIGNED
    complaint.assigned_at = now
    return _event(
        complaint,
        EventKind.ASSIGNED,
        by=by,
        now=now,
        before=before,
        assignee=[user_ref(previous), user_ref(assignee)],
    )


def start(complaint: Complaint, *, by: User | None, now: datetime) -> ComplaintEvent:
    _require(complaint, "start")
    before = complaint.status
    complaint.status = Status.IN_PROGRESS
    return _event(complaint, EventKind.STARTED, by=by, now=now, before=before)


def pend(complaint: Complaint, *, by: User | None, now: datetime, reason: str = "") -> ComplaintEvent:
    _require(complaint, "pend")
    reason = _text("reason", reason, required=False)
    before = complaint.status
    complaint.status = Status.PENDING_CUSTOMER
    return _event(complaint, EventKind.PENDED, by=by, now=now, before=before, reason=reason)


def resume(complaint: Complaint, *, by: User | None, now: datetime, note: str = "") -> ComplaintEvent:
    _require(complaint, "resume")
    note = _text("note", note, required=False)
    before = complaint.status
    complaint.status = Status.IN_PROGRESS
    return _event(complaint, EventKind.RESUMED, by=by, now=now, before=before, note=note)


_ROOT_CAUSES = frozenset(RootCause.values)  # ``RootCause.values`` builds its list on each read


def _root_cause(value: str, *, required: bool) -> str:
    value = (value or "").strip()
    if not value:
        if required:
            raise FieldError("root_cause", "field.required")
        return ""
    if value not in _ROOT_CAUSES:
        raise FieldError("root_cause", "field.unknown", value=value, choices=list(RootCause.values))
    return value


def resolve(
    complaint: Complaint,
    *,
    by: User | None,
    now: datetime,
    resolution: str,
    root_cause: str = "",
    root_cause_required: bool = False,
) -> ComplaintEvent:
    """Resolve with a resolution summary and a root-cause tag (``RootCause``).

    The UI and the API require the root cause (``root_cause_required``); imports and the demo
    generator may leave it empty. Both problems are reported together."""
    _require(complaint, "resolve")
    errors: list[FieldError] = []
    try:
        resolution = _text("resolution", resolution)
    except FieldError as error:
        errors.append(error)
    try:
        root_cause = _root_cause(root_cause, required=root_cause_required)
    except FieldError as error:
        errors.append(error)
    if errors:
        raise errors[0] if len(errors) == 1 else FieldErrors(errors)
    before = complaint.status
    complaint.status = Status.RESOLVED
    complaint.resolution = resolution
    complaint.root_cause = root_cause
    complaint.resolved_at = now
    complaint.last_handler = complaint.assignee or by
    return _event(complaint, EventKind.RESOLVED, by=by, now=now, before=before, resolution=resolution,
                  root_cause=root_cause)


def resolve_by_incident(
    complaint: Complaint, *, by: User | None, now: datetime, resolution: str, root_cause: str, incident: dict
) -> ComplaintEvent:
    """Resolved because the mass incident that explains it was resolved (ADR 0011): from any open
    status, with the incident's closing message and root cause; the event names the incident."""
    if complaint.status not in OPEN:  # not a person's action: not in ALLOWED_FROM (no button for it)
        raise InvalidTransition(action="resolve", current_status=complaint.status, allowed_from=tuple(map(str, OPEN)))
    resolution = _text("resolution", resolution)
    root_cause = _root_cause(root_cause, required=True)
    before = complaint.status
    complaint.status = Status.RESOLVED
    complaint.resolution = resolution
    complaint.root_cause = root_cause
    complaint.resolved_at = now
    complaint.last_handler = complaint.assignee or by
    return _event(complaint, EventKind.RESOLVED, by=by, now=now, before=before, resolution=resolution,
                  root_cause=root_cause, incident=incident)


def close(complaint: Complaint, *, by: User | None, now: datetime, note: str = "") -> ComplaintEvent:
    _require(complaint, "close")
    note = _text("note", note, required=False)
    before = complaint.status
    complaint.status = Status.CLOSED
    complaint.closed_at = now
    return _event(complaint, EventKind.CLOSED, by=by, now=now, before=before, note=note)


def reopen(complaint: Complaint, *, by: User | None, now: datetime, reason: str) -> ComplaintEvent:
    """Reopen, returning the complaint to the handler who resolved it (docs/architecture.md, "Routing and hand-overs")."""
    _require(complaint, "reopen")
    if complaint.merged_into is not None:
        primary = complaint.merged_into.number
        raise InvalidTransition(
            action="reopen",
            current_status=complaint.status,
            code="transition.merged_reopen",
            number=complaint.number,
            primary=primary,
        )
    reason = _text("reason", reason)
    before = complaint.status
    handler = complaint.last_handler if complaint.last_handler and complaint.last_handler.is_active else None
    complaint.assignee = handler
    complaint.status = Status.ASSIGNED if handler else Status.NEW
    complaint.assigned_at = now if handler else None
    complaint.resolved_at = None
    complaint.root_cause = ""  # judged again at the next resolution (the resolved event keeps it)
    complaint.closed_at = None
    complaint.reopen_count += 1
    return _event(
        complaint,
        EventKind.REOPENED,
        by=by,
        now=now,
        before=before,
        reason=reason,
        assignee=user_ref(handler),
        reopen_count=complaint.reopen_count,
    )


def transfer(
    complaint: Complaint,
    *,
    to_group: Group,
    by: User | None,
    now: datetime,
    reason: str,
    assignee: User | None = None,
    done: str = "",
    needed: str = "",
    coordinator: User | None = None,
    accept_minutes: int | None = None,
) -> ComplaintEvent:
    """Hand the complaint to another group with the standard transfer form (docs/architecture.md, "Routing and hand-overs"): why,
    what was done, what is needed, a coordinator in copy and the time the receiving group has to
    accept it (working minutes; default: the SLA policy's ``transfer_acceptance`` target)."""
    _require(complaint, "transfer")
    if to_group is None:
        raise FieldError("group", "field.required")
    if complaint.group_id == to_group.pk:
        raise FieldError("group", "transfer.same_group", group=to_group.code)
    reason = _text("reason", reason)
    done = _text("done", done, required=False)
    needed = _text("needed", needed, required=False)
    if assignee is not None:
        _handler_check(assignee)
    if coordinator is not None and not coordinator.is_active:
        raise FieldError("coordinator", "user.not_active", user=coordinator.username)
    if accept_minutes is not None and not 1 <= accept_minutes <= MAX_ACCEPT_MINUTES:
        raise FieldError("accept_minutes", "field.out_of_range", low=1, high=MAX_ACCEPT_MINUTES, got=accept_minutes)
    before, from_group, previous = complaint.status, complaint.group, complaint.assignee
    complaint.group = to_group
    complaint.assignee = assignee
    complaint.status = Status.ASSIGNED if assignee else Status.NEW
    complaint.assigned_at = now if assignee else None
    return _event(
        complaint,
        EventKind.TRANSFERRED,
        by=by,
        now=now,
        before=before,
        reason=reason,
        done=done,
        needed=needed,
        coordinator=user_ref(coordinator),
        accept_minutes=accept_minutes,
        group=[group_ref(from_group), group_ref(to_group)],
        assignee=[user_ref(previous), user_ref(assignee)],
    )


def merge(
    duplicate: Complaint,
    primary: Complaint,
    *,
    by: User | None,
    now: datetime,
    reason: str = "",
    has_duplicates: bool = False,
) -> tuple[ComplaintEvent, ComplaintEvent]:
    """Close ``duplicate`` into ``primary``; returns the events of both.

    ``has_duplicates``: other complaints are merged into ``duplicate`` already; merging it away
    would leave them pointing at a closed complaint, so it is refused.
    """
    _require(duplicate, "merge")
    if duplicate.pk == primary.pk:
        raise FieldError("primary", "merge.self")
    if primary.merged_into_id:
        raise FieldError("primary", "merge.primary_merged", number=primary.number)
    if has_duplicates:
        raise FieldError("primary", "merge.has_duplicates", number=duplicate.number, other=primary.number)
    reason = _text("reason", reason, required=False)
    before = duplicate.status
    duplicate.status = Status.CLOSED
    duplicate.closed_at = now
    duplicate.merged_into = primary
    primary.updated_at = now
    into = _event(
        duplicate,
        EventKind.MERGED,
        by=by,
        now=now,
        before=before,
        primary={"id": primary.pk, "number": primary.number},
        reason=reason,
    )
    received = event_new(
        primary,
        EventKind.MERGE_RECEIVED,
        by=by,
        now=now,
        data={"duplicate": {"id": duplicate.pk, "number": duplicate.number}, "reason": reason},
    )
    return into, received


def note(complaint: Complaint, *, by: User | None, now: datetime, text: str) -> ComplaintEvent:
    text = _text("text", text, limit=20000)
    return _event(complaint, EventKind.NOTE, by=by, now=now, before=complaint.status, text=text)


CONTACT_CHANNELS = ("phone", "email", "sms", "chat", "visit", "other")
FOLLOW_UP_OUTCOMES = ("satisfied", "unsatisfied", "unreachable")


def contact(complaint: Complaint, *, by: User | None, now: datetime, channel: str, text: str) -> ComplaintEvent:
    """The handler reached the customer (stops the first-contact clock)."""
    _require(complaint, "contact")
    if channel not in CONTACT_CHANNELS:
        raise FieldError("channel", "field.choice", choices=list(CONTACT_CHANNELS), got=channel)
    text = _text("text", text)
    return _event(complaint, EventKind.CONTACTED, by=by, now=now, before=complaint.status, channel=channel, text=text)


def follow_up(complaint: Complaint, *, by: User | None, now: datetime, outcome: str, text: str = "") -> ComplaintEvent:
    """The follow-up visit (回访) after resolution, with its outcome."""
    _require(complaint, "follow_up")
    if outcome not in FOLLOW_UP_OUTCOMES:
        raise FieldError("outcome", "field.choice", choices=list(FOLLOW_UP_OUTCOMES), got=outcome)
    text = _text("text", text, required=False)
    return _event(complaint, EventKind.FOLLOWED_UP, by=by, now=now, before=complaint.status, outcome=outcome, text=text)


RUNNING_STATES = ("ok", "warning", "breached")


def transfer_awaiting(sla: dict[str, Any] | None) -> bool:
    """A transferred complaint the receiving group has not accepted yet: its ``transfer_acceptance``
    clock (in the stored ``Complaint.sla``) still runs. Pure; the list and the desk call it per row."""
    for clock in (sla or {}).get("clocks", ()):
        if clock.get("clock") == "transfer_acceptance" and clock.get("state") in RUNNING_STATES \
                and not clock.get("stopped_at"):
            return True
    return False
