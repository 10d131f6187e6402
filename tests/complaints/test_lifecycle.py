"""The state machine as pure steps: no database, a given ``now``, one unsaved event per step."""

from __future__ import annotations

import itertools
from datetime import timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kesu.complaints import lifecycle
from kesu.complaints.lifecycle import ACTIONS, ALLOWED_FROM, OPEN, actions_allowed
from kesu.complaints.models import Complaint, EventKind, Status
from kesu.core.errors import FieldError, InvalidTransition
from kesu.core.models import Group, User
from tests.factories import T0

_ids = itertools.count(100)
LATER = T0 + timedelta(hours=2)


def _user(username: str = "", *, active: bool = True) -> User:
    pk = next(_ids)
    return User(pk=pk, username=username or f"user{pk}", is_active=active)


def _group(code: str) -> Group:
    return Group(pk=next(_ids), code=code, name=code)


FRONT, BACK = _group("front-desk"), _group("back-office")
HANDLER, MANAGER = _user("handler1"), _user("manager1")


def _complaint(status: str = Status.NEW, **fields) -> Complaint:
    pk = next(_ids)
    complaint = Complaint(
        pk=pk,
        number=f"KS-2026-{pk:06d}",
        channel="phone",
        content="投诉",
        status=status,
        created_at=T0,
        updated_at=T0,
        **fields,
    )
    return complaint


def _take(complaint: Complaint, action: str, *, by: User = MANAGER, now=LATER):
    """Take ``action`` with every field it needs; return the event(s)."""
    match action:
        case "assign":
            return lifecycle.assign(complaint, assignee=HANDLER, by=by, now=now)
        case "start":
            return lifecycle.start(complaint, by=by, now=now)
        case "pend":
            return lifecycle.pend(complaint, by=by, now=now, reason="等客户补充")
        case "resume":
            return lifecycle.resume(complaint, by=by, now=now)
        case "resolve":
            return lifecycle.resolve(complaint, by=by, now=now, resolution="已处理")
        case "close":
            return lifecycle.close(complaint, by=by, now=now)
        case "reopen":
            return lifecycle.reopen(complaint, by=by, now=now, reason="未解决")
        case "transfer":
            to_group = BACK if complaint.group_id == FRONT.pk else FRONT
            return lifecycle.transfer(complaint, to_group=to_group, by=by, now=now, reason="转二线")
        case "merge":
            return lifecycle.merge(complaint, _complaint(), by=by, now=now)
        case "contact":
            return lifecycle.contact(complaint, by=by, now=now, channel="phone", text="已电话联系客户")
        case "follow_up":
            return lifecycle.follow_up(complaint, by=by, now=now, outcome="satisfied")
    raise AssertionError(action)


# --- the table ------------------------------------------------------------------------------------------


def test_the_documented_life_cycle():
    assert ALLOWED_FROM == {
        "assign": OPEN,
        "start": (Status.ASSIGNED,),
        "pend": (Status.IN_PROGRESS,),
        "resume": (Status.PENDING_CUSTOMER,),
        "resolve": (Status.IN_PROGRESS,),
        "close": (Status.RESOLVED,),
        "reopen": (Status.RESOLVED, Status.CLOSED),
        "transfer": OPEN,
        "merge": OPEN,
        "contact": (Status.ASSIGNED, Status.IN_PROGRESS, Status.PENDING_CUSTOMER),
        "follow_up": (Status.RESOLVED, Status.CLOSED),
    }
    assert set(OPEN) == {Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS, Status.PENDING_CUSTOMER}


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (Status.NEW, ["assign", "transfer", "merge"]),
        (Status.ASSIGNED, ["assign", "start", "transfer", "merge", "contact"]),
        (Status.IN_PROGRESS, ["assign", "pend", "resolve", "transfer", "merge", "contact"]),
        (Status.PENDING_CUSTOMER, ["assign", "resume", "transfer", "merge", "contact"]),
        (Status.RESOLVED, ["close", "reopen", "follow_up"]),
        (Status.CLOSED, ["reopen", "follow_up"]),
    ],
)
def test_actions_allowed_per_status(status, expected):
    assert actions_allowed(status) == expected


# --- every step: allowed moves and forbidden ones ------------------------------------------------------

RESULT = {
    "assign": Status.ASSIGNED,
    "start": Status.IN_PROGRESS,
    "pend": Status.PENDING_CUSTOMER,
    "resume": Status.IN_PROGRESS,
    "resolve": Status.RESOLVED,
    "close": Status.CLOSED,
    "reopen": Status.NEW,  # no resolving handler recorded on this bare complaint
    "transfer": Status.NEW,
    "merge": Status.CLOSED,
    "contact": None,  # recorded without a change of status
    "follow_up": None,
}
ALLOWED = [(a, s) for a, statuses in ALLOWED_FROM.items() for s in statuses]
FORBIDDEN = [(a, s) for a in ACTIONS for s in Status.values if s not in ALLOWED_FROM[a]]


@pytest.mark.parametrize(("action", "status"), ALLOWED)
def test_allowed_step_moves_and_returns_its_event(action, status):
    complaint = _complaint(status, group=FRONT)

    result = _take(complaint, action)

    event = result[0] if action == "merge" else result
    assert event.pk is None  # not saved: actions.py saves it
    assert (event.from_status, event.to_status) == (status, RESULT[action] or status)
    assert complaint.status == (RESULT[action] or status)
    assert (event.at, event.actor, complaint.updated_at) == (LATER, MANAGER, LATER)
    assert event.complaint is complaint


@pytest.mark.parametrize(("action", "status"), FORBIDDEN)
def test_forbidden_step_raises_and_leaves_the_complaint_alone(action, status):
    complaint = _complaint(status, group=FRONT)

    with pytest.raises(InvalidTransition) as raised:
        _take(complaint, action)

    assert raised.value.current_status == status
    assert raised.value.allowed_from == tuple(ALLOWED_FROM[action])
    assert raised.value.code == "transition.refused"
    assert raised.value.message_obj.as_data()["params"] == {
        "action": {"code": f"action.{action}", "params": {}}, "status": {"code": f"status.{status}", "params": {}}}
    assert (complaint.status, complaint.updated_at, complaint.group_id) == (status, T0, FRONT.pk)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(ACTIONS), max_size=25))
def test_any_sequence_of_actions_keeps_the_machine_consistent(sequence):
    complaint = _complaint(group=FRONT)
    reopens = 0
    for i, action in enumerate(sequence):
        before = complaint.status
        now = T0 + timedelta(minutes=i + 1)
        if before not in ALLOWED_FROM[action]:
            with pytest.raises(InvalidTransition):
                _take(complaint, action, now=now)
            assert complaint.status == before
            continue
        if action == "reopen" and complaint.merged_into_id:
            with pytest.raises(InvalidTransition):
                _take(complaint, action, now=now)
            continue
        result = _take(complaint, action, now=now)
        event = result[0] if action == "merge" else result
        assert (event.from_status, event.to_status) == (before, complaint.status)
        reopens += action == "reopen"
        assert complaint.reopen_count == reopens
        assert complaint.status in Status.values
        if complaint.status == Status.RESOLVED:
            assert complaint.resolved_at is not None and complaint.resolution
        if complaint.status in OPEN:
            assert complaint.resolved_at is None and complaint.closed_at is None
        if complaint.status == Status.ASSIGNED:
            assert complaint.assignee is not None
        if action in ("contact", "follow_up"):
            assert complaint.status == before


# --- fields each step requires ---------------------------------------------------------------------------


@pytest.mark.parametrize("resolution", ["", "   ", "\n\t"])
def test_resolve_requires_a_resolution(resolution):
    complaint = _complaint(Status.IN_PROGRESS)

    with pytest.raises(FieldError) as raised:
        lifecycle.resolve(complaint, by=HANDLER, now=LATER, resolution=resolution)

    assert raised.value.field == "resolution"
    assert complaint.status == Status.IN_PROGRESS


def test_resolve_keeps_the_resolution_trimmed_and_records_the_handler():
    complaint = _complaint(Status.IN_PROGRESS, assignee=HANDLER)

    event = lifecycle.resolve(complaint, by=MANAGER, now=LATER, resolution="  退款 ¥120 已到账  ")

    assert complaint.resolution == event.data["resolution"] == "退款 ¥120 已到账"
    assert complaint.resolved_at == LATER
    assert complaint.last_handler == HANDLER


def test_resolve_by_someone_without_an_assignee_records_them():
    complaint = _complaint(Status.IN_PROGRESS)

    lifecycle.resolve(complaint, by=MANAGER, now=LATER, resolution="ok")

    assert complaint.last_handler == MANAGER


def test_an_overlong_resolution_is_refused():
    with pytest.raises(FieldError) as refused:
        lifecycle.resolve(_complaint(Status.IN_PROGRESS), by=HANDLER, now=LATER, resolution="长" * 5001)
    assert (refused.value.code, refused.value.params) == ("field.too_long", {"limit": 5000, "got": 5001})


@pytest.mark.parametrize("status", [Status.RESOLVED, Status.CLOSED])
@pytest.mark.parametrize("reason", ["", "  "])
def test_reopen_requires_a_reason(status, reason):
    complaint = _complaint(status)

    with pytest.raises(FieldError) as raised:
        lifecycle.reopen(complaint, by=MANAGER, now=LATER, reason=reason)

    assert raised.value.field == "reason"
    assert (complaint.status, complaint.reopen_count) == (status, 0)


@pytest.mark.parametrize("status", [Status.RESOLVED, Status.CLOSED])
def test_reopen_returns_to_the_handler_who_resolved_it(status):
    complaint = _complaint(status, last_handler=HANDLER, resolved_at=T0, closed_at=T0, reopen_count=1)

    event = lifecycle.reopen(complaint, by=MANAGER, now=LATER, reason="客户不满意")

    assert (complaint.status, complaint.assignee, complaint.assigned_at) == (Status.ASSIGNED, HANDLER, LATER)
    assert complaint.reopen_count == 2
    assert complaint.resolved_at is None and complaint.closed_at is None
    assert event.kind == EventKind.REOPENED
    assert event.data == {
        "reason": "客户不满意",
        "assignee": {"id": HANDLER.pk, "username": "handler1", "name": "handler1"},
        "reopen_count": 2,
    }


def test_reopen_when_the_resolver_has_left_goes_back_to_new():
    complaint = _complaint(Status.CLOSED, last_handler=_user(active=False), assignee=HANDLER)

    lifecycle.reopen(complaint, by=MANAGER, now=LATER, reason="客户又来电")

    assert (complaint.status, complaint.assignee, complaint.assigned_at) == (Status.NEW, None, None)


def test_a_merged_duplicate_cannot_be_reopened():
    complaint = _complaint(Status.CLOSED, merged_into=_complaint())

    with pytest.raises(InvalidTransition) as refused:
        lifecycle.reopen(complaint, by=MANAGER, now=LATER, reason="x")
    assert refused.value.code == "transition.merged_reopen"
    assert refused.value.params["primary"] == complaint.merged_into.number
    assert complaint.reopen_count == 0


def test_assign_requires_an_active_assignee():
    complaint = _complaint()

    with pytest.raises(FieldError) as raised:
        lifecycle.assign(complaint, assignee=_user("gone", active=False), by=MANAGER, now=LATER)
    assert raised.value.field == "assignee"
    with pytest.raises(FieldError):
        lifecycle.assign(complaint, assignee=None, by=MANAGER, now=LATER)
    assert complaint.status == Status.NEW


def test_reassigning_records_both_handlers():
    other = _user("handler2")
    complaint = _complaint(Status.IN_PROGRESS, assignee=HANDLER)

    event = lifecycle.assign(complaint, assignee=other, by=MANAGER, now=LATER)

    assert [ref["username"] for ref in event.data["assignee"]] == ["handler1", "handler2"]
    assert complaint.status == Status.ASSIGNED


def test_transfer_rules():
    complaint = _complaint(Status.IN_PROGRESS, group=FRONT, assignee=HANDLER)

    with pytest.raises(FieldError) as same:
        lifecycle.transfer(complaint, to_group=FRONT, by=MANAGER, now=LATER, reason="x")
    with pytest.raises(FieldError) as missing:
        lifecycle.transfer(complaint, to_group=None, by=MANAGER, now=LATER, reason="x")
    with pytest.raises(FieldError) as no_reason:
        lifecycle.transfer(complaint, to_group=BACK, by=MANAGER, now=LATER, reason=" ")

    assert (same.value.field, missing.value.field, no_reason.value.field) == ("group", "group", "reason")
    assert (complaint.group, complaint.assignee, complaint.status) == (FRONT, HANDLER, Status.IN_PROGRESS)

    event = lifecycle.transfer(complaint, to_group=BACK, by=MANAGER, now=LATER, reason="转质检")

    assert (complaint.group, complaint.assignee, complaint.status) == (BACK, None, Status.NEW)
    assert [g["code"] for g in event.data["group"]] == ["front-desk", "back-office"]


def test_the_transfer_form_is_recorded_with_the_move():
    complaint = _complaint(Status.IN_PROGRESS, group=FRONT, assignee=HANDLER)

    event = lifecycle.transfer(
        complaint,
        to_group=BACK,
        by=MANAGER,
        now=LATER,
        reason="需要退款审批",
        done=" 已核实订单 ",
        needed="审批退款 ¥120",
        coordinator=MANAGER,
        accept_minutes=90,
    )

    assert (event.data["done"], event.data["needed"], event.data["accept_minutes"]) == (
        "已核实订单",
        "审批退款 ¥120",
        90,
    )
    assert event.data["coordinator"] == {"id": MANAGER.pk, "username": "manager1", "name": "manager1"}


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"coordinator": _user("left", active=False)}, "coordinator"),
        ({"accept_minutes": 0}, "accept_minutes"),
        ({"accept_minutes": lifecycle.MAX_ACCEPT_MINUTES + 1}, "accept_minutes"),
        ({"done": "x" * 5001}, "done"),
        ({"needed": "x" * 5001}, "needed"),
    ],
)
def test_the_transfer_form_names_the_bad_field(fields, field):
    complaint = _complaint(Status.IN_PROGRESS, group=FRONT, assignee=HANDLER)

    with pytest.raises(FieldError) as raised:
        lifecycle.transfer(complaint, to_group=BACK, by=MANAGER, now=LATER, reason="转二线", **fields)

    assert raised.value.field == field
    assert (complaint.group, complaint.assignee, complaint.status) == (FRONT, HANDLER, Status.IN_PROGRESS)


def test_merge_rules():
    duplicate, primary = _complaint(Status.ASSIGNED), _complaint(Status.IN_PROGRESS)

    with pytest.raises(FieldError) as itself:
        lifecycle.merge(duplicate, duplicate, by=MANAGER, now=LATER)
    merged_primary = _complaint(Status.CLOSED, merged_into=_complaint())
    with pytest.raises(FieldError) as chained:
        lifecycle.merge(duplicate, merged_primary, by=MANAGER, now=LATER)
    assert (itself.value.code, chained.value.code) == ("merge.self", "merge.primary_merged")
    assert itself.value.field == chained.value.field == "primary"
    assert duplicate.status == Status.ASSIGNED

    into, received = lifecycle.merge(duplicate, primary, by=MANAGER, now=LATER, reason="同一订单")

    assert (duplicate.status, duplicate.merged_into, duplicate.closed_at) == (Status.CLOSED, primary, LATER)
    assert (into.kind, into.complaint, into.data["primary"]["number"]) == (
        EventKind.MERGED,
        duplicate,
        primary.number,
    )
    assert (received.kind, received.complaint, received.from_status, received.to_status) == (
        EventKind.MERGE_RECEIVED,
        primary,
        Status.IN_PROGRESS,
        Status.IN_PROGRESS,
    )
    assert received.data["duplicate"]["number"] == duplicate.number
    assert primary.status == Status.IN_PROGRESS and primary.updated_at == LATER


def test_note_keeps_the_status_and_limits_the_text():
    complaint = _complaint(Status.CLOSED)

    event = lifecycle.note(complaint, by=HANDLER, now=LATER, text="  回访：客户满意  ")

    assert (event.kind, event.from_status, event.to_status) == (EventKind.NOTE, Status.CLOSED, Status.CLOSED)
    assert event.data == {"text": "回访：客户满意"}
    with pytest.raises(FieldError):
        lifecycle.note(complaint, by=HANDLER, now=LATER, text="")
    with pytest.raises(FieldError):
        lifecycle.note(complaint, by=HANDLER, now=LATER, text="x" * 20_001)


def test_contact_records_how_and_what_without_moving():
    complaint = _complaint(Status.PENDING_CUSTOMER, assignee=HANDLER)

    event = lifecycle.contact(complaint, by=HANDLER, now=LATER, channel="visit", text="  上门查看了冰箱  ")

    assert (event.kind, event.from_status, event.to_status) == (
        EventKind.CONTACTED,
        Status.PENDING_CUSTOMER,
        Status.PENDING_CUSTOMER,
    )
    assert event.data == {"channel": "visit", "text": "上门查看了冰箱"}
    assert (complaint.status, complaint.assignee, complaint.updated_at) == (
        Status.PENDING_CUSTOMER,
        HANDLER,
        LATER,
    )


def test_follow_up_records_the_outcome_on_a_closed_complaint():
    complaint = _complaint(Status.CLOSED, closed_at=T0)

    event = lifecycle.follow_up(complaint, by=HANDLER, now=LATER, outcome="unreachable")

    assert (event.kind, event.from_status, event.to_status) == (
        EventKind.FOLLOWED_UP,
        Status.CLOSED,
        Status.CLOSED,
    )
    assert event.data == {"outcome": "unreachable", "text": ""}
    assert (complaint.status, complaint.closed_at) == (Status.CLOSED, T0)


@pytest.mark.parametrize(
    ("action", "fields", "field"),
    [
        ("contact", {"channel": "pigeon", "text": "x"}, "channel"),
        ("contact", {"channel": "", "text": "x"}, "channel"),
        ("contact", {"channel": "phone", "text": "  "}, "text"),
        ("contact", {"channel": "phone", "text": "x" * 5001}, "text"),
        ("follow_up", {"outcome": "happy"}, "outcome"),
        ("follow_up", {"outcome": ""}, "outcome"),
        ("follow_up", {"outcome": "satisfied", "text": "x" * 5001}, "text"),
    ],
)
def test_contact_and_follow_up_name_the_bad_field(action, fields, field):
    status = Status.IN_PROGRESS if action == "contact" else Status.RESOLVED
    complaint = _complaint(status)

    with pytest.raises(FieldError) as raised:
        getattr(lifecycle, action)(complaint, by=HANDLER, now=LATER, **fields)

    assert raised.value.field == field
    assert (complaint.status, complaint.updated_at) == (status, T0)


def test_optional_texts_are_optional_but_limited():
    complaint = _complaint(Status.IN_PROGRESS)

    assert lifecycle.pend(complaint, by=HANDLER, now=LATER).data == {"reason": ""}
    assert lifecycle.resume(complaint, by=HANDLER, now=LATER).data == {"note": ""}
    with pytest.raises(FieldError) as raised:
        lifecycle.pend(complaint, by=HANDLER, now=LATER, reason="x" * 5001)
    assert raised.value.field == "reason"
