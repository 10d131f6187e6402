"""Test data built through the actions, the same way the product builds it."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from kesu.complaints.actions import complaint_create
from kesu.complaints.drafts import ComplaintDraft
from kesu.core.actions import token_create, user_create
from kesu.core.models import Department, Group
from kesu.core.roles import Role
from kesu.customers.actions import CustomerHandles

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=UTC)  # Monday 09:00 in Shanghai
_seq = itertools.count(1)


def make_group(code: str = "", *, layer: str = "first_line", department: str = "service-centre") -> Group:
    code = code or f"group-{next(_seq)}"
    dept, _ = Department.objects.get_or_create(code=department, defaults={"name": "客服中心"})
    return Group.objects.create(department=dept, code=code, name=f"组 {code}", layer=layer)


def make_user(role: str = Role.HANDLER, username: str = "", **kwargs):
    return user_create(username=username or f"{role}{next(_seq)}", role=role, password="secret-pass-1", **kwargs)


def make_token(user) -> str:
    return token_create(user=user, now=T0)


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
