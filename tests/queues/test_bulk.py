"""Bulk assign / transfer / close: the single transition per complaint, each reporting its outcome."""

from __future__ import annotations

import pytest

from kesu.complaints.models import Complaint, EventKind, Status
from kesu.core.errors import FieldError, InvalidTransition
from kesu.core.roles import Role
from kesu.pipeline.transitions import complaint_transition
from kesu.queues.actions import complaints_bulk
from tests.factories import T0, make_complaint, make_group, make_user


def _resolved(handler):
    complaint = make_complaint(by=handler)
    for action in ("assign", "start"):
        complaint_transition(complaint=complaint, action=action, assignee="handler1", by=handler, now=T0)
    complaint_transition(
        complaint=complaint, action="resolve", resolution="已补发", root_cause="logistics", by=handler, now=T0
    )
    return complaint


def _status(complaint) -> str:
    return Complaint.objects.get(pk=complaint.pk).status


@pytest.mark.django_db
def test_bulk_close_closes_what_it_can_and_says_why_not_for_the_rest(handler_client, handler):
    # given two resolved complaints and a new one
    first, second = _resolved(handler), _resolved(handler)
    fresh = make_complaint(by=handler)

    # when the handler ticks all three and closes them from the list
    response = handler_client.post(
        "/queues/bulk/",
        {"action": "close", "ids": [first.pk, fresh.pk, second.pk], "next": "/?queue=mine"},
        follow=True,
    )

    # then the two resolved ones are closed, the new one is untouched …
    assert [_status(first), _status(second), _status(fresh)] == [Status.CLOSED, Status.CLOSED, Status.NEW]
    assert response.redirect_chain[-1][0] == "/?queue=mine"
    page = response.content.decode()
    # … and the page says which were done and why the other was not
    assert first.number in page and second.number in page
    assert f"{fresh.number}: 无法对此投诉执行“关闭”：当前状态为“新建”。" in page
    assert page.count('class="alert bulk-report error"') == 1


@pytest.mark.django_db
def test_bulk_assign_and_transfer_go_through_the_single_transitions(handler, group):
    back_office = make_group("back-office")
    colleague = make_user(Role.HANDLER, "colleague", groups=[group])
    complaints = [make_complaint(by=handler, group=group.code) for _ in range(2)]
    ids = [c.pk for c in complaints]

    outcomes = complaints_bulk(ids=ids, action="assign", assignee="colleague", by=handler, now=T0)
    assert [o.ok for o in outcomes] == [True, True]
    assert set(Complaint.objects.filter(pk__in=ids).values_list("assignee", flat=True)) == {colleague.pk}
    assert all(c.events.filter(kind=EventKind.ASSIGNED, actor=handler).count() == 1 for c in complaints)

    outcomes = complaints_bulk(
        ids=ids, action="transfer", group=back_office.code, reason="需要后台核实", by=handler, now=T0
    )
    assert [o.ok for o in outcomes] == [True, True]
    for complaint in complaints:
        complaint.refresh_from_db()
        assert (complaint.group_id, complaint.status, complaint.assignee_id) == (back_office.pk, Status.NEW, None)
        event = complaint.events.get(kind=EventKind.TRANSFERRED)
        assert event.data["reason"] == "需要后台核实"


@pytest.mark.django_db
def test_one_refusal_leaves_the_others_done_each_with_its_reason(handler):
    ok = make_complaint(by=handler)
    closed = _resolved(handler)
    complaint_transition(complaint=closed, action="close", by=handler, now=T0)

    outcomes = complaints_bulk(ids=[closed.pk, ok.pk, 999999], action="assign", assignee="handler1", by=handler, now=T0)

    assert [(o.number, o.ok) for o in outcomes] == [(closed.number, False), (ok.number, True), ("#999999", False)]
    assert isinstance(outcomes[0].error, InvalidTransition)
    assert outcomes[0].error.current_status == Status.CLOSED
    assert _status(ok) == Status.ASSIGNED


@pytest.mark.django_db
def test_what_is_wrong_for_all_is_said_once_and_nothing_changes(handler):
    complaint = make_complaint(by=handler)

    for kwargs, field in (
        ({"action": "transfer", "group": "front-desk"}, "reason"),
        ({"action": "transfer", "reason": "转后台"}, "group"),
        ({"action": "transfer", "group": "no-such-group", "reason": "转后台"}, "group"),
        ({"action": "assign"}, "assignee"),
        ({"action": "assign", "assignee": "nobody"}, "assignee"),
        ({"action": "delete"}, "action"),
        ({"action": ""}, "action"),
    ):
        with pytest.raises(FieldError) as error:
            complaints_bulk(ids=[complaint.pk], by=handler, now=T0, **kwargs)
        assert error.value.field == field
    with pytest.raises(FieldError) as error:
        complaints_bulk(ids=[], action="close", by=handler, now=T0)
    assert error.value.field == "ids"
    assert _status(complaint) == Status.NEW
    assert complaint.events.filter(kind=EventKind.TRANSFERRED).count() == 0


@pytest.mark.django_db
def test_a_missing_field_is_shown_and_nothing_changes(in_english, handler):
    complaint = make_complaint(by=handler)

    response = in_english.post("/queues/bulk/", {"action": "assign", "ids": [complaint.pk]}, follow=True)

    assert "Assignee: This field is required." in response.content.decode()
    assert _status(complaint) == Status.NEW


@pytest.mark.django_db
def test_a_role_that_does_not_handle_complaints_cannot_bulk_close(client, handler):
    resolved = _resolved(handler)
    client.force_login(make_user(Role.ANALYST, "analyst"))

    response = client.post("/queues/bulk/", {"action": "close", "ids": [resolved.pk]})

    assert response.status_code == 403
    assert _status(resolved) == Status.RESOLVED
    # and the list offers them no tick boxes
    assert 'name="ids"' not in client.get("/").content.decode()
