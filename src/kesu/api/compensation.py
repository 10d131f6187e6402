"""Compensation: suggestions from the matrix, proposals with their audit trail, the approval queue
and decisions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status as HttpStatus

from kesu.api.auth import permission_require
from kesu.api.errors import not_found_body
from kesu.api.schemas import ErrorOut, TextIn
from kesu.compensation.actions import proposal_create, proposal_decide, proposal_withdraw
from kesu.compensation.models import Proposal
from kesu.compensation.selectors import approval_queue, complaint_proposals, complaint_suggestions
from kesu.complaints.models import Complaint
from kesu.core.clock import clock_now
from kesu.core.messages import messages_worded
from kesu.core.roles import Permission

router = Router(tags=["compensation"])


class ProposalIn(TextIn):
    amount: Any = Field(..., description='CNY as a string ("120.50") or a whole number; floats are refused')
    remedy: str = Field(..., description="what the customer is offered")
    reason: str = ""


class DecisionIn(TextIn):
    approve: bool
    reason: str = Field("", description="required to reject")


class WithdrawIn(TextIn):
    reason: str = ""


class CompensationEventOut(Schema):
    kind: str
    actor: str | None
    at: datetime
    data: dict


class ProposalOut(Schema):
    id: int
    complaint_id: int
    complaint_number: str
    amount: str
    remedy: str
    reason: str
    status: str
    needs_approval_by: str
    prereview: bool
    proposed_by: str
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str
    created_at: datetime
    events: list[CompensationEventOut]


class SuggestionOut(Schema):
    remedies: list[str]
    min_amount: str
    max_amount: str
    matched: str


class CompensationOut(Schema):
    suggestions: list[SuggestionOut]
    proposals: list[ProposalOut]


def _username(user) -> str | None:
    return user.username if user is not None else None


def proposal_dict(p: Proposal, *, with_events: bool = True) -> dict:
    return {
        "id": p.pk, "complaint_id": p.complaint_id, "complaint_number": p.complaint.number,
        "amount": f"{p.amount:.2f}", "remedy": p.remedy, "reason": p.reason, "status": p.status,
        "needs_approval_by": p.needs_approval_by, "prereview": p.prereview,
        "proposed_by": p.proposed_by.username, "decided_by": _username(p.decided_by), "decided_at": p.decided_at,
        "decision_reason": p.decision_reason, "created_at": p.created_at,
        "events": [
            {"kind": e.kind, "actor": _username(e.actor), "at": e.at, "data": messages_worded(e.data)}
            for e in p.events.all()
        ] if with_events else [],
    }


def _complaint_or_404(complaint_id: int):
    return Complaint.objects.filter(pk=complaint_id).first()


def _compensation(complaint: Complaint) -> dict:
    return {
        "suggestions": [
            {"remedies": list(s.remedies), "min_amount": f"{s.min_amount:.2f}", "max_amount": f"{s.max_amount:.2f}",
             "matched": s.matched}
            for s in complaint_suggestions(complaint)
        ],
        "proposals": [proposal_dict(p) for p in complaint_proposals(complaint)],
    }


@router.get("/complaints/{int:complaint_id}/compensation", response={200: CompensationOut, 404: ErrorOut})
def compensation_view(request: HttpRequest, complaint_id: int):
    permission_require(request, Permission.COMPLAINT_READ)
    complaint = _complaint_or_404(complaint_id)
    if complaint is None:
        return HttpStatus(404, not_found_body("complaint", complaint_id))
    return HttpStatus(200, _compensation(complaint))


@router.post(
    "/complaints/{int:complaint_id}/compensation",
    response={201: ProposalOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def proposal_create_view(request: HttpRequest, complaint_id: int, payload: ProposalIn):
    user = permission_require(request, Permission.COMPLAINT_HANDLE)
    complaint = _complaint_or_404(complaint_id)
    if complaint is None:
        return HttpStatus(404, not_found_body("complaint", complaint_id))
    proposal = proposal_create(
        complaint=complaint, by=user, amount=payload.amount, remedy=payload.remedy, reason=payload.reason,
        now=clock_now(),
    )
    return HttpStatus(201, proposal_dict(_reloaded(proposal.pk)))


def _reloaded(pk: int) -> Proposal:
    return (
        Proposal.objects.select_related("complaint", "proposed_by", "decided_by")
        .prefetch_related("events__actor").get(pk=pk)
    )


@router.get("/compensation/queue", response={200: list[ProposalOut]})
def queue_view(request: HttpRequest):
    return [proposal_dict(p, with_events=False) for p in approval_queue(request.auth)]


@router.post(
    "/compensation/proposals/{int:proposal_id}/decision",
    response={200: ProposalOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def decision_view(request: HttpRequest, proposal_id: int, payload: DecisionIn):
    proposal = Proposal.objects.filter(pk=proposal_id).first()
    if proposal is None:
        return HttpStatus(404, not_found_body("proposal", proposal_id))
    proposal_decide(proposal=proposal, by=request.auth, approve=payload.approve, reason=payload.reason, now=clock_now())
    return HttpStatus(200, proposal_dict(_reloaded(proposal_id)))


@router.post(
    "/compensation/proposals/{int:proposal_id}/withdrawal",
    response={200: ProposalOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def withdraw_view(request: HttpRequest, proposal_id: int, payload: WithdrawIn):
    proposal = Proposal.objects.filter(pk=proposal_id).first()
    if proposal is None:
        return HttpStatus(404, not_found_body("proposal", proposal_id))
    proposal_withdraw(proposal=proposal, by=request.auth, reason=payload.reason, now=clock_now())
    return HttpStatus(200, proposal_dict(_reloaded(proposal_id)))
