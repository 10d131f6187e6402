"""The wordings of the settings area's message ids (rendered in the reader's language when shown)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kesu.core.messages import messages_define

messages_define(
    {
        "permission.settings.manage": _("change the centre's settings"),
        "settings.json": _("Enter valid JSON (line %(line)s, column %(column)s)."),
        "settings.cell_taken": _("This cell of the priority matrix exists already; edit that row instead."),
        "settings.url": _("Enter an address starting with http:// or https://, e.g. %(example)s."),
        "settings.in_use": _("This setting is in use and cannot be deleted; deactivate it instead."),
        "settings.default_calendar": _(
            "The default calendar cannot be deleted; make another calendar the default first."
        ),
        "settings.calendar_estimated": _(
            "Calendar %(calendar)s has only estimated holidays for %(year)s; import them again once the official "
            "schedule is published, or check them by hand."
        ),
    }
)
