"""POST /api/v1/complaints/{id}/transitions: every allowed move, every forbidden one, required fields."""

from __future__ import annotations

import pytest

from kesu.complaints.lifecycle import ACTIONS, ALLOWED_FROM
from kesu.complaints.models import Complaint, ComplaintEvent, EventKind, Status
from tests.api.builders import RESULT_OF, complaint_in, error_fields, post_json
from tests.api.conftest import NOW
from tests.factories import domain_events, domain_timeline, make_complaint

ALLOWED = [(action, status) for action, statuses in ALLOWED_FROM.items() for status in statuses]
FORBIDDEN = [
    (action, status) for action in ACTIONS for status in Status.values if status not in ALLOWED_FROM[action]
]
EVENT_OF = {
    "assign": EventKind.ASSIGNED,
    "start": EventKind.STARTED,
    "pend": EventKind.PENDED,
    "resume": EventKind.RESUMED,
    "resolve": EventKind.RESOLVED,
    "close": EventKind.CLOSED,
    "reopen": EventKind.REOPENED,
    "transfer": EventKind.TRANSFERRED,
    "merge": EventKind.MERGED,
    "contact": EventKind.CONTACTED,
    "follow_up": EventKind.FOLLOWED_UP,
}


@pytest.fixture
def valid_body(handler2, other_group):
    """A body with everything the action needs, so only the status can stand in the way."""

    def body(action: str) -> dict:
        extra = {
            "assign": {"assignee": handler2.username},
            "pend": {"reason": "等客户回电"},
            "resolve": {"resolution": "已退款 ¥120", "root_cause": "billing_error"},
            "reopen": {"reason": "客户说问题没解决"},
            "transfer": {"group": other_group.code, "reason": "需要二线处理"},
            "merge": {"primary": make_complaint(content="同一问题的首次投诉").number, "reason": "重复"},
            "contact": {"channel": "phone", "text": "已致电客户说明处理进度"},
            "follow_up": {"outcome": "satisfied", "text": "客户对处理结果满意"},
        }.get(action, {})
        return {"action": action, **extra}

    return body


def _url(complaint: Complaint) -> str:
    return f"/api/v1/complaints/{complaint.pk}/transitions"


def _snapshot(complaint: Complaint) -> tuple:
    complaint.refresh_from_db()
    return (
        complaint.status,
        complaint.assignee_id,
        complaint.group_id,
        complaint.updated_at,
        complaint.events.count(),
    )


def test_the_tables_cover_every_action_and_status():
    assert set(ALLOWED_FROM) == set(RESULT_OF) == set(EVENT_OF)
    assert len(ALLOWED) + len(FORBIDDEN) == len(ACTIONS) * len(Status.values)


@pytest.mark.parametrize(("action", "status"), ALLOWED, ids=[f"{a}-from-{s}" for a, s in ALLOWED])
def test_allowed_transition_succeeds_and_writes_one_event(
    action, status, handler, manager, manager_client, valid_body
):
    # given a complaint of the front desk in `status`
    complaint = complaint_in(status, handler=handler, group="front-desk")
    events_before = len(domain_events(complaint))
    result = RESULT_OF[action] or status

    # when a manager takes the action through the API
    response = post_json(manager_client, _url(complaint), valid_body(action))

    # then the complaint moved and exactly one event records the move (next to what the SLA clocks record)
    assert response.status_code == 200, response.content
    assert response.json()["status"] == result
    assert len(domain_events(complaint)) == events_before + 1
    event = domain_events(complaint)[-1]
    assert (event.kind, event.from_status, event.to_status) == (EVENT_OF[action], status, result)
    assert event.actor == manager
    assert event.at == NOW
    assert domain_timeline(response.json()["timeline"])[-1]["kind"] == EVENT_OF[action]


@pytest.mark.parametrize(("action", "status"), FORBIDDEN, ids=[f"{a}-from-{s}" for a, s in FORBIDDEN])
def test_forbidden_transition_is_409_and_changes_nothing(action, status, handler, manager_client, valid_body):
    complaint = complaint_in(status, handler=handler, group="front-desk")
    before = _snapshot(complaint)

    response = post_json(manager_client, _url(complaint), valid_body(action))

    assert response.status_code == 409, response.content
    body = response.json()
    assert body["current_status"] == status
    assert body["allowed_from"] == list(ALLOWED_FROM[action])
    assert body["code"] == "transition.refused"
    assert body["params"]["status"] == {"code": f"status.{status}", "params": {}}
    assert body["message"] == body["detail"]
    assert _snapshot(complaint) == before


def test_reopening_a_merged_duplicate_is_409(handler, manager_client):
    duplicate = complaint_in(Status.NEW, handler=handler)
    primary = complaint_in(Status.NEW, handler=handler)
    assert (
        post_json(manager_client, _url(duplicate), {"action": "merge", "primary": primary.number}).status_code
        == 200
    )
    before = _snapshot(duplicate)

    response = post_json(manager_client, _url(duplicate), {"action": "reopen", "reason": "客户又来电"})

    assert response.status_code == 409
    assert response.json()["current_status"] == Status.CLOSED
    assert _snapshot(duplicate) == before


# --- required and checked fields: 422 naming the field, nothing written ---------------------------------


@pytest.mark.parametrize(
    ("status", "body", "field"),
    [
        (Status.IN_PROGRESS, {"action": "resolve", "root_cause": "other"}, "resolution"),
        (Status.IN_PROGRESS, {"action": "resolve", "resolution": "  \n ", "root_cause": "other"}, "resolution"),
        (Status.IN_PROGRESS, {"action": "resolve", "resolution": "好" * 5001, "root_cause": "other"}, "resolution"),
        (Status.IN_PROGRESS, {"action": "resolve", "resolution": "已退款"}, "root_cause"),
        (Status.IN_PROGRESS, {"action": "resolve", "resolution": "已退款", "root_cause": "bad-luck"}, "root_cause"),
        (Status.RESOLVED, {"action": "reopen"}, "reason"),
        (Status.CLOSED, {"action": "reopen", "reason": "   "}, "reason"),
        (Status.ASSIGNED, {"action": "transfer", "reason": "二线"}, "group"),
        (Status.ASSIGNED, {"action": "transfer", "group": "no-such-group", "reason": "二线"}, "group"),
        (Status.ASSIGNED, {"action": "transfer", "group": "front-desk", "reason": "二线"}, "group"),
        (Status.ASSIGNED, {"action": "transfer", "group": "back-office"}, "reason"),
        (
            Status.ASSIGNED,
            {"action": "transfer", "group": "back-office", "reason": "x", "assignee": "ghost"},
            "assignee",
        ),
        (Status.NEW, {"action": "assign"}, "assignee"),
        (Status.NEW, {"action": "assign", "assignee": "ghost"}, "assignee"),
        (Status.NEW, {"action": "merge"}, "primary"),
        (Status.NEW, {"action": "merge", "primary": "KS-1999-000001"}, "primary"),
        (Status.NEW, {"action": "merge", "primary": "987654"}, "primary"),
        (Status.NEW, {"action": "fly"}, "action"),
        (Status.NEW, {"action": ""}, "action"),
        (Status.NEW, {"reason": "no action at all"}, "action"),
        (Status.NEW, {"action": "note", "text": ""}, "text"),
        (Status.IN_PROGRESS, {"action": "resolve", "resolution": "ok\u0000", "root_cause": "other"}, "resolution"),
        (
            Status.ASSIGNED,
            {"action": "transfer", "group": "back-office", "reason": "x", "coordinator": "ghost"},
            "coordinator",
        ),
        (
            Status.ASSIGNED,
            {"action": "transfer", "group": "back-office", "reason": "x", "accept_minutes": 0},
            "accept_minutes",
        ),
        (Status.IN_PROGRESS, {"action": "contact", "text": "已致电"}, "channel"),
        (Status.IN_PROGRESS, {"action": "contact", "channel": "pigeon", "text": "已致电"}, "channel"),
        (Status.PENDING_CUSTOMER, {"action": "contact", "channel": "phone"}, "text"),
        (Status.RESOLVED, {"action": "follow_up"}, "outcome"),
        (Status.CLOSED, {"action": "follow_up", "outcome": "happy"}, "outcome"),
    ],
)
def test_bad_or_missing_field_is_422_naming_it(status, body, field, handler, manager_client, other_group):
    complaint = complaint_in(status, handler=handler, group="front-desk")
    before = _snapshot(complaint)

    response = post_json(manager_client, _url(complaint), body)

    assert error_fields(response) == {field}
    assert _snapshot(complaint) == before


def test_assign_to_an_inactive_user_is_422(handler, handler2, manager_client):
    handler2.is_active = False
    handler2.save()
    complaint = complaint_in(Status.NEW, handler=handler)

    response = post_json(manager_client, _url(complaint), {"action": "assign", "assignee": handler2.username})

    assert error_fields(response) == {"assignee"}


def test_merge_into_itself_is_422(handler, manager_client):
    complaint = complaint_in(Status.NEW, handler=handler)
    before = _snapshot(complaint)

    for ref in (complaint.number, str(complaint.pk)):
        response = post_json(manager_client, _url(complaint), {"action": "merge", "primary": ref})
        assert error_fields(response) == {"primary"}
    assert _snapshot(complaint) == before


def test_merge_into_a_primary_that_is_itself_merged_is_422(handler, manager_client):
    first, second, third = (complaint_in(Status.NEW, handler=handler) for _ in range(3))
    assert (
        post_json(manager_client, _url(second), {"action": "merge", "primary": first.number}).status_code
        == 200
    )
    before = _snapshot(third)

    response = post_json(manager_client, _url(third), {"action": "merge", "primary": second.number})

    assert error_fields(response) == {"primary"}
    assert response.json()["detail"][0]["code"] == "merge.primary_merged"
    assert second.number in response.json()["detail"][0]["message"]
    assert _snapshot(third) == before


# --- what the life cycle promises --------------------------------------------------------------------


def test_reopen_returns_to_the_handler_who_resolved_it(handler, handler2, manager, manager_client):
    # given a complaint handler2 resolved and the manager closed
    complaint = complaint_in(Status.CLOSED, handler=handler2, by=handler2)

    # when the manager reopens it
    response = post_json(manager_client, _url(complaint), {"action": "reopen", "reason": "客户不满意"})

    # then it is assigned to handler2 again, and counted
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == Status.ASSIGNED
    assert body["assignee"]["username"] == handler2.username
    assert body["reopen_count"] == 1
    assert body["resolved_at"] is None and body["closed_at"] is None
    reopened = domain_timeline(body["timeline"])[-1]
    assert reopened["kind"] == EventKind.REOPENED
    assert reopened["data"]["reason"] == "客户不满意"
    assert reopened["data"]["assignee"]["username"] == handler2.username

    # and a second round increments again
    for body in ({"action": "start"}, {"action": "resolve", "resolution": "再次处理", "root_cause": "other"}):
        assert post_json(manager_client, _url(complaint), body).status_code == 200
    response = post_json(manager_client, _url(complaint), {"action": "reopen", "reason": "还是不行"})
    assert response.json()["reopen_count"] == 2


def test_reopen_goes_to_whoever_held_it_when_resolved(handler, handler2, manager, manager_client):
    # handler had it first; the manager reassigns it to handler2, then resolves it on their behalf
    complaint = complaint_in(Status.IN_PROGRESS, handler=handler)
    post_json(manager_client, _url(complaint), {"action": "assign", "assignee": handler2.username})
    post_json(manager_client, _url(complaint), {"action": "start"})
    post_json(manager_client, _url(complaint), {"action": "resolve", "resolution": "处理完毕", "root_cause": "other"})

    response = post_json(manager_client, _url(complaint), {"action": "reopen", "reason": "没解决"})

    assert response.json()["assignee"]["username"] == handler2.username


def test_merge_closes_the_duplicate_and_writes_events_on_both(handler, manager, manager_client):
    primary = complaint_in(Status.IN_PROGRESS, handler=handler)
    duplicate = complaint_in(Status.ASSIGNED, handler=handler)
    primary_events = len(domain_events(primary))

    response = post_json(
        manager_client,
        _url(duplicate),
        {"action": "merge", "primary": primary.number, "reason": "同一客户同一订单"},
    )

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == Status.CLOSED
    assert body["merged_into"] == primary.number
    assert body["closed_at"] is not None
    assert domain_timeline(body["timeline"])[-1]["data"]["primary"] == {
        "id": primary.pk,
        "number": primary.number,
    }
    primary.refresh_from_db()
    assert primary.status == Status.IN_PROGRESS
    assert len(domain_events(primary)) == primary_events + 1
    received = domain_events(primary)[-1]
    assert received.kind == EventKind.MERGE_RECEIVED
    assert received.data["duplicate"] == {"id": duplicate.pk, "number": duplicate.number}
    assert received.actor == manager


def test_merge_by_primary_id_works(handler, manager_client):
    primary, duplicate = complaint_in(Status.NEW, handler=handler), complaint_in(Status.NEW, handler=handler)

    response = post_json(manager_client, _url(duplicate), {"action": "merge", "primary": str(primary.pk)})

    assert response.json()["merged_into"] == primary.number


def test_transfer_moves_the_complaint_to_the_other_group_unassigned(handler, handler_client, other_group):
    complaint = complaint_in(Status.IN_PROGRESS, handler=handler, group="front-desk")

    response = post_json(
        handler_client,
        _url(complaint),
        {"action": "transfer", "group": other_group.code, "reason": "需要质检部门"},
    )

    body = response.json()
    assert body["group"]["code"] == other_group.code
    assert body["assignee"] is None
    assert body["status"] == Status.NEW
    assert domain_timeline(body["timeline"])[-1]["data"]["group"][0]["code"] == "front-desk"


def test_transfer_with_an_assignee_lands_assigned(handler, handler2, handler_client, other_group):
    complaint = complaint_in(Status.NEW, handler=handler, group="front-desk")

    response = post_json(
        handler_client,
        _url(complaint),
        {"action": "transfer", "group": other_group.code, "reason": "二线", "assignee": handler2.username},
    )

    assert response.json()["status"] == Status.ASSIGNED
    assert response.json()["assignee"]["username"] == handler2.username


def test_note_keeps_the_status_and_adds_an_event(handler, handler_client):
    complaint = complaint_in(Status.IN_PROGRESS, handler=handler)

    response = post_json(handler_client, _url(complaint), {"action": "note", "text": "客户情绪激动 😡"})

    assert response.json()["status"] == Status.IN_PROGRESS
    assert domain_timeline(response.json()["timeline"])[-1]["data"]["text"] == "客户情绪激动 😡"


# --- who may ----------------------------------------------------------------------------------------


def test_a_handler_may_not_merge(handler, handler_client):
    primary, duplicate = complaint_in(Status.NEW, handler=handler), complaint_in(Status.NEW, handler=handler)
    before = _snapshot(duplicate)

    response = post_json(handler_client, _url(duplicate), {"action": "merge", "primary": primary.number})

    assert response.status_code == 403
    assert _snapshot(duplicate) == before


@pytest.mark.parametrize("client_fixture", ["analyst_client", "decision_client"])
def test_read_only_roles_may_not_transition(client_fixture, request, handler):
    complaint = complaint_in(Status.ASSIGNED, handler=handler)
    before = _snapshot(complaint)

    response = post_json(request.getfixturevalue(client_fixture), _url(complaint), {"action": "start"})

    assert response.status_code == 403
    assert _snapshot(complaint) == before


def test_transition_of_an_unknown_complaint_is_404(handler_client):
    response = post_json(handler_client, "/api/v1/complaints/424242/transitions", {"action": "start"})

    assert response.status_code == 404
    assert ComplaintEvent.objects.count() == 0
