"""The UI's wording of the queues' domain messages (the rest: web/domain_text.py)."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from kesu.core.errors import FieldError, InvalidTransition, NotPermitted
from kesu.queues.actions import BulkOutcome
from kesu.web.domain_text import ACTION_LABELS, domain_message, transition_refused

_RULES = [
    (
        re.compile(r"you already have a view named “(?P<name>.*)”"),
        lambda g: _("You already have a view named “%(name)s”.") % g,
    ),
    (
        re.compile(r"at most (?P<limit>\d+) saved views per user; delete one first"),
        lambda g: _("You can keep at most %(limit)s saved views; delete one first.") % g,
    ),
    (re.compile(r"choose at least one complaint"), lambda g: _("Select at least one complaint.")),
    (
        re.compile(r"at most (?P<limit>\d+) complaints at once \(got (?P<got>\d+)\)"),
        lambda g: _("At most %(limit)s complaints at once (you selected %(got)s).") % g,
    ),
]


def queue_message(message: str) -> str:
    for pattern, say in _RULES:
        match = pattern.fullmatch(message)
        if match:
            return say(match.groupdict())
    return domain_message(message)


def field_message(error: FieldError) -> str:
    """A bulk form's ``FieldError`` with the field it names ("Assignee: This field is required.")."""
    labels = {"assignee": _("Assignee"), "group": _("Group"), "reason": _("Reason"), "action": _("Bulk action")}
    label = labels.get(error.field, "")
    message = queue_message(error.message)
    return f"{label}: {message}" if label else message


def outcome_refused(outcome: BulkOutcome) -> str:
    """Why one complaint of a bulk action was refused, in the user's language."""
    error = outcome.error
    if isinstance(error, InvalidTransition):
        reason = transition_refused(action=outcome.action, merged=bool(error.detail), current_status=error.current_status)
    elif isinstance(error, FieldError):
        reason = field_message(error)
    elif isinstance(error, NotPermitted):
        reason = _("Your role may not do this.")
    else:  # pragma: no cover — complaints_bulk reports only these
        reason = str(error)
    return f"{outcome.number}: {reason}"


def outcomes_done(outcomes: list[BulkOutcome]) -> str:
    """One line for what was done: the action and the complaints' numbers."""
    done = [outcome.number for outcome in outcomes if outcome.ok]
    action = ACTION_LABELS[outcomes[0].action] if outcomes else ""
    return _("%(action)s done for %(count)s: %(numbers)s.") % {
        "action": action, "count": len(done), "numbers": ", ".join(done)
    }
