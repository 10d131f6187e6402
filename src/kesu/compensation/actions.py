"""Proposing, approving, rejecting and withdrawing compensation. Every change writes a
:class:`CompensationEvent` in the same transaction."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from kesu.compensation.authority import APPROVER_ORDER, approver_for, authority_of, covers
from kesu.compensation.models import CompensationEvent, CompensationEventKind, Proposal, ProposalStatus
from kesu.compensation.selectors import approvers_for, limits_map, prereview_flagged, user_authority
from kesu.complaints.actions import complaint_event_record
from kesu.complaints.models import Complaint, ComplaintEvent, EventKind
from kesu.core.errors import Conflict, FieldError, NotPermitted
from kesu.core.models import User
from kesu.notifications.actions import notify

MAX_AMOUNT = Decimal("1000000.00")
REMEDY_MAX = 200


def parse_amount(value: object) -> Decimal:
    """A positive amount in CNY with at most two decimals, from a string, an int or a Decimal."""
    if isinstance(value, bool) or isinstance(value, float):
        raise FieldError("amount", "give the amount as a string or a whole number, not a floating-point number")
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, str):
        try:
            amount = Decimal(value.strip())
        except InvalidOperation:
            raise FieldError("amount", f"{value!r} is not a number") from None
    else:
        raise FieldError("amount", "must be a number")
    if not amount.is_finite():
        raise FieldError("amount", "must be a finite number")
    if amount <= 0:
        raise FieldError("amount", "must be greater than 0")
    if amount > MAX_AMOUNT:
        raise FieldError("amount", f"must not exceed {MAX_AMOUNT:,} CNY")
    if amount.as_tuple().exponent < -2 and amount != amount.quantize(Decimal("0.01")):
        raise FieldError("amount", "at most two decimal places (fen)")
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


def _limit_text(limit: Decimal | None) -> str:
    return "no limit" if limit is None else f"{limit:,} CNY"


def proposal_create(
    *, complaint: Complaint, by: User, amount: object, remedy: str, reason: str = "", now: datetime
) -> Proposal:
    """Propose compensation on a complaint. Within the proposer's authority it is approved at once;
    above it, it waits for the lowest approver whose authority covers it, who is notified."""
    amount = parse_amount(amount)
    remedy = (remedy or "").strip()
    if not remedy:
        raise FieldError("remedy", "say what the customer is offered")
    if len(remedy) > REMEDY_MAX:
        raise FieldError("remedy", f"must be at most {REMEDY_MAX} characters")
    reason = (reason or "").strip()
    if complaint.merged_into_id:
        raise FieldError("complaint", f"{complaint.number} was merged into {complaint.merged_into.number}; "
                                      f"propose on {complaint.merged_into.number}")
    limits = limits_map()
    own = user_authority(by, limits)
    with transaction.atomic():
        prereview = prereview_flagged(complaint)
        auto = covers(own, amount)
        approver = "" if auto else _approver_present(amount, limits, by)
        if not auto and not approver:
            raise FieldError("amount", f"no role may approve {amount:,} CNY; ask an administrator to set approval limits")
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
                   authority=None if own is None else str(own))
        else:
            people = [u for u in approvers_for(approver, limits) if u.pk != by.pk]
            with translation.override(settings.LANGUAGE_CODE):  # the centre's language, not the proposer's
                title = _("%(number)s: compensation of %(amount)s yuan awaits approval") % {
                    "number": complaint.number, "amount": f"{amount:,}"}
                flagged = "\n" + _("(flagged for compensation pre-review)") if prereview else ""
            notify(
                recipients=people, kind="compensation_pending", title=title,
                body=f"{remedy}\n{reason}{flagged}",
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
        raise FieldError("reason", "say why the compensation is rejected")
    limits = limits_map()
    own = user_authority(by, limits)
    with transaction.atomic():
        current = _locked(proposal)
        if current.status != ProposalStatus.PENDING:
            raise Conflict(f"the proposal is already {current.status}; only a pending proposal can be decided")
        if not covers(own, current.amount):
            raise NotPermitted(
                f"your approval limit is {_limit_text(own)}; {current.amount:,} CNY needs {current.needs_approval_by}"
            )
        if current.proposed_by_id == by.pk:
            raise NotPermitted("you may not decide on your own proposal")
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
            raise Conflict(f"the proposal is already {current.status}; only a pending proposal can be withdrawn")
        if current.proposed_by_id != by.pk:
            raise NotPermitted("only the person who proposed it may withdraw a proposal")
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
