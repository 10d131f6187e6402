"""The wordings of the channels app's message ids (rendered in the reader's language when shown)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from kesu.core.messages import messages_define

messages_define(
    {
        "mailbox.unencrypted": _("An unencrypted connection is allowed to a loopback host only; use ssl or starttls."),
        "mailbox.ca_file": _("%(path)s is not a file."),
        "mailbox.unknown": _("There is no mailbox named %(name)s."),
        "reply.no_email": _("The customer of %(number)s has no e-mail address to reply to."),
        "reply.no_phone": _("Not sent: kesu knows no phone number of the customer of %(number)s; pass the reply "
                            "on to the customer yourself."),
        "reply.sms_unconfigured": _("Not sent: no SMS gateway is configured (KESU_SMS_WEBHOOK_URL); pass the reply "
                                    "on to the customer yourself."),
        "reply.sms_too_long": _("An SMS reply is at most %(limit)s characters (this one has %(got)s); shorten it."),
        "webhook.timestamp": _("Enter unix seconds or an ISO 8601 time with its offset."),
        "webhook.not_json": _("The body is not valid JSON: %(reason)s"),
        "webhook.customer_shape": _("Enter the customer as an object with handle_kind and handle."),
        "webhook.duplicate": _("Message %(id)s from %(source)s was taken in already."),
        "webhook.url": _("Enter an http:// or https:// address of at most 500 characters (you entered %(got)s)."),
        "webhook.no_events": _("Choose at least one event."),
        "webhook.env_unset": _("The environment variable %(name)s is not set."),
        "webhook.no_secret": _("The subscriber has no secret."),
        "notice.customer_wrote": _("%(number)s: the customer wrote"),
        "notice.reply_failed": _("%(number)s: the reply could not be sent"),
        "notice.reply_failed_body": _("The e-mail to %(to)s was not sent after %(attempts)s attempts: %(error)s"),
        "notice.reply_failed_body_sms": _("The SMS to %(to)s was not sent after %(attempts)s attempts: %(error)s"),
        "webhook.refused.signature": _("Unknown source or bad signature."),
        "webhook.refused.timestamp": _("X-Kesu-Timestamp is not a unix time in seconds."),
        "webhook.refused.clock": _("X-Kesu-Timestamp is more than %(minutes)s minutes away from kesu's clock."),
        "webhook.no_attachments": _("attachments are not taken in over webhooks"),
    }
)
