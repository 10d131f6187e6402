"""The wordings of the queues app's message ids (rendered in the reader's language when shown)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kesu.core.messages import messages_define

messages_define(
    {
        "view.exists": _("You already have a view named “%(name)s”."),
        "view.too_many": _("You can keep at most %(limit)s saved views; delete one first."),
        "bulk.none_chosen": _("Select at least one complaint."),
        "bulk.too_many": _("At most %(limit)s complaints at once (you selected %(got)s)."),
    }
)
