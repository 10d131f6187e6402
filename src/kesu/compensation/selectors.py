"""Reading compensation: limits, who may approve, the approval queue, a complaint's proposals and
the matrix rows that fit it."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q, Sum

from kesu.compensation.authority import SENIOR, Rule, Suggestion, authority_of, covers, suggest
from kesu.compensation.models import ApprovalLimit, CompensationRule, Proposal, ProposalStatus
from kesu.complaints.models import Complaint, ComplaintEvent, EventKind
from kesu.core.models import HandlerProfile, User


def limits_map() -> dict[str, Decimal | None]:
    return dict(ApprovalLimit.objects.values_list("role", "max_amount"))


def _is_senior(user: User) -> bool:
    return HandlerProfile.objects.filter(user=user, is_senior=True).exists()


def user_authority(user: User, limits: dict[str, Decimal | None] | None = None) -> Decimal | None:
    """The largest amount ``user`` may grant alone (``None`` = no limit)."""
    if not user.is_active:
        return Decimal(0)
    return authority_of(user.role, _is_senior(user), limits if limits is not None else limits_map())


def approvers_for(key: str, limits: dict[str, Decimal | None]) -> list[User]:
    """The active people behind an approver key: ``senior`` = senior handlers, else the role."""
    users = User.objects.filter(is_active=True)
    if key == SENIOR:
        users = users.filter(handler_profile__is_senior=True)
    else:
        users = users.filter(role=key)
    return list(users.order_by("pk"))


def prereview_flagged(complaint: Complaint) -> bool:
    """Did the SLA specialist escalation flag this complaint for compensation pre-review?"""
    return ComplaintEvent.objects.filter(
        complaint=complaint, kind=EventKind.ESCALATED, data__compensation_prereview=True
    ).exists()


_UNKNOWN = object()


def complaint_committed(complaint_id: int, *, pending: bool = True, exclude: int | None = None) -> Decimal:
    """What the complaint's proposals already commit: approved ones, and pending ones when ``pending``
    (``exclude``: a proposal id left out). Authority applies to the complaint's total, not to one
    proposal: four proposals of 500 CNY are 2,000 CNY for one complaint (issue 15, defect 2)."""
    statuses = [ProposalStatus.APPROVED, *([ProposalStatus.PENDING] if pending else [])]
    rows = Proposal.objects.filter(complaint_id=complaint_id, status__in=statuses)
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    return rows.aggregate(total=Sum("amount"))["total"] or Decimal(0)


def approval_queue(user: User, *, authority: Decimal | None | object = _UNKNOWN) -> list[Proposal]:
    """Pending proposals ``user`` may decide (their authority covers the amount), oldest first.
    ``authority``: the user's, when the caller has it already (``None`` = no limit)."""
    own = user_authority(user) if authority is _UNKNOWN else authority
    pending = Proposal.objects.filter(status=ProposalStatus.PENDING).exclude(proposed_by=user)
    if own is not None:
        pending = pending.filter(amount__lte=own)
    found = list(pending.select_related("complaint", "proposed_by").order_by("created_at", "id"))
    if own is None or not found:
        return found
    approved = dict(
        Proposal.objects.filter(complaint_id__in={p.complaint_id for p in found}, status=ProposalStatus.APPROVED)
        .values("complaint_id").annotate(total=Sum("amount")).values_list("complaint_id", "total")
    )
    return [p for p in found if covers(own, approved.get(p.complaint_id, Decimal(0)) + p.amount)]


def complaint_proposals(complaint: Complaint) -> list[Proposal]:
    """The complaint's proposals, oldest first, each with its audit trail prefetched (``events``)."""
    return list(
        Proposal.objects.filter(complaint=complaint)
        .select_related("proposed_by", "decided_by")
        .prefetch_related("events__actor")
        .order_by("created_at", "id")
    )


def _ancestors(complaint: Complaint) -> tuple[str, list[str]]:
    category = complaint.category
    if category is None:
        return "", []
    parents, seen, node = [], {category.pk}, category.parent
    while node is not None and node.pk not in seen:
        parents.append(node.code)
        seen.add(node.pk)
        node = node.parent
    return category.code, parents


def complaint_suggestions(complaint: Complaint) -> list[Suggestion]:
    """The matrix rows that fit the complaint, most specific first."""
    code, parents = _ancestors(complaint)
    codes = [c for c in [code, *parents] if c]
    rows = CompensationRule.objects.filter(Q(category__isnull=True) | Q(category__code__in=codes)).filter(
        Q(severity="") | Q(severity=complaint.severity)
    ).select_related("category")
    rules = [
        Rule(category_code=r.category.code if r.category else "", severity=r.severity,
             remedies=tuple(r.remedies or ()), min_amount=r.min_amount, max_amount=r.max_amount, position=r.position)
        for r in rows
    ]
    return suggest(code, parents, complaint.severity, rules)


__all__ = ["approval_queue", "complaint_committed", "complaint_proposals", "complaint_suggestions", "covers", "user_authority"]
