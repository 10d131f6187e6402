"""Who hears of an SLA warning, breach, escalation or reminder, and what they are told.

The three responsible people of a complaint (docs/architecture.md, "Time limits"): level 1 its handler, level 2 the
team lead of its group, level 3 the manager of its department. Red channel notices are urgent
(sent at once, not held for the recipient's working time).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime

from django.utils.translation import gettext_noop

from kesu.complaints.models import Complaint
from kesu.core.messages import Message
from kesu.core.models import HandlerProfile, User
from kesu.core.roles import Role
from kesu.notifications.actions import Notice, notice_of, notify_many
from kesu.sla.clocks import Due

CLOCK_NAMES = {
    "assignment": gettext_noop("Assignment"),
    "acceptance": gettext_noop("Acceptance"),
    "first_response": gettext_noop("First response"),
    "first_contact": gettext_noop("First contact"),
    "transfer_acceptance": gettext_noop("Transfer acceptance"),
    "resolution": gettext_noop("Resolution"),
    "closure": gettext_noop("Closure"),
    "follow_up": gettext_noop("Follow-up visit"),
}


def handler_of(complaint: Complaint) -> list[User]:
    if complaint.assignee_id:
        return [complaint.assignee]
    return team_lead_of(complaint)


def team_lead_of(complaint: Complaint) -> list[User]:
    group = complaint.group
    if group is not None and group.lead_id:
        return [group.lead]
    return manager_of(complaint)


def manager_of(complaint: Complaint) -> list[User]:
    group = complaint.group
    if group is not None and group.department.manager_id:
        return [group.department.manager]
    return list(User.objects.filter(role=Role.MANAGER, is_active=True).order_by("id"))


def senior_specialists() -> list[User]:
    seniors = list(
        User.objects.filter(
            role=Role.SPECIALIST, is_active=True,
            pk__in=HandlerProfile.objects.filter(is_senior=True).values("user_id"),
        ).order_by("id")
    )
    return seniors or list(User.objects.filter(role=Role.SPECIALIST, is_active=True).order_by("id"))


RECIPIENTS = {"handler": handler_of, "team_lead": team_lead_of, "manager": manager_of}


def _clock(name: str) -> Message:
    return Message(f"sla.clock.{name}")


def _message(complaint: Complaint, due: Due, notify_level: str) -> tuple[Message, Message]:
    """The title and the body line of a notice about ``due`` (message ids, worded when shown)."""
    number = complaint.number
    if due.kind in ("warned", "breached"):
        clock = _clock(due.clock)
        return (Message(f"notice.sla_{due.kind}", number=number, clock=clock),
                Message(f"notice.sla_{due.kind}_body", number=number, clock=clock))
    if due.kind == "escalated":
        return (Message("notice.sla_escalated", number=number, level=due.level),
                Message("notice.sla_escalated_body", number=number, level=due.level))
    if due.kind == "specialist":
        return Message("notice.sla_specialist", number=number), Message("notice.sla_specialist_body", number=number)
    return Message("notice.sla_reminded", number=number), Message("notice.sla_reminded_body", number=number)


def due_recipients(complaint: Complaint, due: Due, levels: dict[int, str]) -> tuple[list[User], str]:
    """Whom to tell about ``due`` and at which ladder role."""
    if due.kind in ("warned", "breached"):
        return handler_of(complaint), "handler"
    if due.kind == "escalated":
        role = levels.get(due.level, "manager")
        return RECIPIENTS[role](complaint), role
    if due.kind == "specialist":
        return [*senior_specialists(), *team_lead_of(complaint)], "specialist"
    if due.kind == "reminded":
        return [*handler_of(complaint), *team_lead_of(complaint)], "handler"
    return [], ""


SEVERITY = ("reminded", "warned", "breached", "escalated", "specialist")  # least to most serious


def sla_notify(complaint: Complaint, dues: Iterable[Due], *, levels: dict[int, str], now: datetime) -> dict[tuple, list[str]]:
    """Notify for what fell due (met needs no one): one notification per person however many items
    concern them at once (a late sweep can find a warning, a breach and a level together), titled by
    the most serious. Returns who was told, per item, for the events."""
    told, notices = sla_notices(complaint, dues, levels=levels, now=now)
    notify_many(notices)
    return told


def sla_notices(
    complaint: Complaint, dues: Iterable[Due], *, levels: dict[int, str], now: datetime
) -> tuple[dict[tuple, list[str]], list[Notice]]:
    """``sla_notify``'s notices, not yet written (the sweep writes a whole chunk's at once with
    ``notify_many``, which locks every recipient once, in id order), and who is told, per item."""
    dues = list(dues)
    told: dict[tuple, list[str]] = {}
    per_person: dict[int, tuple[User, list[Due]]] = {}
    for due in dues:
        if due.kind == "met":
            continue
        recipients, _role = due_recipients(complaint, due, levels)
        told[due.key] = sorted({user.username for user in recipients if user is not None})
        for user in recipients:
            if user is not None:
                per_person.setdefault(user.pk, (user, []))[1].append(due)
    # people told about the same items get the same notification
    groups: dict[tuple, list[User]] = {}
    for user, items in per_person.values():
        groups.setdefault(tuple(d.key for d in items), []).append(user)
    notices = []
    for keys, users in groups.items():
        items = [d for d in dues if d.key in keys]
        worst = max(items, key=lambda d: SEVERITY.index(d.kind))
        role = levels.get(worst.level, "manager") if worst.kind == "escalated" else "handler"
        title, _body = _message(complaint, worst, role)
        notices.append(notice_of(
            recipients=users,
            kind=f"sla_{worst.kind}",
            title=title,
            body=[_message(complaint, d, role)[1] for d in items],
            key=f"sla:{complaint.pk}:{worst.kind}:" + hashlib.sha1(repr(keys).encode()).hexdigest()[:24],
            now=now,
            complaint=complaint,
            urgent=complaint.red_channel,
        ))
    return told, notices
