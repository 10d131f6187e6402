"""Transitions: each one writes the complaint's step (``complaints.complaint_step``) and then, in
the same transaction and in this order, recomputes the SLA deadlines, runs what belongs to that step
(the transfer notice, the survey and follow-up of a closing) and sends the status webhook.

``complaint_transition`` is the one entry for "do this transition with these fields", shared by the
API, the UI and bulk edits."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from kesu.channels.webhooks_out import webhook_status_changed
from kesu.complaints import lifecycle
from kesu.complaints.actions import (
    complaint_accept_write,
    complaint_merge_write,
    complaint_step,
    group_resolve,
)
from kesu.complaints.models import Complaint
from kesu.core.errors import FieldError
from kesu.core.ids import row_id
from kesu.core.models import Group, User
from kesu.pipeline.notices import transfer_notify
from kesu.sla.actions import sla_refresh
from kesu.surveys.actions import aftercare_start


def transition_apply(complaint: Complaint, by: User | None, step, **params) -> Complaint:
    with transaction.atomic():
        current, event = complaint_step(complaint, by, step, **params)
        sla_refresh(current, now=params["now"])
        webhook_status_changed(event, now=params["now"])
    return current


def complaint_transfer_accept(*, complaint: Complaint, by: User, now: datetime) -> Complaint:
    """The receiving group accepts a transferred complaint (``complaints.complaint_accept_write``),
    then the SLA deadlines and the status webhooks follow."""
    with transaction.atomic():
        current, events = complaint_accept_write(complaint=complaint, by=by, now=now)
        sla_refresh(current, now=now)
        for event in events:
            webhook_status_changed(event, now=now)
    return current


def complaint_assign(*, complaint: Complaint, assignee: User, by: User | None, now: datetime) -> Complaint:
    return transition_apply(complaint, by, lifecycle.assign, assignee=assignee, now=now)


def complaint_start(*, complaint: Complaint, by: User | None, now: datetime) -> Complaint:
    return transition_apply(complaint, by, lifecycle.start, now=now)


def complaint_pend(*, complaint: Complaint, by: User | None, now: datetime, reason: str = "") -> Complaint:
    return transition_apply(complaint, by, lifecycle.pend, now=now, reason=reason)


def complaint_resume(*, complaint: Complaint, by: User | None, now: datetime, note: str = "") -> Complaint:
    return transition_apply(complaint, by, lifecycle.resume, now=now, note=note)


def complaint_resolve(
    *,
    complaint: Complaint,
    by: User | None,
    now: datetime,
    resolution: str,
    root_cause: str = "",
    root_cause_required: bool = False,
) -> Complaint:
    """Resolve with a summary and a root-cause tag (required where a person resolves: UI and API)."""
    return transition_apply(complaint, by, lifecycle.resolve, now=now, resolution=resolution, root_cause=root_cause,
                  root_cause_required=root_cause_required)


def complaint_close(*, complaint: Complaint, by: User | None, now: datetime, note: str = "") -> Complaint:
    """Close, then start the survey and follow-up visit of this closing (same transaction)."""
    with transaction.atomic():
        closed = transition_apply(complaint, by, lifecycle.close, now=now, note=note)
        aftercare_start(complaint=closed, now=now)
    return closed


def complaint_reopen(*, complaint: Complaint, by: User | None, now: datetime, reason: str) -> Complaint:
    return transition_apply(complaint, by, lifecycle.reopen, now=now, reason=reason)


def complaint_transfer(
    *,
    complaint: Complaint,
    to_group: Group,
    by: User | None,
    now: datetime,
    reason: str,
    assignee: User | None = None,
    done: str = "",
    needed: str = "",
    coordinator: User | None = None,
    accept_minutes: int | None = None,
) -> Complaint:
    """Transfer with the standard form; the coordinator gets a copy (a notification), in the same
    transaction: a transfer nobody heard of is not saved."""
    with transaction.atomic():
        transferred = transition_apply(
            complaint, by, lifecycle.transfer, to_group=to_group, now=now, reason=reason, assignee=assignee,
            done=done, needed=needed, coordinator=coordinator, accept_minutes=accept_minutes,
        )
        transfer_notify(transferred, coordinator=coordinator, by=by, reason=reason, now=now)
    return transferred


def complaint_contact(*, complaint: Complaint, by: User | None, now: datetime, channel: str, text: str) -> Complaint:
    return transition_apply(complaint, by, lifecycle.contact, now=now, channel=channel, text=text)


def complaint_follow_up(
    *, complaint: Complaint, by: User | None, now: datetime, outcome: str, text: str = ""
) -> Complaint:
    return transition_apply(complaint, by, lifecycle.follow_up, now=now, outcome=outcome, text=text)


def complaint_note_add(*, complaint: Complaint, by: User | None, now: datetime, text: str) -> Complaint:
    return transition_apply(complaint, by, lifecycle.note, now=now, text=text)


def complaint_merge(
    *, duplicate: Complaint, primary: Complaint, by: User | None, now: datetime, reason: str = ""
) -> Complaint:
    """Close ``duplicate`` into ``primary``; returns the duplicate."""
    with transaction.atomic():
        dup, prim, into = complaint_merge_write(duplicate=duplicate, primary=primary, by=by, now=now, reason=reason)
        webhook_status_changed(into, now=now)
        sla_refresh(dup, now=now)
        sla_refresh(prim, now=now)
    return dup


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
    if primary is None and (pk := row_id(ref)) is not None:
        primary = Complaint.objects.filter(pk=pk).first()
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
    if not (value.isascii() and value.isdigit()) or len(value) > 6:  # "²" is a digit int() refuses
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
            return complaint_assign(complaint=complaint, assignee=_user(assignee), by=by, now=now)
        case "start":
            return complaint_start(complaint=complaint, by=by, now=now)
        case "pend":
            return complaint_pend(complaint=complaint, by=by, now=now, reason=reason)
        case "resume":
            return complaint_resume(complaint=complaint, by=by, now=now, note=note)
        case "resolve":
            return complaint_resolve(complaint=complaint, by=by, now=now, resolution=resolution,
                                             root_cause=root_cause, root_cause_required=True)
        case "close":
            return complaint_close(complaint=complaint, by=by, now=now, note=note)
        case "reopen":
            return complaint_reopen(complaint=complaint, by=by, now=now, reason=reason)
        case "transfer":
            to_group = group_resolve(group or "")
            if to_group is None:
                raise FieldError("group", "field.required")
            return complaint_transfer(
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
            return complaint_contact(complaint=complaint, by=by, now=now, channel=channel, text=text)
        case "follow_up":
            return complaint_follow_up(complaint=complaint, by=by, now=now, outcome=outcome, text=text)
        case "merge":
            return complaint_merge(
                duplicate=complaint, primary=_primary(primary), by=by, now=now, reason=reason
            )
        case "note":
            return complaint_note_add(complaint=complaint, by=by, now=now, text=text)
    raise FieldError("action", "action.unknown", value=action)
