"""Two managers deciding the same proposal at once on PostgreSQL: exactly one decision sticks."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kesu.compensation.actions import proposal_create, proposal_decide
from kesu.compensation.models import CompensationEvent, Proposal
from kesu.core.errors import Conflict
from kesu.core.roles import Role
from tests.concurrency import postgresql_only, together
from tests.factories import T0, make_complaint, make_user


@postgresql_only
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_decisions_produce_one():
    handler = make_user(Role.HANDLER, "c-handler")
    managers = [make_user(Role.MANAGER, f"c-manager{i}") for i in range(6)]
    proposal = proposal_create(complaint=make_complaint(by=handler), by=handler, amount="9000", remedy="refund", now=T0)

    def decide(i: int):
        return proposal_decide(proposal=Proposal.objects.get(pk=proposal.pk), by=managers[i], approve=i % 2 == 0,
                               reason=f"decision {i}", now=T0 + timedelta(minutes=i))

    _, raised = together([lambda i=i: decide(i) for i in range(len(managers))])
    assert len(raised) == len(managers) - 1 and all(isinstance(e, Conflict) for e in raised), raised
    decisions = CompensationEvent.objects.filter(proposal_id=proposal.pk, kind__in=["approved", "rejected"])
    assert decisions.count() == 1
    proposal.refresh_from_db()
    assert proposal.status == decisions.get().kind
