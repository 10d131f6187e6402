"""A complaint transferred to another group waits for that group to accept it (issue 17 §4.9)."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
import time_machine

from kesu.core.roles import Role
from kesu.pipeline.transitions import complaint_assign, complaint_start, complaint_transfer
from tests.factories import T0, make_complaint, make_group, make_user

pytestmark = pytest.mark.django_db
EN = {"Accept-Language": "en"}


@pytest.fixture
def transferred(handler, group):
    billing = make_group("billing", layer="second_line", department="billing")
    receiver = make_user(Role.HANDLER, "billing.li", groups=[billing])
    complaint = make_complaint(by=handler, group=group.code)
    complaint = complaint_assign(complaint=complaint, assignee=handler, by=handler, now=T0 + timedelta(minutes=5))
    complaint = complaint_start(complaint=complaint, by=handler, now=T0 + timedelta(minutes=6))
    complaint = complaint_transfer(complaint=complaint, to_group=billing, by=handler, now=T0 + timedelta(minutes=30),
                                   reason="账单问题，需计费部门处理")
    return complaint, receiver


def test_the_receiving_group_sees_awaiting_acceptance_and_accepts(client, transferred):
    complaint, receiver = transferred
    client.force_login(receiver)
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        page = html.unescape(client.get(f"/complaints/{complaint.pk}/", headers=EN).content.decode())
        listing = client.get("/", headers=EN).content.decode()
        zh = client.get(f"/complaints/{complaint.pk}/").content.decode()

        # then it reads "awaiting acceptance" (not "New") with an accept action, in the list too
        assert "Awaiting acceptance" in page and "Accept the transfer" in page
        assert "waiting for the group to accept it" in page
        assert "Awaiting acceptance" in listing
        assert "待接收" in zh and "接收转派" in zh

        # when a member of the receiving group accepts
        response = client.post(f"/complaints/{complaint.pk}/accept/", headers=EN)

    # then the complaint is theirs, in progress, and the transfer-acceptance clock is met
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.status, complaint.assignee) == ("in_progress", receiver)
    (clock,) = [c for c in complaint.sla["clocks"] if c["clock"] == "transfer_acceptance"]
    assert clock["state"] == "met"
    with time_machine.travel(T0 + timedelta(hours=1, minutes=1), tick=False):
        page = client.get(f"/complaints/{complaint.pk}/", headers=EN).content.decode()
    assert "Accept the transfer" not in page


def test_only_the_receiving_group_may_accept(client, transferred, handler):
    complaint, _receiver = transferred
    client.force_login(handler)  # the sending group's handler

    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        response = client.post(f"/complaints/{complaint.pk}/accept/")

    assert response.status_code == 403
    complaint.refresh_from_db()
    assert complaint.status == "new"
