"""The call pages' wording of the call actions' messages (the way web/domain_text.py words the rest)."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import gettext as _

from kesu.web.domain_text import domain_message

_RULES: list[tuple[re.Pattern[str], Callable[[dict[str, str]], str]]] = [
    (
        re.compile(r"(?P<value>.+) is not a duration; give seconds or mm:ss"),
        lambda g: _("%(value)s is not a duration: enter seconds (205) or minutes:seconds (3:25).") % g,
    ),
    (
        re.compile(r"must not be negative \(got (?P<got>-?\d+)\)"),
        lambda g: _("The duration must not be negative (you entered %(got)s).") % g,
    ),
    (
        re.compile(r"must be at most 24 hours \(got (?P<got>\d+) seconds\)"),
        lambda g: _("A call lasts at most 24 hours (you entered %(got)s seconds).") % g,
    ),
    (re.compile(r"\S+ is in the future"), lambda g: _("The start of the call is in the future.")),
    (
        re.compile(r"(?P<value>.+) is not a date and time"),
        lambda g: _("%(value)s is not a date and time.") % g,
    ),
    (
        re.compile(r"give the transcript or the after-call notes: they become the complaint's content"),
        lambda g: _("Enter the transcript or the after-call notes: they become the complaint's content."),
    ),
    (
        re.compile(r"choose either a new complaint or an existing one, not both"),
        lambda g: _("Choose either a new complaint or an existing one, not both."),
    ),
    (
        re.compile(r"(?P<value>\S+) was merged into (?P<primary>\S+); attach the call to \S+ instead"),
        lambda g: _("%(value)s was merged into %(primary)s; attach the call to %(primary)s instead.") % g,
    ),
    (
        re.compile(r"recordings of type (?P<suffix>.+) are not accepted; allowed: (?P<allowed>.+)"),
        lambda g: _("Recordings of type %(suffix)s are not accepted. Allowed: %(allowed)s") % g,
    ),
]


def _quoted(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return f"“{value[1:-1]}”"
    return value


def call_message(message: str) -> str:
    """The user's-language wording of one ``FieldError`` message of ``call_log``."""
    for pattern, say in _RULES:
        match = pattern.fullmatch(message)
        if match:
            return say({name: _quoted(value) for name, value in match.groupdict().items()})
    return domain_message(message)
