"""The routing API: explain (for a recorded or an unsaved complaint) and the management layer's rules."""

from __future__ import annotations

import pytest

from kesu.complaints.models import Complaint, ComplaintEvent, ComplaintSequence
from kesu.core.roles import Role
from kesu.customers.models import Customer, CustomerIdentity
from kesu.routing.actions import group_routing_set, rule_create
from kesu.routing.models import ComplaintFollower, GroupRouting, RoutingChange, RoutingRule
from kesu.triage.models import RepeatLink, TriageSettings
from tests.api.builders import client_for, error_fields, post_json
from tests.factories import T0, make_group, make_user
from tests.routing.conftest import ANGRY, customer, intake, staff

pytestmark = pytest.mark.django_db

VIP_RULE = {"name": "VIPs to the VIP desk", "conditions": [{"field": "tier", "op": "is", "value": "vip"}],
            "actions": {"group": "vip-desk", "followers": ["manager1"]}}


@pytest.fixture
def vip_desk(db):
    group = make_group("vip-desk")
    group_routing_set(group=group, by=None, now=T0, strategy="least_load")
    return group


@pytest.fixture
def rules(manager, vip_desk):
    angry = rule_create(by=manager, now=T0, name="angry", position=10,
                        conditions=[{"field": "emotion", "op": "gte", "value": 90}], actions={"priority": "P1"})
    vip = rule_create(by=manager, now=T0, position=20, **VIP_RULE)
    return angry, vip


# --- explain ----------------------------------------------------------------------------------------


def test_explain_a_recorded_complaint(rules, vip_desk, handler):
    chen = staff("chen", groups=[vip_desk], is_senior=True)
    complaint = intake(customer=customer(tier="vip"))
    assert complaint.assignee == chen

    response = post_json(client_for(handler), "/api/v1/routing/explain", {"complaint_id": complaint.pk})

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["complaint"] == {"id": complaint.pk, "number": complaint.number, "saved": True, "group": "vip-desk",
                                 "assignee": "chen"}
    assert body["matched"] == {"id": rules[1].pk, "name": "VIPs to the VIP desk", "name_en": "", "position": 20}
    angry, vip = body["rules"]
    assert (angry["matched"], angry["conditions"][0]["actual"], angry["conditions"][0]["passed"]) == (
        False, complaint.emotion, False)
    assert vip["applied"] and vip["conditions"] == [
        {"field": "tier", "op": "is", "value": "vip", "actual": "vip", "passed": True}]
    assert body["decision"]["group"] == "vip-desk" and body["decision"]["group_source"] == "rule"
    assert [(r["code"], r["message"]) for r in body["senior_required"]] == [("routing.senior.vip", "VIP 客户")]
    assert body["assignment"]["would_assign"]["username"] == "chen"


def test_explain_an_unsaved_complaint_writes_nothing(rules, vip_desk, handler):
    staff("chen", groups=[vip_desk], is_senior=True)
    TriageSettings.objects.all().delete()  # even a configuration row triage makes on first use is not kept
    tables = (Complaint, ComplaintEvent, Customer, CustomerIdentity, RepeatLink, ComplaintFollower,
              ComplaintSequence, TriageSettings, RoutingRule, RoutingChange, GroupRouting)
    before = {model.__name__: model.objects.count() for model in tables}
    cursor = GroupRouting.objects.get(group=vip_desk).last_assigned_id

    response = post_json(client_for(handler), "/api/v1/routing/explain", {
        "channel": "phone", "content": ANGRY, "customer": {"name": "王女士", "phone": "13911112222", "tier": "vip"},
    })

    assert response.status_code == 200, response.content
    body = response.json()
    assert body["complaint"]["saved"] is False
    assert body["triage"]["emotion"]["score"] == 100
    assert body["matched"]["name"] == "angry"  # the first match wins …
    assert [r["matched"] for r in body["rules"]] == [True, True]  # … and the VIP rule is shown matching too
    assert body["rules"][1]["why"]["code"] == "routing.why.earlier"
    assert body["rules"][1]["why"]["message"] == "条件满足，但规则“angry”排在前面"
    assert body["decision"]["priority"][1] == "P1"
    assert body["decision"]["group_source"] == "none"
    assert [r["code"] for r in body["senior_required"]] == ["routing.senior.emotion", "routing.senior.vip"]
    assert {model.__name__: model.objects.count() for model in tables} == before
    assert GroupRouting.objects.get(group=vip_desk).last_assigned_id == cursor


def test_explain_an_existing_customer_uses_their_tier(rules, handler):
    known = intake(customer=customer(tier="vip", phone="13955556666"))
    response = post_json(client_for(handler), "/api/v1/routing/explain", {
        "channel": "phone", "content": "请问怎么办理宽带？", "customer": {"phone": "13955556666"}})
    assert response.status_code == 200, response.content
    assert response.json()["facts"]["tier"] == "vip"
    assert response.json()["triage"]["repeat"]["count"] == 0
    assert Complaint.objects.count() == 1 and known.customer.complaints.count() == 1


def test_explain_names_bad_fields_of_an_unsaved_complaint(handler):
    response = post_json(client_for(handler), "/api/v1/routing/explain",
                         {"channel": "fax", "content": "", "category": "nope"})
    assert error_fields(response) == {"channel", "content", "category", "customer"}


def test_explain_an_unknown_complaint_is_404(handler):
    response = post_json(client_for(handler), "/api/v1/routing/explain", {"complaint_id": 999999})
    assert response.status_code == 404


# --- rules ------------------------------------------------------------------------------------------


def test_the_management_layer_creates_lists_changes_and_deletes_rules(manager, vip_desk):
    client = client_for(manager)

    created = post_json(client, "/api/v1/routing/rules", VIP_RULE)
    assert created.status_code == 201, created.content
    rule = created.json()
    assert (rule["position"], rule["updated_by"], rule["problem"]) == (10, "manager1", "")

    changed = client.put(f"/api/v1/routing/rules/{rule['id']}", data={**VIP_RULE, "enabled": False},
                         content_type="application/json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["enabled"] is False and changed.json()["position"] == 10

    listed = client.get("/api/v1/routing/rules")
    assert [(r["name"], r["enabled"]) for r in listed.json()] == [("VIPs to the VIP desk", False)]

    assert client.delete(f"/api/v1/routing/rules/{rule['id']}").status_code == 204
    assert client.get("/api/v1/routing/rules").json() == []
    assert client.delete(f"/api/v1/routing/rules/{rule['id']}").status_code == 404
    kinds = list(RoutingChange.objects.filter(target="rule").order_by("at", "id").values_list("kind", flat=True))
    assert kinds == ["created", "changed", "deleted"]


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"name": "x", "conditions": [{"field": "colour", "op": "is", "value": "red"}], "actions": {"priority": "P1"}},
         {"conditions[0].field"}),
        ({"name": "x", "conditions": [{"field": "tier", "op": "is", "value": "vip"},
                                      {"field": "emotion", "op": "gte", "value": 700}],
          "actions": {"group": "nowhere"}},
         {"conditions[1].value", "actions.group"}),
        ({"name": "", "conditions": "tier=vip", "actions": {}}, {"name", "conditions", "actions"}),
    ],
)
def test_an_invalid_rule_is_a_422_naming_the_bad_part(manager, body, fields):
    response = post_json(client_for(manager), "/api/v1/routing/rules", body)
    assert error_fields(response) == fields
    assert not RoutingRule.objects.exists()


def test_the_422_message_names_the_unknown_field(manager):
    response = post_json(client_for(manager), "/api/v1/routing/rules", {
        "name": "x", "conditions": [{"field": "colour", "op": "is", "value": "red"}], "actions": {"priority": "P1"}})
    (error,) = response.json()["detail"]
    assert error["loc"] == ["body", "conditions[0].field"]
    assert (error["code"], error["params"]["value"]) == ("field.unknown", "colour")
    assert error["message"].startswith("无效的值“colour”，请从以下选项中选择：category、tags、channel")


@pytest.mark.parametrize("role", [Role.HANDLER, Role.SPECIALIST, Role.ANALYST, Role.DECISION])
def test_only_the_management_layer_may_touch_rules(role, manager):
    rule = rule_create(by=manager, now=T0, name="x", conditions=[], actions={"priority": "P2"})
    client = client_for(make_user(role))
    assert client.get("/api/v1/routing/rules").status_code == 403
    assert post_json(client, "/api/v1/routing/rules", {"name": "y", "actions": {"priority": "P1"}}).status_code == 403
    assert client.put(f"/api/v1/routing/rules/{rule.pk}", data={"name": "y", "actions": {"priority": "P1"}},
                      content_type="application/json").status_code == 403
    assert client.delete(f"/api/v1/routing/rules/{rule.pk}").status_code == 403
    assert client.put("/api/v1/routing/groups/front-desk", data={}, content_type="application/json").status_code == 403
    assert RoutingRule.objects.get().name == "x"


def test_admins_may_manage_rules_too():
    response = post_json(client_for(make_user(Role.ADMIN)), "/api/v1/routing/rules",
                         {"name": "y", "actions": {"priority": "P1"}})
    assert response.status_code == 201


def test_the_management_layer_sets_group_routing(manager, group):
    client = client_for(manager)
    response = client.put(f"/api/v1/routing/groups/{group.code}", data={"strategy": "round_robin", "is_default": True},
                          content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["strategy"] == "round_robin" and response.json()["is_default"] is True
    assert [g["group"] for g in client.get("/api/v1/routing/groups").json()] == [group.code]
    bad = client.put(f"/api/v1/routing/groups/{group.code}", data={"strategy": "random"},
                     content_type="application/json")
    assert error_fields(bad) == {"strategy"}
    assert client.put("/api/v1/routing/groups/nope", data={}, content_type="application/json").status_code == 404


def test_a_rule_broken_by_a_later_change_is_listed_with_its_problem(manager, vip_desk):
    rule_create(by=manager, now=T0, name="consultations",
                conditions=[{"field": "category", "op": "in", "value": ["product-consultation"]}],
                actions={"priority": "P4"})
    from kesu.complaints.models import Category

    Category.objects.filter(code="product-consultation").update(is_active=False)
    (listed,) = client_for(manager).get("/api/v1/routing/rules").json()
    assert listed["problem_message"]["code"] == "routing.parts"
    assert listed["problem"].startswith("conditions[0].value[0]：无效的值“product-consultation”")
