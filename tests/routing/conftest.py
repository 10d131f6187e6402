from __future__ import annotations

import itertools

import pytest

from kesu.core.models import HandlerProfile
from kesu.core.roles import Role
from kesu.customers.actions import CustomerHandles
from kesu.routing.actions import group_routing_set
from tests.factories import T0, make_complaint, make_group, make_user

_phones = itertools.count(1)
CALM = "快递三天没到，客服态度很差，要求退款。"  # emotion 57: below the threshold of 70
ANGRY = "太气人了！！！你们这是欺诈，垃圾公司，骗子！马上给我退款！！！"  # emotion 100


def customer(**handles) -> CustomerHandles:
    """A new customer each time (the same customer twice would make a repeat complaint)."""
    fields = {"name": "客户", "phone": f"139{next(_phones):08d}"}
    fields.update(handles)
    return CustomerHandles(**fields)


def intake(*, now=T0, **overrides):
    """A new complaint through ``complaint_create`` (and so through routing), from a new customer."""
    overrides.setdefault("customer", customer())
    overrides.setdefault("content", CALM)
    return make_complaint(now=now, **overrides)


def staff(username: str, *, groups, role: str = Role.HANDLER, availability: str = "online", capacity: int = 30,
          is_senior: bool = False, skills=()):
    user = make_user(role, username, groups=list(groups), is_senior=is_senior)
    profile_set(user, availability=availability, capacity=capacity, skills=list(skills))
    return user


def profile_set(user, **fields) -> None:
    """Availability, capacity and skills (the core has no action for them yet)."""
    HandlerProfile.objects.filter(user=user).update(**fields)


@pytest.fixture
def desk(db):
    """A first-line group that assigns automatically (least load)."""
    group = make_group("desk")
    group_routing_set(group=group, by=None, now=T0, strategy="least_load")
    return group
