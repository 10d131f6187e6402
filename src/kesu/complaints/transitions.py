"""One entry for "do this transition with these fields", shared by the API, the UI and bulk edits."""

from __future__ import annotations

from datetime import datetime

from kesu.complaints import actions
from kesu.complaints.models import Complaint
from kesu.core.errors import FieldError
from kesu.core.models import User


def _user(username: str | None, field: str = "assignee", *, required: bool = True) -> User | None:
    if not username:
        if required:
            raise FieldError(field, "field.required")
        return None
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise FieldError(field, "user.unknown", user=username)
    return user


def _primary(ref: str | None) -> Complaint:
    if not ref:
        raise FieldError("primary", "field.required")
    ref = str(ref).strip()
    primary = Complaint.objects.filter(number=ref).first()
    if primary is None and ref.isdigit():
        primary = Complaint.objects.filter(pk=int(ref)).first()
    if primary is None:
        raise FieldError("primary", "complaint.not_found", value=ref)
    return primary


def _minutes(value: int | str | None, field: str) -> int | None:
    """Whole minutes from the API (int) or a form (text); empty means "the default"."""
    if value is None or isinstance(value, int):
        return value
    value = value.strip()
    if not value:
        return None
    if not value.isdigit():
        raise FieldError(field, "field.not_minutes", got=value)
    return int(value)


def complaint_transition(
    *,
    complaint: Complaint,
    action: str,
    by: User | None,
    now: datetime,
    assignee: str | None = None,
    group: str | None = None,
    reason: str = "",
    resolution: str = "",
    root_cause: str = "",
    note: str = "",
    text: str = "",
    primary: str | None = None,
    done: str = "",
    needed: str = "",
    coordinator: str | None = None,
    accept_minutes: int | str | None = None,
    channel: str = "",
    outcome: str = "",
) -> Complaint:
    match action:
        case "assign":
            return actions.complaint_assign(complaint=complaint, assignee=_user(assignee), by=by, now=now)
        case "start":
            return actions.complaint_start(complaint=complaint, by=by, now=now)
        case "pend":
            return actions.complaint_pend(complaint=complaint, by=by, now=now, reason=reason)
        case "resume":
            return actions.complaint_resume(complaint=complaint, by=by, now=now, note=note)
        case "resolve":
            return actions.complaint_resolve(complaint=complaint, by=by, now=now, resolution=resolution,
                                             root_cause=root_cause, root_cause_required=True)
        case "close":
            return actions.complaint_close(complaint=complaint, by=by, now=now, note=note)
        case "reopen":
            return actions.complaint_reopen(complaint=complaint, by=by, now=now, reason=reason)
        case "transfer":
            to_group = actions.group_resolve(group or "")
            if to_group is None:
                raise FieldError("group", "field.required")
            return actions.complaint_transfer(
                complaint=complaint,
                to_group=to_group,
                by=by,
                now=now,
                reason=reason,
                assignee=_user(assignee, required=False),
                done=done,
                needed=needed,
                coordinator=_user(coordinator, "coordinator", required=False),
                accept_minutes=_minutes(accept_minutes, "accept_minutes"),
            )
        case "contact":
            return actions.complaint_contact(complaint=complaint, by=by, now=now, channel=channel, text=text)
        case "follow_up":
            return actions.complaint_follow_up(complaint=complaint, by=by, now=now, outcome=outcome, text=text)
        case "merge":
            return actions.complaint_merge(
                duplicate=complaint, primary=_primary(primary), by=by, now=now, reason=reason
            )
        case "note":
            return actions.complaint_note_add(complaint=complaint, by=by, now=now, text=text)
    raise FieldError("action", "action.unknown", value=action)
