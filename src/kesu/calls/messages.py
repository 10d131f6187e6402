"""The wordings of the calls app's message ids (rendered in the reader's language when shown)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kesu.core.messages import messages_define

messages_define(
    {
        "call.merged": _("%(value)s was merged into %(primary)s; attach the call to %(primary)s instead."),
        "call.future": _("The start of the call is in the future."),
        "call.both_targets": _("Choose either a new complaint or an existing one, not both."),
        "call.no_content": _("Enter the transcript or the after-call notes: they become the complaint's content."),
        "call.not_duration": _("“%(value)s” is not a duration: enter seconds (205) or minutes:seconds (3:25)."),
        "call.negative": _("The duration must not be negative (you entered %(got)s)."),
        "call.too_long": _("A call lasts at most 24 hours (you entered %(got)s seconds)."),
        "call.not_datetime": _("“%(value)s” is not a date and time."),
    }
)
