"""The wordings of the api app's message ids (rendered in the reader's language when shown)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kesu.core.messages import messages_define

messages_define(
    {
        "api.not_datetime": _("Enter an ISO 8601 date or date-time (you entered %(got)s)."),
        "api.no_timezone": _("Give a time zone (e.g. 2026-03-02T00:00:00+08:00) or a date."),
        "api.period_order": _("The start must be before the end."),
        "api.period_too_long": _("The period may be at most %(limit)s days."),
        "api.page": _("Enter a page number of 1 or more."),
        "api.not_json": _("The request body is not valid JSON."),
        "api.too_deep": _("The request body is nested more than %(limit)s levels deep."),
        "api.not_found": _("There is no %(kind)s with id %(id)s."),
        "api.kind.complaint": _("complaint"),
        "api.kind.routing_rule": _("routing rule"),
        "api.kind.proposal": _("compensation proposal"),
        "api.kind.article": _("article"),
        "api.kind.webhook_subscriber": _("webhook subscriber"),
        "api.kind.call": _("call"),
        "api.kind.customer": _("customer"),
        "api.kind.notification": _("notification"),
        "api.no_group": _("There is no group %(group)s."),
        "api.no_recording": _("Call %(id)s has no recording."),
        "api.recording_missing": _("The recording of call %(id)s is missing from storage."),
        "api.no_customer_phone": _("There is no customer with phone %(phone)s."),
    }
)
