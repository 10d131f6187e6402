"""The wordings of the portal app's message ids (rendered in the reader's language when shown)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kesu.core.messages import messages_define

messages_define(
    {
        "portal.no_contact": _("Enter a phone number or an e-mail address, so that we can reach you."),
        "portal.rate_limited": _(
            "At most %(limit)s complaints per hour may be sent from one address; try again in %(minutes)s minutes."
        ),
        "portal.rate_limited_messages": _(
            "At most %(limit)s messages per hour may be added to one complaint; try again in %(minutes)s minutes."
        ),
    }
)
