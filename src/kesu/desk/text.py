"""The desk's wording of its domain messages (the rest go through ``web.domain_text``)."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import gettext as _

from kesu.web.domain_text import domain_message

_RULES: list[tuple[re.Pattern[str], Callable[[dict[str, str]], str]]] = [
    (
        re.compile(r"unknown variable (?P<name>\{[^}]*\}); known: (?P<known>.+)"),
        lambda g: _("Unknown variable %(name)s. Known variables: %(known)s.") % g,
    ),
    (
        re.compile(r"unknown variable (?P<name>\{[^}]*\})"),
        lambda g: _("The template uses an unknown variable %(name)s; ask the management layer to correct it.") % g,
    ),
    (re.compile(r"no template (?P<value>.+)"), lambda g: _("There is no active template %(value)s.") % g),
    (re.compile(r"no article (?P<value>.+)"), lambda g: _("There is no article %(value)s.") % g),
    (
        re.compile(r"the customer of (?P<number>\S+) has no e-mail address to reply to"),
        lambda g: _("The customer of %(number)s has no e-mail address to reply to.") % g,
    ),
]


def desk_message(message: str) -> str:
    for pattern, say in _RULES:
        match = pattern.fullmatch(message)
        if match:
            return say(match.groupdict())
    return domain_message(message)
