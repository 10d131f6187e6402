"""Proposing, approving, rejecting and withdrawing compensation. Every change writes a
:class:`CompensationEvent` in the same transaction."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.db import transaction

from kesu.compensation.authority import APPROVER_ORDER, approver_for, authority_of, covers
from kesu.compensation.messages import yuan
from kesu.compensation.models import CompensationEvent, CompensationEventKind, Proposal, ProposalStatus
from kesu.compensation.selectors import (
    approvers_for,
    complaint_committed,
    limits_map,
    prereview_flagged,
    user_authority,
)
from kesu.complaints.actions import complaint_event_record
from kesu.complaints.models import Complaint, ComplaintEvent, EventKind
from kesu.complaints.records import complaints_for_update
from kesu.core.errors import Conflict, FieldError, NotPermitted
from kesu.core.messages import Message, given
from kesu.core.models import User
from kesu.notifications.actions import notify

MAX_AMOUNT = Decimal("1000000.00")
REMEDY_MAX = 200


def parse_amount(value: object) -> Decimal:
    """A positive amount in CNY with at most two decimals, from a string, an int or a Decimal."""
    if isinstance(value, bool) or isinstance(value, float):
        raise FieldError("amount", "amount.float")
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, str):
        if not value.strip():
            raise FieldError("amount", "compensation.amount_missing")
        try:
            amount = Decimal(value.strip())
        except InvalidOperation:
            raise FieldError("amount", "compensation.not_number", value=given(value)) from None
    else:
        raise FieldError("amount", "compensation.number")
    if not amount.is_finite():
        raise FieldError("amount", "compensation.number")
    if amount <= 0:
        raise FieldError("amount", "compensation.positive")
    if amount > MAX_AMOUNT:
        raise FieldError("amount", "compensation.too_large", limit=yuan(MAX_AMOUNT))
    if amount.as_tuple().exponent < -2 and amount != amount.quantize(Decimal("0.01")):
        raise FieldError("amount", "amount.decimals")
    return amount.quantize(Decimal("0.01"))


def _event(proposal: Proposal, kind: str, actor: User | None, now: datetime, **data) -> CompensationEvent:
    return CompensationEvent.objects.create(proposal=proposal, kind=kind, actor=actor, at=now, data=data)


def _approver_present(amount: Decimal, limits: dict, proposer: User) -> str:
    """The lowest approver key that covers ``amount`` and has someone (not the proposer) to decide;
    when nobody holds any of them, the lowest that covers it (the queue still shows it to anyone
    whose authority does)."""
    for key in APPROVER_ORDER:
        if key in limits and covers(limits[key], amount):
            if any(u.pk != proposer.pk for u in approvers_for(key, limits)):
                return key
    return approver_for(amount, limits) or ""


def _timeline(proposal: Proposal, action: str, actor: User | None, now: datetime, **data) -> ComplaintEvent:
    """The complaint's timeline line for a compensation step (``data.action``: proposed / approved /
    rejected / withdrawn), written with the audit event in the same transaction."""
    return complaint_event_record(
        complaint_id=proposal.complaint_id, kind=EventKind.COMPENSATION, by=actor, now=now,
        proposal=proposal.pk, action=action, amount=str(proposal.amount), remedy=proposal.remedy, **data,
    )


def _limit_text(limit: Decimal | None) -> Message:
    return Message("compensation.unlimited") if limit is None else Message("compensation.yuan", amount=yuan(limit))


def proposal_create(
    *, complaint: Complaint, by: User, amount: object, remedy: str, reason: str = "", now: datetime
) -> Proposal:
    """Propose compensation on a complaint. Within the proposer's authority it is approved at once;
    above it, it waits for the lowest approver whose authority covers it, who is notified."""
    amount = parse_amount(amount)
    remedy = (remedy or "").strip()
    if not remedy:
        raise FieldError("remedy", "compensation.remedy_missing")
    if len(remedy) > REMEDY_MAX:
        raise FieldError("remedy", "field.too_long", limit=REMEDY_MAX, got=len(remedy))
    reason = (reason or "").strip()
    if complaint.merged_into_id:
        raise FieldError("complaint", "compensation.merged", number=complaint.number,
                         primary=complaint.merged_into.number)
    limits = limits_map()
    own = user_authority(by, limits)
    with transaction.atomic():
        # one proposal at a time per complaint: authority covers the complaint's total (approved and
        # pending proposals and this one), so two racing proposals must not both see the old total
        complaints_for_update().filter(pk=complaint.pk).values_list("pk").first()
        total = complaint_committed(complaint.pk) + amount
        prereview = prereview_flagged(complaint)
        auto = covers(own, total)
        approver = "" if auto else _approver_present(total, limits, by)
        if not auto and not approver:
            raise FieldError("amount", "compensation.no_approver", amount=yuan(amount))
        proposal = Proposal.objects.create(
            complaint=complaint, proposed_by=by, amount=amount, remedy=remedy, reason=reason,
            status=ProposalStatus.APPROVED if auto else ProposalStatus.PENDING,
            needs_approval_by=approver, prereview=prereview, created_at=now,
            decided_by=by if auto else None, decided_at=now if auto else None,
        )
        _event(proposal, CompensationEventKind.PROPOSED, by, now, amount=str(amount), remedy=remedy,
               reason=reason, prereview=prereview, needs_approval_by=approver)
        _timeline(proposal, "proposed", by, now, reason=reason, status=proposal.status,
                  needs_approval_by=approver)
        if auto:
            _event(proposal, CompensationEventKind.AUTO_APPROVED, by, now, amount=str(amount),
                   authority=None if own is None else str(own), complaint_total=str(total))
        else:
            people = [u for u in approvers_for(approver, limits) if u.pk != by.pk]
            body = [Message("notification.text", text=remedy)]
            if reason:
                body.append(Message("notification.text", text=reason))
            if prereview:
                body.append(Message("notice.compensation_prereview"))
            notify(
                recipients=people, kind="compensation_pending",
                title=Message("notice.compensation_pending", number=complaint.number, amount=yuan(amount)),
                body=body,
                key=f"compensation:{proposal.pk}", now=now, complaint=complaint,
            )
    return proposal


def _locked(proposal: Proposal) -> Proposal:
    return Proposal.objects.select_for_update().get(pk=proposal.pk)


def proposal_decide(*, proposal: Proposal, by: User, approve: bool, reason: str = "", now: datetime) -> Proposal:
    """Approve or reject a pending proposal. Only someone whose authority covers the amount may;
    a rejection needs a reason; a decided proposal cannot be decided again."""
    reason = (reason or "").strip()
    if not approve and not reason:
        raise FieldError("reason", "compensation.reject_reason")
    limits = limits_map()
    own = user_authority(by, limits)
    with transaction.atomic():
        current = _locked(proposal)
        if current.status != ProposalStatus.PENDING:
            raise Conflict("compensation.decided", status=Message(f"proposal.{current.status}"))
        total = complaint_committed(current.complaint_id, pending=False, exclude=current.pk) + current.amount
        if not covers(own, total):
            raise NotPermitted(
                "compensation.over_limit", limit=_limit_text(own), amount=yuan(total),
                approver=Message(f"approver.{current.needs_approval_by}"),
            )
        if current.proposed_by_id == by.pk:
            raise NotPermitted("compensation.own_proposal")
        current.status = ProposalStatus.APPROVED if approve else ProposalStatus.REJECTED
        current.decided_by = by
        current.decided_at = now
        current.decision_reason = reason
        current.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        _event(current, CompensationEventKind.APPROVED if approve else CompensationEventKind.REJECTED, by, now,
               amount=str(current.amount), reason=reason)
        _timeline(current, "approved" if approve else "rejected", by, now, reason=reason)
    _copy(current, proposal)
    return proposal


def proposal_withdraw(*, proposal: Proposal, by: User, reason: str = "", now: datetime) -> Proposal:
    """The proposer takes back a pending proposal."""
    with transaction.atomic():
        current = _locked(proposal)
        if current.status != ProposalStatus.PENDING:
            raise Conflict("compensation.decided", status=Message(f"proposal.{current.status}"))
        if current.proposed_by_id != by.pk:
            raise NotPermitted("compensation.withdraw_own")
        current.status = ProposalStatus.WITHDRAWN
        current.decided_by = by
        current.decided_at = now
        current.decision_reason = (reason or "").strip()
        current.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
        _event(current, CompensationEventKind.WITHDRAWN, by, now, reason=current.decision_reason)
        _timeline(current, "withdrawn", by, now, reason=current.decision_reason)
    _copy(current, proposal)
    return proposal


def _copy(source: Proposal, target: Proposal) -> None:
    for field in ("status", "decided_by", "decided_at", "decision_reason"):
        setattr(target, field, getattr(source, field))


__all__ = ["authority_of", "parse_amount", "proposal_create", "proposal_decide", "proposal_withdraw"]
