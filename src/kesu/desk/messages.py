"""The wordings of the desk app's message ids (rendered in the reader's language when shown)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kesu.core.messages import messages_define

messages_define(
    {
        "template.unknown_variable": _("Unknown variable %(name)s. Known variables: %(known)s."),
        "template.broken": _("The template uses an unknown variable %(name)s; ask the management layer to correct it."),
        "template.unknown": _("There is no active template %(value)s."),
        "suggestion.unknown": _("There is no suggestion %(value)s."),
    }
)
