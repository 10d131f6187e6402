"""Rules decide the group, the priority and who follows; their configuration is versioned."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kesu.complaints.models import EventKind
from kesu.core.errors import FieldError, NotPermitted
from kesu.core.roles import Role
from kesu.routing.actions import group_routing_set, rule_create, rule_delete, rule_update
from kesu.routing.models import ComplaintFollower, GroupRouting, RoutingChange
from tests.factories import T0, make_group, make_user
from tests.routing.conftest import ANGRY, customer, intake, staff

pytestmark = pytest.mark.django_db
LATER = T0 + timedelta(hours=1)


def routed(complaint) -> dict:
    return complaint.events.get(kind=EventKind.ROUTED).data


@pytest.fixture
def vip_desk(db):
    group = make_group("vip-desk")
    group_routing_set(group=group, by=None, now=T0, strategy="senior")
    return group


def test_a_matching_rule_sets_group_priority_and_followers(desk, vip_desk, manager):
    # given a rule for VIPs with a supervisor in copy
    chen = staff("chen", groups=[vip_desk], is_senior=True)
    rule = rule_create(by=manager, now=T0, name="VIPs", conditions=[{"field": "tier", "op": "is", "value": "vip"}],
                       actions={"group": "vip-desk", "priority": "P1", "followers": ["manager1"]})

    # when a VIP complains (triage gives P2 to a calm VIP)
    complaint = intake(customer=customer(tier="vip"), now=LATER)

    # then the rule decides
    complaint.refresh_from_db()
    assert (complaint.group, complaint.priority, complaint.assignee) == (vip_desk, "P1", chen)
    assert list(ComplaintFollower.objects.filter(complaint=complaint).values_list("user__username", "reason")) == [
        ("manager1", "rule 'VIPs'")]
    data = routed(complaint)
    assert data["rule"] == {"id": rule.pk, "name": "VIPs", "name_en": "", "position": 10}
    assert (data["group"]["code"], data["group_source"], data["priority"]) == ("vip-desk", "rule", ["P2", "P1"])
    assert data["followers"] == [{"id": manager.pk, "username": "manager1", "name": "manager1"}]
    assert data["assignee"]["username"] == "chen"


def test_a_regular_customer_is_not_matched(desk, vip_desk):
    rule_create(by=None, now=T0, name="VIPs", conditions=[{"field": "tier", "op": "is", "value": "vip"}],
                actions={"group": "vip-desk"})
    complaint = intake(now=LATER)
    assert complaint.group is None
    assert not complaint.events.filter(kind=EventKind.ROUTED).exists()  # nothing matched, nothing configured


def test_a_group_chosen_at_intake_is_kept_but_the_rest_of_the_rule_applies(desk, vip_desk):
    staff("ann", groups=[desk])
    rule_create(by=None, now=T0, name="angry", conditions=[{"field": "emotion", "op": "gte", "value": 90}],
                actions={"group": "vip-desk", "priority": "P1"})

    complaint = intake(group="desk", content=ANGRY, now=LATER)

    assert (complaint.group, complaint.priority) == (desk, "P1")
    data = routed(complaint)
    assert data["group_source"] == "intake"
    assert data["group_note"] == {"code": "routing.group.intake_rule_ignored", "params": {"group": "vip-desk"}}


def test_a_rule_overrides_the_priority_triage_set(desk):
    staff("ann", groups=[desk])
    rule_create(by=None, now=T0, name="Pudong pilot", conditions=[{"field": "region", "op": "contains",
                                                                     "value": "浦东"}],
                actions={"priority": "P1"})
    complaint = intake(group="desk", region="上海浦东", now=LATER)
    complaint.refresh_from_db()
    assert complaint.priority == "P1"
    triaged = complaint.events.get(kind=EventKind.TRIAGED).data
    assert triaged["result"]["priority"]["value"] == "P3"  # triage suggested, the rule decided
    assert routed(complaint)["priority"] == ["P3", "P1"]


def test_only_the_management_layer_edits_rules(handler, manager):
    with pytest.raises(NotPermitted):
        rule_create(by=handler, now=T0, name="x", conditions=[], actions={"priority": "P1"})
    rule = rule_create(by=manager, now=T0, name="x", conditions=[], actions={"priority": "P1"})
    with pytest.raises(NotPermitted):
        rule_delete(rule=rule, by=handler, now=T0)


def test_an_invalid_rule_is_refused_and_nothing_is_written(manager, desk):
    with pytest.raises(FieldError) as caught:
        rule_create(by=manager, now=T0, name="bad", conditions=[{"field": "colour", "op": "is", "value": "red"}],
                    actions={"group": "nowhere"})
    assert {f for f, _m in caught.value.errors} == {"conditions[0].field", "actions.group"}
    assert not RoutingChange.objects.filter(target="rule").exists()


def test_every_change_of_a_rule_is_kept_with_before_and_after(manager, desk):
    rule = rule_create(by=manager, now=T0, name="consultations", position=5,
                       conditions=[{"field": "category", "op": "in", "value": ["product-consultation"]}],
                       actions={"priority": "P4"})
    rule_update(rule=rule, by=manager, now=LATER, name="consultations", position=5, enabled=False,
                conditions=rule.conditions, actions={"priority": "P4", "group": "desk"})
    rule_update(rule=rule, by=manager, now=LATER, name="consultations", position=5, enabled=False,
                conditions=rule.conditions, actions={"priority": "P4", "group": "desk"})  # no change: no version
    rule_delete(rule=rule, by=manager, now=LATER + timedelta(minutes=1))

    history = list(RoutingChange.objects.filter(target="rule", target_id=rule.pk).order_by("at", "id"))
    assert [(h.kind, h.by) for h in history] == [("created", manager), ("changed", manager), ("deleted", manager)]
    assert (history[1].before["enabled"], history[1].after["enabled"]) == (True, False)
    assert history[1].after["actions"] == {"group": "desk", "priority": "P4"}
    assert history[2].after is None and history[2].before["name"] == "consultations"


def test_new_rules_go_after_the_last_one(manager):
    first = rule_create(by=manager, now=T0, name="a", conditions=[], actions={"priority": "P2"}, position=35)
    second = rule_create(by=manager, now=T0, name="b", conditions=[], actions={"priority": "P3"})
    assert (first.position, second.position) == (35, 45)


def test_one_default_group_at_a_time(manager):
    front, back = make_group("front"), make_group("back")
    group_routing_set(group=front, by=manager, now=T0, is_default=True)
    group_routing_set(group=back, by=manager, now=LATER, is_default=True, strategy="round_robin")

    assert list(GroupRouting.objects.filter(is_default=True).values_list("group__code", flat=True)) == ["back"]
    changes = list(RoutingChange.objects.filter(target="group").order_by("at", "id").values_list("name", "kind"))
    assert changes == [("front", "created"), ("front", "changed"), ("back", "created")]


def test_group_routing_is_validated(manager):
    with pytest.raises(FieldError) as caught:
        group_routing_set(group=make_group("g"), by=manager, now=T0, strategy="random", auto_assign="yes")
    assert {f for f, _m in caught.value.errors} == {"strategy", "auto_assign"}
    with pytest.raises(NotPermitted):
        group_routing_set(group=make_group("h"), by=make_user(Role.HANDLER), now=T0)


def test_a_rule_whose_group_was_removed_leaves_the_complaint_to_be_placed(manager):
    gone = make_group("gone")
    rule_create(by=manager, now=T0, name="to gone", conditions=[], actions={"group": "gone", "priority": "P2"})
    gone.delete()

    complaint = intake(now=LATER)

    assert (complaint.group, complaint.priority) == (None, "P2")
    data = routed(complaint)
    assert (data["outcome"], data["reason"]) == (
        "no_group", {"code": "routing.outcome.group_gone", "params": {"group": "gone"}})
