"""The wordings of the portal app's message ids (rendered in the reader's language when shown)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kesu.core.messages import messages_define

messages_define(
    {
        "portal.region_province": _("Choose the province too: a city or district alone is ambiguous."),
        "portal.no_contact": _("Enter a phone number or an e-mail address, so that we can reach you."),
        "portal.rate_limited": _(
            "At most %(limit)s complaints per hour may be sent from one address; try again in %(minutes)s minutes."
        ),
        "portal.verdict_not_resolved": _("Only a resolved complaint can be accepted or reported as not solved."),
        "portal.verdict_given": _("You have already answered about this resolution."),
        "portal.code_wrong": _("The code is wrong or has expired. Ask for a new code."),
        "notice.portal_not_solved": _("%(number)s reopened: the customer says the problem is not solved"),
        "notice.portal_not_solved_body": _("The customer wrote: %(comment)s"),
        "portal.rate_limited_lookups": _(
            "At most %(limit)s lookups per hour may be made from one address; try again in %(minutes)s minutes."
        ),
        "portal.rate_limited_messages": _(
            "At most %(limit)s messages per hour may be added to one complaint; try again in %(minutes)s minutes."
        ),
    }
)
