"""The admin edits rules and group routing with the API's validation, and keeps their history."""

from __future__ import annotations

import json

import pytest

from kesu.core.roles import Role
from kesu.routing.models import GroupRouting, RoutingChange, RoutingRule
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(make_user(Role.ADMIN, "root"))
    return client


def _rule(conditions, actions) -> dict:
    return {"name": "VIPs", "position": 10, "enabled": "on", "conditions": json.dumps(conditions),
            "actions": json.dumps(actions)}


def test_the_admin_refuses_a_bad_rule_naming_the_condition(admin_client, group):
    page = admin_client.post("/admin/routing/routingrule/add/",
                             _rule([{"field": "colour", "op": "is", "value": "red"}], {"group": group.code}))
    assert page.status_code == 200
    assert "conditions[0].field: 无效的值“colour”" in page.content.decode()
    assert not RoutingRule.objects.exists()


def test_the_admin_saves_rules_through_the_actions(admin_client, group):
    response = admin_client.post("/admin/routing/routingrule/add/",
                                 _rule([{"field": "tier", "op": "is", "value": "vip"}], {"group": group.code}))
    assert response.status_code == 302
    rule = RoutingRule.objects.get()
    assert (rule.updated_by.username, rule.actions) == ("root", {"group": group.code})

    assert admin_client.post(f"/admin/routing/routingrule/{rule.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not RoutingRule.objects.exists()
    assert list(RoutingChange.objects.order_by("at", "id").values_list("kind", "by__username")) == [
        ("created", "root"), ("deleted", "root")]


def test_the_admin_sets_group_routing(admin_client, group):
    response = admin_client.post("/admin/routing/grouprouting/add/",
                                 {"group": group.pk, "strategy": "skill_match", "auto_assign": "on"})
    assert response.status_code == 302
    assert GroupRouting.objects.get(group=group).strategy == "skill_match"
    assert RoutingChange.objects.get().target == "group"


def test_managers_edit_rules_in_the_admin_and_handlers_cannot(client, group):
    manager = make_user(Role.MANAGER, "boss")
    manager.is_staff = True  # as user_create makes managers
    manager.save(update_fields=["is_staff"])
    client.force_login(manager)
    response = client.post("/admin/routing/routingrule/add/",
                           _rule([{"field": "tier", "op": "is", "value": "vip"}], {"group": group.code}))
    assert response.status_code == 302
    assert RoutingRule.objects.get().updated_by == manager

    handler = make_user(Role.HANDLER, "clerk")
    handler.is_staff = True
    handler.save(update_fields=["is_staff"])
    client.force_login(handler)
    assert client.get("/admin/routing/routingrule/").status_code == 403
