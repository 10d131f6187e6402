"""The wordings of the knowledge app's message ids (rendered in the reader's language when shown)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kesu.core.messages import messages_define

messages_define(
    {
        "knowledge.empty_article": _("An article needs a body or at least one step."),
        "knowledge.unknown": _("There is no article %(value)s."),
    }
)
