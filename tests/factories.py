"""Test data built through the actions, the same way the product builds it."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from kesu.complaints.drafts import ComplaintDraft
from kesu.complaints.models import ComplaintEvent, EventKind
from kesu.core.actions import token_create, user_create
from kesu.core.models import Department, Group
from kesu.core.roles import Role
from kesu.customers.actions import CustomerHandles
from kesu.pipeline.intake import complaint_create

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai
# events the SLA clocks (sla/actions.py) and routing (routing/actions.py) write next to the domain events
BOOKKEEPING_KINDS = frozenset(
    {
        EventKind.SLA_APPLIED,
        EventKind.SLA_PAUSED,
        EventKind.SLA_RESUMED,
        EventKind.SLA_WARNED,
        EventKind.SLA_BREACHED,
        EventKind.SLA_MET,
        EventKind.ESCALATED,
        EventKind.REMINDED,
        EventKind.ROUTED,
    }
)
_seq = itertools.count(1)


def make_group(code: str = "", *, layer: str = "first_line", department: str = "service-centre") -> Group:
    code = code or f"group-{next(_seq)}"
    dept, _ = Department.objects.get_or_create(code=department, defaults={"name": "客服中心"})
    return Group.objects.create(department=dept, code=code, name=f"组 {code}", layer=layer)


def make_user(role: str = Role.HANDLER, username: str = "", **kwargs):
    return user_create(username=username or f"{role}{next(_seq)}", role=role, password="Kq8-mZvT2wL-9x", **kwargs)


def make_token(user, *, days: int = 0, read_only: bool = False, now: datetime = T0) -> str:
    """A token of ``user``; by default without expiry (tests run long after T0), read and write."""
    return token_create(user=user, now=now, days=days, read_only=read_only)


def make_draft(**overrides) -> ComplaintDraft:
    fields = {
        "channel": "phone",
        "content": "快递三天没到，客服态度很差，要求退款。",
        "customer": CustomerHandles(name="张伟", phone="13800138000"),
    }
    fields.update(overrides)
    return ComplaintDraft(**fields)


def make_complaint(*, by=None, now: datetime = T0, **overrides):
    return complaint_create(draft=make_draft(**overrides), by=by, now=now)


def domain_events(complaint) -> list[ComplaintEvent]:
    """The complaint's timeline, oldest first, without the SLA and routing bookkeeping."""
    return [event for event in complaint.events.all() if event.kind not in BOOKKEEPING_KINDS]


def domain_kinds(complaint) -> list[str]:
    """The kinds of :func:`domain_events`: what the people (and triage) did, in order."""
    return [event.kind for event in domain_events(complaint)]


def domain_timeline(timeline: list[dict]) -> list[dict]:
    """An API or JSON timeline without the SLA and routing bookkeeping."""
    return [event for event in timeline if event["kind"] not in BOOKKEEPING_KINDS]
