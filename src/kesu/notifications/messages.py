"""The wordings of the notifications app's message ids (rendered in the reader's language when shown)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kesu.core.messages import messages_define

messages_define(
    {
        "notification.not_yours": _("A notification can be marked read only by its recipient."),
        "notification.phone": _("Enter 5 to 19 digits, optionally starting with +."),
        "notification.text": _("%(text)s"),
        "notice.complaint": _("Complaint %(number)s"),
    }
)
