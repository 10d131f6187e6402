"""The demo organisation and the demo logins can be ensured any number of times."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate

from kesu.core.models import Department, Group, HandlerProfile, Layer, User
from kesu.core.roles import Role
from kesu.demo.generator import DEMO_PASSWORD, demo_users_ensure
from kesu.demo.organisation import organisation_ensure

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    return (
        Department.objects.count(),
        Group.objects.count(),
        User.objects.count(),
        HandlerProfile.objects.count(),
        HandlerProfile.groups.through.objects.count(),
    )


def test_organisation_has_the_four_departments_and_their_groups():
    made = organisation_ensure()

    assert {d.code: d.name for d in Department.objects.all()} == {
        "service-centre": "客服中心",
        "tech": "技术部",
        "logistics": "物流部",
        "finance": "财务部",
    }
    front_desk = Group.objects.get(code="front-desk")
    assert (front_desk.name, front_desk.department.code, front_desk.layer) == (
        "一线受理组",
        "service-centre",
        Layer.FIRST_LINE,
    )
    assert Group.objects.get(code="vip-desk").name == "VIP专席"
    for department in ("tech", "logistics", "finance"):
        assert Group.objects.filter(department__code=department, layer=Layer.SECOND_LINE).exists()
    # every group has handlers with Chinese display names, some of them senior
    for group in Group.objects.all():
        assert group.handlers.exists(), group.code
    handlers = User.objects.filter(role__in=[Role.HANDLER, Role.SPECIALIST])
    assert 10 <= handlers.count() <= 16
    assert all(u.display_name and not u.display_name.isascii() for u in handlers)
    assert HandlerProfile.objects.filter(is_senior=True).exists()
    assert not any(u.has_usable_password() for u in handlers)
    assert made["created"] == {"departments": 4, "groups": 5, "users": len(made["users"])}


def test_a_second_organisation_ensure_creates_nothing():
    organisation_ensure()
    before = _counts()

    again = organisation_ensure()

    assert _counts() == before
    assert again["created"] == {"departments": 0, "groups": 0, "users": 0}
    assert set(again["groups"]) == {
        "front-desk",
        "vip-desk",
        "tech-support",
        "logistics-desk",
        "billing-review",
    }


def test_one_demo_login_per_role_with_the_demo_password():
    rows = demo_users_ensure()

    assert sorted(role for _, _, role in rows) == sorted(Role.values)
    assert {username for username, _, _ in rows} >= {
        "manager",
        "handler",
        "specialist",
        "analyst",
        "decision",
        "admin",
    }
    for username, password, role in rows:
        assert password == DEMO_PASSWORD == "kesu-demo-login"
        user = authenticate(username=username, password=password)
        assert user is not None and user.role == role
    assert User.objects.get(username="handler").handler_profile.groups.filter(code="front-desk").exists()
    assert User.objects.get(username="admin").is_superuser


def test_a_second_demo_users_ensure_keeps_the_users_and_resets_their_passwords():
    demo_users_ensure()
    manager = User.objects.get(username="manager")
    manager.set_password("changed-by-someone")
    manager.save()
    before = _counts()

    rows = demo_users_ensure(password="another-pass")

    assert _counts() == before
    assert User.objects.get(username="manager").pk == manager.pk
    assert {password for _, password, _ in rows} == {"another-pass"}
    assert authenticate(username="manager", password="another-pass") is not None
    assert authenticate(username="manager", password="changed-by-someone") is None
