"""Proposing and deciding compensation through the actions."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from kesu.compensation.actions import proposal_create, proposal_decide, proposal_withdraw
from kesu.compensation.models import CompensationEvent, CompensationRule, ProposalStatus
from kesu.compensation.selectors import approval_queue, complaint_proposals, complaint_suggestions
from kesu.complaints.models import Category, ComplaintEvent, EventKind
from kesu.core.errors import Conflict, FieldError, NotPermitted
from kesu.core.messages import Message
from kesu.core.roles import Role
from kesu.notifications.models import Notification
from tests.factories import T0, make_complaint, make_user

LATER = T0 + timedelta(hours=1)


@pytest.fixture
def complaint(db, handler):
    return make_complaint(by=handler)


@pytest.fixture
def senior(db, group):
    return make_user(Role.HANDLER, "senior1", groups=[group], is_senior=True)


def test_within_authority_is_approved_at_once(complaint, handler):
    proposal = proposal_create(complaint=complaint, by=handler, amount="500.00", remedy="refund", reason="late", now=T0)
    assert proposal.status == ProposalStatus.APPROVED
    assert proposal.needs_approval_by == ""
    assert [e.kind for e in CompensationEvent.objects.filter(proposal=proposal)] == ["proposed", "auto_approved"]


def test_above_authority_goes_to_the_senior_queue_and_notifies(complaint, handler, senior, manager):
    proposal = proposal_create(complaint=complaint, by=handler, amount="800", remedy="refund + coupon", now=T0)
    assert proposal.status == ProposalStatus.PENDING
    assert proposal.needs_approval_by == "senior"
    assert approval_queue(senior) == [proposal]
    assert approval_queue(manager) == [proposal]
    assert approval_queue(handler) == []
    notified = Notification.objects.filter(kind="compensation_pending")
    assert [n.recipient.username for n in notified] == ["senior1"]


def test_above_senior_authority_goes_to_the_manager(complaint, handler, senior, manager):
    proposal = proposal_create(complaint=complaint, by=senior, amount=Decimal("5000.01"), remedy="refund", now=T0)
    assert proposal.needs_approval_by == "manager"
    assert approval_queue(senior) == []
    assert approval_queue(manager) == [proposal]
    assert [n.recipient.username for n in Notification.objects.filter(kind="compensation_pending")] == ["manager1"]


def test_a_handler_cannot_approve_a_manager_can(complaint, handler, senior, manager):
    other = make_user(Role.HANDLER, "handler2")
    proposal = proposal_create(complaint=complaint, by=handler, amount=6000, remedy="refund", now=T0)
    with pytest.raises(NotPermitted) as refused:
        proposal_decide(proposal=proposal, by=other, approve=True, now=LATER)
    assert refused.value.params["limit"] == Message("compensation.yuan", amount="500")
    with pytest.raises(NotPermitted) as refused:
        proposal_decide(proposal=proposal, by=senior, approve=True, now=LATER)
    assert refused.value.params["limit"] == Message("compensation.yuan", amount="5,000")
    proposal_decide(proposal=proposal, by=manager, approve=True, reason="ok", now=LATER)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.decided_by, proposal.decided_at) == (ProposalStatus.APPROVED, manager, LATER)
    assert [e.kind for e in proposal.events.all()] == ["proposed", "approved"]


def test_reject_needs_a_reason(complaint, handler, manager):
    proposal = proposal_create(complaint=complaint, by=handler, amount="900", remedy="refund", now=T0)
    with pytest.raises(FieldError) as error:
        proposal_decide(proposal=proposal, by=manager, approve=False, reason="  ", now=LATER)
    assert error.value.field == "reason"
    proposal_decide(proposal=proposal, by=manager, approve=False, reason="already refunded", now=LATER)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.REJECTED
    assert proposal.events.last().data["reason"] == "already refunded"


def test_a_decided_proposal_cannot_be_decided_again(complaint, handler, manager):
    second = make_user(Role.MANAGER, "manager2")
    proposal = proposal_create(complaint=complaint, by=handler, amount="900", remedy="refund", now=T0)
    proposal_decide(proposal=proposal, by=manager, approve=True, now=LATER)
    with pytest.raises(Conflict) as refused:
        proposal_decide(proposal=proposal, by=second, approve=False, reason="no", now=LATER)
    assert refused.value.params == {"status": Message("proposal.approved")}
    assert [e.kind for e in proposal.events.all()] == ["proposed", "approved"]


def test_withdraw_only_by_the_proposer_while_pending(complaint, handler, manager):
    proposal = proposal_create(complaint=complaint, by=handler, amount="900", remedy="refund", now=T0)
    with pytest.raises(NotPermitted):
        proposal_withdraw(proposal=proposal, by=manager, now=LATER)
    proposal_withdraw(proposal=proposal, by=handler, reason="customer declined", now=LATER)
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert approval_queue(manager) == []
    with pytest.raises(Conflict) as refused:
        proposal_decide(proposal=proposal, by=manager, approve=True, now=LATER)
    assert refused.value.params == {"status": Message("proposal.withdrawn")}


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (12.5, "amount.float"),
        ("-1", "compensation.positive"),
        (0, "compensation.positive"),
        ("1000000.01", "compensation.too_large"),
        (10**9, "compensation.too_large"),
        ("10.005", "amount.decimals"),
        ("abc", "compensation.not_number"),
        ("NaN", "compensation.number"),
    ],
)
def test_bad_amounts_are_refused_naming_amount(complaint, handler, amount, words):
    with pytest.raises(FieldError) as error:
        proposal_create(complaint=complaint, by=handler, amount=amount, remedy="refund", now=T0)
    assert error.value.field == "amount"
    assert error.value.code == words
    assert complaint_proposals(complaint) == []


def test_trailing_zeros_are_fine(complaint, handler):
    proposal = proposal_create(complaint=complaint, by=handler, amount="10.500", remedy="refund", now=T0)
    proposal.refresh_from_db()
    assert proposal.amount == Decimal("10.50")


def test_a_prereview_flagged_complaint_says_so(complaint, handler):
    ComplaintEvent.objects.create(complaint=complaint, kind=EventKind.ESCALATED, at=T0,
                                  data={"specialist": True, "compensation_prereview": True})
    proposal = proposal_create(complaint=complaint, by=handler, amount="50", remedy="coupon", now=LATER)
    assert proposal.prereview is True
    assert proposal.events.first().data["prereview"] is True


def test_suggestions_pick_the_most_specific_matrix_row(db, handler):
    parent = Category.objects.create(code="t-logistics", name_zh="物流", name_en="Logistics")
    child = Category.objects.create(code="t-late", name_zh="延误", name_en="Late", parent=parent)
    CompensationRule.objects.create(remedies=["apology"], min_amount=0, max_amount=20, position=0)
    CompensationRule.objects.create(category=parent, remedies=["coupon"], min_amount=10, max_amount=50)
    CompensationRule.objects.create(category=child, severity="urgent", remedies=["refund shipping"],
                                    min_amount=20, max_amount=100)
    CompensationRule.objects.create(category=child, severity="major", remedies=["full refund"],
                                    min_amount=100, max_amount=1000)
    complaint = make_complaint(by=handler, category="t-late", severity="urgent")
    found = complaint_suggestions(complaint)
    assert [s.remedies for s in found] == [("refund shipping",), ("coupon",), ("apology",)]
    assert found[0].min_amount == Decimal("20.00")


def test_the_audit_trail_is_append_only(complaint, handler):
    from kesu.core.appendonly import AppendOnlyError

    proposal_create(complaint=complaint, by=handler, amount="100", remedy="退款", reason="破损", now=T0)
    event = CompensationEvent.objects.first()
    for attempt in (event.save, event.delete, lambda: CompensationEvent.objects.update(kind="approved"),
                    lambda: CompensationEvent.objects.all().delete()):
        with pytest.raises(AppendOnlyError, match="CompensationEvent rows are append-only"):
            attempt()
