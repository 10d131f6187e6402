"""The UI's wording of compensation: amounts, approvers, the audit trail and the actions' messages.

The actions raise their errors in plain English (the API returns them as they are); the pages say
them again through gettext here, and fall back to the shared wording (``web.domain_text``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kesu.compensation.models import CompensationEventKind, ProposalStatus
from kesu.web.domain_text import domain_message

APPROVER_LABELS = {
    "handler": gettext_lazy("first-line handler"),
    "senior": gettext_lazy("senior handler"),
    "manager": gettext_lazy("manager"),
}


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


_Rule = tuple[re.Pattern[str], Callable[[dict[str, str]], str]]

_RULES: list[_Rule] = [
    (re.compile(r"must be greater than 0"), lambda g: _("Enter an amount greater than 0.")),
    (re.compile(r"must be a finite number|must be a number"), lambda g: _("Enter the amount as a number, e.g. 120.50.")),
    (re.compile(r"'\s*' is not a number"), lambda g: _("Enter the amount.")),
    (re.compile(r"(?P<value>.+) is not a number"), lambda g: _("%(value)s is not an amount; enter a number such as 120.50.") % g),
    (re.compile(r"must not exceed (?P<limit>[\d,.]+) CNY"), lambda g: _("The amount must not exceed %(limit)s yuan.") % g),
    (re.compile(r"at most two decimal places \(fen\)"), lambda g: _("The amount may have at most two decimal places (fen).")),
    (re.compile(r"give the amount as a string.*"), lambda g: _("Enter the amount as a number, e.g. 120.50.")),
    (
        re.compile(r"no role may approve (?P<amount>[\d,.]+) CNY.*"),
        lambda g: _("No role may approve %(amount)s yuan; ask an administrator to set the approval limits.") % g,
    ),
    (re.compile(r"say what the customer is offered"), lambda g: _("Say what the customer is offered.")),
    (re.compile(r"must be at most (?P<limit>\d+) characters"), lambda g: _("At most %(limit)s characters.") % g),
    (re.compile(r"say why the compensation is rejected"), lambda g: _("A rejection needs a reason: say why the compensation is rejected.")),
    (
        re.compile(r"your approval limit is (?P<limit>.+?); (?P<amount>[\d,.]+) CNY needs (?P<approver>\w+)"),
        lambda g: _("Your approval authority is %(limit)s yuan; %(amount)s yuan needs a %(approver)s.") % {
            "limit": _limit_yuan(g["limit"]), "amount": g["amount"], "approver": approver_label(g["approver"]),
        },
    ),
    (re.compile(r"you may not decide on your own proposal"), lambda g: _("You may not decide on your own proposal.")),
    (
        re.compile(r"only the person who proposed it may withdraw a proposal"),
        lambda g: _("Only the person who proposed it may withdraw a proposal."),
    ),
    (
        re.compile(r"the proposal is already (?P<status>\w+); .*"),
        lambda g: _("This proposal is already “%(status)s”; only a proposal awaiting approval can be changed.") % {
            "status": _status_label(g["status"])},
    ),
]


def _limit_yuan(text: str) -> str:
    try:
        return yuan(Decimal(text.removesuffix(" CNY").replace(",", "")))
    except ArithmeticError:
        return text


def _status_label(value: str) -> str:
    try:
        return str(ProposalStatus(value).label)
    except ValueError:
        return value


def compensation_message(message: str) -> str:
    """The user's-language wording of one compensation error message."""
    for pattern, say in _RULES:
        match = pattern.fullmatch(message)
        if match:
            return say(match.groupdict())
    return domain_message(message)
