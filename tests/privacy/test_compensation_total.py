"""Defect 2: compensation authority applies to the complaint's total, not to each proposal; an
administrator sets the limits and approves nothing (separation of duties, ADR 0014)."""

from __future__ import annotations

import pytest

from kesu.compensation.actions import proposal_create, proposal_decide
from kesu.compensation.models import ProposalStatus
from kesu.compensation.selectors import approval_queue
from kesu.core.errors import NotPermitted
from kesu.core.roles import Role
from tests.factories import T0, make_complaint, make_user


@pytest.fixture
def senior(db, group):
    return make_user(Role.HANDLER, "senior1", groups=[group], is_senior=True)


def test_four_proposals_of_500_on_one_complaint_are_not_all_auto_approved(handler, senior):
    complaint = make_complaint(by=handler)

    statuses = [
        proposal_create(complaint=complaint, by=handler, amount="500", remedy="refund", now=T0).status
        for _ in range(4)
    ]

    # the first fits the handler's 500 CNY; every further one makes the complaint's total larger
    assert statuses == [ProposalStatus.APPROVED] + [ProposalStatus.PENDING] * 3


def test_a_senior_cannot_approve_what_takes_the_complaint_over_their_limit(handler, senior, manager):
    complaint = make_complaint(by=handler)
    proposal_create(complaint=complaint, by=manager, amount="4800", remedy="refund", now=T0)
    pending = proposal_create(complaint=complaint, by=handler, amount="400", remedy="coupon", now=T0)

    assert pending.needs_approval_by == "manager"  # 5,200 in all: over the senior's 5,000
    assert pending not in approval_queue(senior)
    with pytest.raises(NotPermitted):
        proposal_decide(proposal=pending, by=senior, approve=True, now=T0)
    assert proposal_decide(proposal=pending, by=manager, approve=True, now=T0).status == ProposalStatus.APPROVED


def test_proposals_on_different_complaints_do_not_add_up(handler):
    first, second = make_complaint(by=handler), make_complaint(by=handler)
    a = proposal_create(complaint=first, by=handler, amount="500", remedy="refund", now=T0)
    b = proposal_create(complaint=second, by=handler, amount="500", remedy="refund", now=T0)
    assert (a.status, b.status) == (ProposalStatus.APPROVED, ProposalStatus.APPROVED)


def test_an_administrator_approves_nothing_and_their_own_proposal_waits_for_an_approver(handler, senior):
    admin = make_user(Role.ADMIN, "admin1")
    complaint = make_complaint(by=handler)

    own = proposal_create(complaint=complaint, by=admin, amount="100", remedy="coupon", now=T0)
    by_handler = proposal_create(complaint=make_complaint(by=handler), by=handler, amount="600", remedy="x", now=T0)

    assert own.status == ProposalStatus.PENDING and own.needs_approval_by == "handler"
    assert approval_queue(admin) == []
    with pytest.raises(NotPermitted):
        proposal_decide(proposal=by_handler, by=admin, approve=True, now=T0)
    assert proposal_decide(proposal=own, by=senior, approve=True, now=T0).status == ProposalStatus.APPROVED
