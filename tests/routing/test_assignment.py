"""Routing at intake: each strategy, the senior rule, availability and capacity, waiting complaints."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kesu.complaints.models import ComplaintEvent, EventKind, Status
from kesu.core.roles import Role
from kesu.pipeline import transitions as actions
from kesu.routing.actions import complaint_reassign_waiting, group_routing_set, waiting_assign_all
from kesu.routing.models import GroupRouting
from tests.api.builders import complaint_in
from tests.factories import T0, make_group
from tests.routing.conftest import ANGRY, customer, intake, profile_set, staff

MINUTE = timedelta(minutes=1)
pytestmark = pytest.mark.django_db


def routed(complaint) -> dict:
    return complaint.events.get(kind=EventKind.ROUTED).data


def assignees(complaints) -> list[str | None]:
    return [c.assignee.username if c.assignee_id else None for c in complaints]


def test_round_robin_cycles_through_the_online_handlers(desk):
    group_routing_set(group=desk, by=None, now=T0, strategy="round_robin")
    for name in ("ann", "bob", "cai"):
        staff(name, groups=[desk])

    complaints = [intake(group="desk", now=T0 + i * MINUTE) for i in range(7)]

    assert assignees(complaints) == ["ann", "bob", "cai", "ann", "bob", "cai", "ann"]
    assert GroupRouting.objects.get(group=desk).last_assigned.username == "ann"
    assert routed(complaints[1])["strategy"] == "round_robin"


def test_least_load_counts_only_complaints_whose_clock_runs(desk):
    # given ann holds two complaints waiting for the customer and bob one he is working on
    ann, bob = staff("ann", groups=[desk]), staff("bob", groups=[desk])
    complaint_in(Status.PENDING_CUSTOMER, handler=ann, customer=customer())
    complaint_in(Status.PENDING_CUSTOMER, handler=ann, customer=customer())
    complaint_in(Status.RESOLVED, handler=bob, customer=customer())
    complaint_in(Status.IN_PROGRESS, handler=bob, customer=customer())

    # when a complaint arrives
    complaint = intake(group="desk", now=T0 + 10 * MINUTE)

    # then ann (0 running) gets it, not bob (1 running)
    assert complaint.assignee == ann and complaint.status == Status.ASSIGNED
    loads = {c["username"]: c["load"] for c in routed(complaint)["candidates"]}
    assert loads == {"ann": 0, "bob": 1}


def test_least_load_ties_go_to_whoever_waited_longest(desk):
    staff("ann", groups=[desk])
    staff("bob", groups=[desk])
    first, second, third = (intake(group="desk", now=T0 + i * MINUTE) for i in range(3))
    assert assignees([first, second, third]) == ["ann", "bob", "ann"]


def test_skill_match_prefers_the_handler_who_knows_the_subject(desk):
    group_routing_set(group=desk, by=None, now=T0, strategy="skill_match")
    staff("ann", groups=[desk], skills=["billing"])
    bob = staff("bob", groups=[desk], skills=["Logistics", "破损"])
    intake(group="desk", category="logistics-delay")  # bob gets one: he knows logistics

    # bob now carries more, but a damaged parcel still goes to him
    complaint = intake(group="desk", category="logistics-damage", content="快递到了，箱子破损，东西摔坏了。",
                       now=T0 + MINUTE)

    assert complaint.assignee == bob
    data = routed(complaint)
    assert data["reason"]["code"] == "routing.assigned"
    assert data["reason"]["params"]["how"] == {"code": "routing.how.skills", "params": {"skills": ["logistics", "破损"]}}
    assert {c["username"]: c["skills_matched"] for c in data["candidates"]} == {"ann": [], "bob": ["logistics", "破损"]}


def test_a_rule_can_override_the_groups_strategy(desk):
    from kesu.routing.actions import rule_create

    staff("ann", groups=[desk])
    chen = staff("chen", groups=[desk], is_senior=True)
    rule_create(by=None, now=T0, name="refunds to seniors", conditions=[{"field": "tags", "op": "has_any",
                                                                          "value": ["退款"]}],
                actions={"strategy": "senior"})
    intake(group="desk", content="请问怎么办理宽带？")  # no rule: least load → ann (lower id)

    complaint = intake(group="desk", now=T0 + MINUTE)  # mentions 退款

    assert complaint.assignee == chen
    assert routed(complaint)["strategy"] == "senior"


@pytest.mark.parametrize(
    ("draft", "reason"),
    [
        ({"content": ANGRY}, {"code": "routing.senior.emotion", "params": {"score": 100, "threshold": 70}}),
        ({"customer": customer(tier="vip")}, {"code": "routing.senior.vip", "params": {}}),
    ],
)
def test_angry_and_vip_complaints_go_to_a_senior_whatever_the_strategy(desk, draft, reason):
    group_routing_set(group=desk, by=None, now=T0, strategy="round_robin")
    staff("ann", groups=[desk])
    chen = staff("chen", groups=[desk], is_senior=True)

    complaint = intake(group="desk", **draft)

    assert complaint.assignee == chen
    data = routed(complaint)
    assert reason in data["senior_required"]
    assert {c["username"]: c.get("why_not") for c in data["candidates"]} == {
        "ann": {"code": "routing.candidate.not_senior", "params": {}}, "chen": None}


def test_a_repeat_complaint_goes_to_a_senior(desk):
    staff("ann", groups=[desk])
    chen = staff("chen", groups=[desk], is_senior=True)
    same = customer()
    first = intake(group="desk", customer=same)
    profile_set(chen, availability="away")
    assert first.assignee.username == "ann"  # least load, lower id
    profile_set(chen, availability="online")

    again = intake(group="desk", customer=same, now=T0 + 5 * MINUTE)

    assert again.repeat_count == 1
    assert again.assignee == chen
    assert {"code": "routing.senior.repeat", "params": {"count": 1}} in routed(again)["senior_required"]


def test_with_no_senior_free_it_waits_rather_than_going_to_a_junior(desk):
    staff("ann", groups=[desk])
    staff("chen", groups=[desk], is_senior=True, availability="away")

    complaint = intake(group="desk", content=ANGRY)

    complaint.refresh_from_db()
    assert (complaint.status, complaint.assignee, complaint.group) == (Status.NEW, None, desk)
    data = routed(complaint)
    assert data["outcome"] == "no_senior_free"
    assert data["reason"] == {"code": "routing.outcome.no_senior_free", "params": {}}
    assert not complaint.events.filter(kind=EventKind.ASSIGNED).exists()


def test_away_and_off_shift_handlers_are_never_assigned(desk):
    staff("away", groups=[desk], availability="away")
    staff("gone", groups=[desk], availability="off_shift")
    online = staff("zoe", groups=[desk])

    complaints = [intake(group="desk", now=T0 + i * MINUTE) for i in range(3)]

    assert {c.assignee for c in complaints} == {online}
    why = {c["username"]: c.get("why_not") for c in routed(complaints[0])["candidates"]}
    assert why == {"away": {"code": "routing.candidate.away", "params": {}},
                   "gone": {"code": "routing.candidate.off_shift", "params": {}}, "zoe": None}


def test_managers_are_not_auto_assigned(desk):
    staff("boss", groups=[desk], role=Role.MANAGER)
    complaint = intake(group="desk")
    assert complaint.assignee is None
    assert routed(complaint)["outcome"] == "no_handlers"


def test_nobody_gets_more_than_their_capacity(desk):
    staff("ann", groups=[desk], capacity=2)
    staff("bob", groups=[desk], capacity=1)

    complaints = [intake(group="desk", now=T0 + i * MINUTE) for i in range(5)]

    assert assignees(complaints) == ["ann", "bob", "ann", None, None]
    waiting = complaints[-1]
    assert waiting.status == Status.NEW
    assert routed(waiting)["outcome"] == "no_handler_free"
    assert {c["username"]: c.get("why_not") for c in routed(waiting)["candidates"]} == {
        "ann": {"code": "routing.candidate.full", "params": {"load": 2, "capacity": 2}},
        "bob": {"code": "routing.candidate.full", "params": {"load": 1, "capacity": 1}}}


def test_capacity_counts_complaints_from_every_group(desk):
    other = make_group("other")
    group_routing_set(group=other, by=None, now=T0, strategy="least_load")
    staff("ann", groups=[desk, other], capacity=2)

    first, second, third = intake(group="desk"), intake(group="other"), intake(group="desk")

    assert assignees([first, second, third]) == ["ann", "ann", None]


def test_a_group_that_assigns_by_hand_keeps_the_complaint_in_its_queue(desk):
    group_routing_set(group=desk, by=None, now=T0, strategy="least_load", auto_assign=False)
    staff("ann", groups=[desk])
    complaint = intake(group="desk")
    assert complaint.assignee is None
    assert routed(complaint)["outcome"] == "manual"


def test_without_any_routing_configured_intake_is_unchanged(group, handler):
    complaint = intake(group=group.code)
    assert (complaint.status, complaint.assignee, complaint.group) == (Status.NEW, None, group)
    assert not complaint.events.filter(kind=EventKind.ROUTED).exists()


def test_the_default_group_takes_complaints_no_rule_places(desk):
    group_routing_set(group=desk, by=None, now=T0, strategy="least_load", is_default=True)
    ann = staff("ann", groups=[desk])

    complaint = intake()

    complaint.refresh_from_db()
    assert (complaint.group, complaint.assignee, complaint.status) == (desk, ann, Status.ASSIGNED)
    data = routed(complaint)
    assert (data["group_source"], data["rule"]) == ("default", None)
    kinds = list(complaint.events.values_list("kind", flat=True))
    assert kinds.index(EventKind.ROUTED) < kinds.index(EventKind.ASSIGNED)
    assigned = complaint.events.get(kind=EventKind.ASSIGNED)
    assert (assigned.actor, assigned.from_status, assigned.to_status) == (None, Status.NEW, Status.ASSIGNED)


def test_waiting_complaints_are_handed_out_when_capacity_frees(desk):
    # given ann is full and two complaints wait: a calm one and an angry one
    ann = staff("ann", groups=[desk], capacity=1)
    held = intake(group="desk")
    calm = intake(group="desk", now=T0 + MINUTE)
    angry = intake(group="desk", content=ANGRY, now=T0 + 2 * MINUTE)
    assert assignees([held, calm, angry]) == ["ann", None, None]

    # when ann resolves hers and the waiting ones are handed out
    actions.complaint_start(complaint=held, by=ann, now=T0 + 3 * MINUTE)
    actions.complaint_resolve(complaint=held, by=ann, now=T0 + 4 * MINUTE, resolution="已处理")
    assigned = complaint_reassign_waiting(group=desk, now=T0 + 5 * MINUTE)

    # then ann gets the calm one; the angry one waits for a senior
    assert [c.pk for c in assigned] == [calm.pk]
    calm.refresh_from_db()
    angry.refresh_from_db()
    assert (calm.assignee, calm.status) == (ann, Status.ASSIGNED)
    assert (angry.assignee, angry.status) == (None, Status.NEW)

    # and a senior coming online takes the angry one on the next sweep
    staff("chen", groups=[desk], is_senior=True)
    assert waiting_assign_all(now=T0 + 6 * MINUTE) == 1
    angry.refresh_from_db()
    assert angry.assignee.username == "chen"
    assert list(angry.events.filter(kind=EventKind.ROUTED).values_list("data__outcome", flat=True)) == [
        "no_senior_free", "assigned"]
    assert ComplaintEvent.objects.filter(complaint=angry, kind=EventKind.ASSIGNED).count() == 1
