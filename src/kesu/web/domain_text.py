"""The UI's wording of the domain's messages.

Actions raise their errors in plain English (the API returns them as they are). The web pages show
them in the user's language: each known message shape is matched here and said again through
gettext; a message of an unknown shape is shown as the domain wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kesu.complaints.models import Status

ACTION_LABELS = {
    "assign": gettext_lazy("Assign"),
    "start": gettext_lazy("Start handling"),
    "pend": gettext_lazy("Wait for customer"),
    "resume": gettext_lazy("Resume"),
    "resolve": gettext_lazy("Resolve"),
    "close": gettext_lazy("Close"),
    "reopen": gettext_lazy("Reopen"),
    "transfer": gettext_lazy("Transfer"),
    "merge": gettext_lazy("Merge as duplicate"),
    "note": gettext_lazy("Add internal note"),
    "contact": gettext_lazy("Record customer contact"),
    "follow_up": gettext_lazy("Record follow-up visit"),
}

_Rule = tuple[re.Pattern[str], Callable[[dict[str, str]], str]]

_RULES: list[_Rule] = [
    (re.compile(r"is required"), lambda g: _("This field is required.")),
    (
        re.compile(r"must be between (?P<low>\d+) and (?P<high>\d+) \(got (?P<got>-?\d+)\)"),
        lambda g: _("Enter a number between %(low)s and %(high)s (you entered %(got)s).") % g,
    ),
    (
        re.compile(r"must be a whole number of minutes \(got (?P<got>.+)\)"),
        lambda g: _("Enter a whole number of minutes (you entered %(got)s).") % g,
    ),
    (
        re.compile(r"must be one of (?P<choices>[\w, ]+) \(got (?P<got>.*)\)"),
        lambda g: _("Choose one of %(choices)s (you entered %(got)s).") % g,
    ),
    (re.compile(r"must not be empty"), lambda g: _("This field must not be empty.")),
    (
        re.compile(r"must be at most (?P<limit>\d+) characters \(got (?P<got>\d+)\)"),
        lambda g: _("At most %(limit)s characters (you entered %(got)s).") % g,
    ),
    (
        re.compile(r"(?P<value>.+) is not an amount"),
        lambda g: _("%(value)s is not an amount.") % g,
    ),
    (
        re.compile(r"give the amount as a decimal string, not a float"),
        lambda g: _("Enter the amount as a decimal number."),
    ),
    (re.compile(r"must not be negative"), lambda g: _("The amount must not be negative.")),
    (
        re.compile(r"must be below (?P<limit>\S+) CNY"),
        lambda g: _("The amount must be below %(limit)s yuan.") % g,
    ),
    (
        re.compile(r"must have at most two decimal places"),
        lambda g: _("The amount may have at most two decimal places."),
    ),
    (
        re.compile(r"unknown category (?P<value>.+)"),
        lambda g: _("Unknown category %(value)s.") % g,
    ),
    (
        re.compile(r"unknown group (?P<value>.+)"),
        lambda g: _("Unknown group %(value)s.") % g,
    ),
    (
        re.compile(r"unknown (?P<name>[\w.]+) (?P<value>.+?); choose one of (?P<choices>.+)"),
        lambda g: _("Unknown value %(value)s; choose one of %(choices)s.") % g,
    ),
    (
        re.compile(r"(?P<value>.+) is not a phone number"),
        lambda g: _("%(value)s is not a phone number.") % g,
    ),
    (
        re.compile(r"(?P<value>.+) is not an e-mail address"),
        lambda g: _("%(value)s is not an e-mail address.") % g,
    ),
    (
        re.compile(r"give a customer id or at least one of name, phone, email, external_id"),
        lambda g: _("Enter at least the customer's name, phone or e-mail."),
    ),
    (
        re.compile(r"no customer with id (?P<value>\d+)"),
        lambda g: _("There is no customer with id %(value)s.") % g,
    ),
    (
        re.compile(r"files of type (?P<suffix>.+) are not accepted; allowed: (?P<allowed>.+)"),
        lambda g: _("Files of type %(suffix)s are not accepted. Allowed: %(allowed)s") % g,
    ),
    (
        re.compile(r"(?P<name>.+) is (?P<size>[\d.]+) MB; the limit is (?P<limit>\d+) MB"),
        lambda g: _("%(name)s is %(size)s MB; the limit is %(limit)s MB.") % g,
    ),
    (
        re.compile(r"(?P<name>.+) looks like a program, not a (?P<suffix>\S+) file"),
        lambda g: _("%(name)s looks like a program, not a %(suffix)s file.") % g,
    ),
    (
        re.compile(r"(?P<name>.+) does not look like a (?P<suffix>\S+) file"),
        lambda g: _("%(name)s does not look like a %(suffix)s file.") % g,
    ),
    (re.compile(r"(?P<name>.+) is empty"), lambda g: _("%(name)s is empty.") % g),
    (
        re.compile(r"no active user (?P<value>.+)"),
        lambda g: _("There is no active user %(value)s.") % g,
    ),
    (
        re.compile(r"(?P<value>.+) is not an active user"),
        lambda g: _("%(value)s is not an active user.") % g,
    ),
    (
        re.compile(r"the complaint is already in group (?P<value>.+)"),
        lambda g: _("The complaint is already in group %(value)s.") % g,
    ),
    (
        re.compile(r"(?P<value>\S+) \(\w+\) does not handle complaints"),
        lambda g: _("%(value)s does not handle complaints and cannot be assigned one.") % g,
    ),
    (
        re.compile(r"(?P<value>\S+) has duplicates merged into it; merge (?P<other>\S+) into it instead"),
        lambda g: _("%(value)s has duplicates merged into it; merge %(other)s into it instead.") % g,
    ),
    (
        re.compile(r"a complaint cannot be merged into itself"),
        lambda g: _("A complaint cannot be merged into itself."),
    ),
    (
        re.compile(r"(?P<value>.+) is itself merged into another complaint"),
        lambda g: _("%(value)s is itself merged into another complaint.") % g,
    ),
    (
        re.compile(r"no complaint (?P<value>.+)"),
        lambda g: _("There is no complaint %(value)s.") % g,
    ),
    (re.compile(r"no such complaint"), lambda g: _("There is no such complaint.")),
    (
        re.compile(r"give a category or a severity to correct"),
        lambda g: _("Choose a category or a severity to correct."),
    ),
]


def _quoted(value: str) -> str:
    """A value the domain quoted with ``repr`` ('abc'), in typographic quotes (“abc”)."""
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return f"“{value[1:-1]}”"
    return value


def domain_message(message: str) -> str:
    """The user's-language wording of one ``FieldError`` message."""
    for pattern, say in _RULES:
        match = pattern.fullmatch(message)
        if match:
            return say({name: _quoted(value) for name, value in match.groupdict().items()})
    return message


def status_label(value: str) -> str:
    try:
        return str(Status(value).label)
    except ValueError:
        return value


def transition_refused(*, action: str, merged: bool, current_status: str) -> str:
    """The message for an ``InvalidTransition``: what could not be done, and the status now."""
    status = status_label(current_status)
    if merged and action == "reopen":
        return _(
            "A merged duplicate cannot be reopened; reopen its primary complaint. Current status: %(status)s."
        ) % {"status": status}
    label = ACTION_LABELS.get(action, action)
    return _("Cannot “%(action)s” this complaint: its current status is “%(status)s”.") % {
        "action": label,
        "status": status,
    }
