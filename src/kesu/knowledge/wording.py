"""The UI's wording of the solution library's messages (the actions speak plain English)."""

from __future__ import annotations

import re
from collections.abc import Callable

from django.utils.translation import gettext as _

from kesu.web.domain_text import domain_message

_RULES: list[tuple[re.Pattern[str], Callable[[dict[str, str]], str]]] = [
    (re.compile(r"is required"), lambda g: _("This field is required.")),
    (re.compile(r"at most (?P<limit>\d+) characters"), lambda g: _("At most %(limit)s characters.") % g),
    (re.compile(r"at most (?P<limit>\d+) entries"), lambda g: _("At most %(limit)s entries.") % g),
    (re.compile(r"an article needs a body or steps"), lambda g: _("An article needs a body or at least one step.")),
    (re.compile(r"no category (?P<value>.+)"), lambda g: _("Unknown category %(value)s.") % g),
    (re.compile(r"must be one of .*"), lambda g: _("Choose draft or published.")),
]


def knowledge_message(message: str) -> str:
    for pattern, say in _RULES:
        match = pattern.fullmatch(message)
        if match:
            return say(match.groupdict())
    return domain_message(message)
