"""Compensation's message ids and wordings: the actions' errors, approvers, amounts and the audit
trail (rendered in the reader's language when shown)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _

from kesu.compensation.models import CompensationEventKind, ProposalStatus
from kesu.core.messages import messages_define

APPROVER_LABELS = {
    "handler": gettext_lazy("first-line handler"),
    "senior": gettext_lazy("senior handler"),
    "manager": gettext_lazy("manager"),
}


messages_define({f"approver.{key}": label for key, label in APPROVER_LABELS.items()})
messages_define({f"proposal.{status.value}": status.label for status in ProposalStatus})
messages_define(
    {
        "compensation.not_number": _("“%(value)s” is not an amount; enter a number such as 120.50."),
        "compensation.number": _("Enter the amount as a number, e.g. 120.50."),
        "compensation.amount_missing": _("Enter the amount."),
        "compensation.positive": _("Enter an amount greater than 0."),
        "compensation.too_large": _("The amount must not exceed %(limit)s yuan."),
        "compensation.remedy_missing": _("Say what the customer is offered."),
        "compensation.merged": _("%(number)s was merged into %(primary)s; propose on %(primary)s."),
        "compensation.no_approver": _("No role may approve %(amount)s yuan; ask an administrator to set the approval limits."),
        "compensation.reject_reason": _("A rejection needs a reason: say why the compensation is rejected."),
        "compensation.decided": _("This proposal is already “%(status)s”; only a proposal awaiting approval can be changed."),
        "compensation.over_limit": _("Your approval authority is %(limit)s; %(amount)s yuan needs a %(approver)s."),
        "compensation.own_proposal": _("You may not decide on your own proposal."),
        "compensation.withdraw_own": _("Only the person who proposed it may withdraw a proposal."),
        "compensation.unlimited": _("unlimited"),
        "notice.compensation_pending": _("%(number)s: compensation of %(amount)s yuan awaits approval"),
        "notice.compensation_prereview": _("(flagged for compensation pre-review)"),
        "compensation.yuan": _("%(amount)s yuan"),
    }
)


def yuan(amount: Decimal | None) -> str:
    """An amount for people: ``500``, ``1,250.50``; ``None`` (no limit) as “unlimited”."""
    if amount is None:
        return _("unlimited")
    amount = Decimal(amount)
    if amount == amount.to_integral_value():
        return f"{amount:,.0f}"
    return f"{amount:,.2f}"


def approver_label(key: str) -> str:
    return str(APPROVER_LABELS.get(key, key))


def status_text(proposal) -> str:
    """“Awaiting approval — manager”, “Approved” …"""
    if proposal.status == ProposalStatus.PENDING:
        return _("Awaiting approval — %(approver)s") % {"approver": approver_label(proposal.needs_approval_by)}
    return str(proposal.get_status_display())


def audit_line(event) -> str:
    """One audit line without its actor and time (the template shows those)."""
    data = event.data or {}
    amount = yuan(Decimal(data["amount"])) if data.get("amount") else ""
    if event.kind == CompensationEventKind.PROPOSED:
        line = _("proposed %(amount)s yuan: %(remedy)s") % {"amount": amount, "remedy": data.get("remedy", "")}
        if data.get("needs_approval_by"):
            line += " · " + _("to be approved by %(approver)s") % {"approver": approver_label(data["needs_approval_by"])}
        return line
    if event.kind == CompensationEventKind.AUTO_APPROVED:
        return _("approved within their own authority")
    label = {
        CompensationEventKind.APPROVED: _("approved it"),
        CompensationEventKind.REJECTED: _("rejected it"),
        CompensationEventKind.WITHDRAWN: _("withdrew it"),
    }.get(event.kind, event.kind)
    return label


