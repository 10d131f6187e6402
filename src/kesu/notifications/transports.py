"""The two outside channels: email through Django's email backend, SMS through an HTTP webhook.

Each raises :class:`SendFailed` when one message could not be sent, and :class:`ChannelDown` (a
kind of SendFailed) when the channel itself cannot be reached, so the caller stops trying that
channel for a while without holding up the other.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import urllib.error
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage

SMS_TIMEOUT_SECONDS = 15
SIGNATURE_HEADER = "X-Kesu-Signature"
DELIVERY_HEADER = "X-Kesu-Delivery"


class SendFailed(Exception):
    """This message was not sent; trying again later may succeed."""


class ChannelDown(SendFailed):
    """The channel could not be reached at all (connection refused, timeout, login refused)."""


# SMTP answers about one message; anything else (refused connection, timeout, a dropped
# connection, a refused login) means the server is not usable right now
_MESSAGE_REFUSED = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
    smtplib.SMTPNotSupportedError,
)


def email_send(*, to: str, subject: str, body: str, attachments: Sequence[Path] = ()) -> None:
    # a header cannot hold a line break; the caller's title may
    subject = " ".join(subject.split())
    message = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=[to])
    for path in attachments:
        message.attach_file(str(path))
    try:
        sent = message.send(fail_silently=False)
    except _MESSAGE_REFUSED as error:
        raise SendFailed(f"{type(error).__name__}: {error}") from error
    except OSError as error:  # smtplib's other errors are OSErrors too
        raise ChannelDown(f"{type(error).__name__}: {error}") from error
    if sent != 1:
        raise SendFailed("the email backend sent nothing")


def signature(secret: str, body: bytes) -> str:
    """``sha256=<hex HMAC-SHA256 of the raw request body>``, the value of the X-Kesu-Signature header."""
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def sms_send(*, payload: dict, delivery_id: int | str) -> None:
    """POST the payload as JSON to KESU_SMS_WEBHOOK_URL; any 2xx answer counts as sent. ``delivery_id``
    goes in X-Kesu-Delivery (a notice's delivery: its number; a reply to a customer: ``reply-<id>``)."""
    url = settings.KESU_SMS_WEBHOOK_URL
    if not url:
        raise ChannelDown("the SMS webhook is not configured (KESU_SMS_WEBHOOK_URL)")
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    headers = {"Content-Type": "application/json; charset=utf-8", DELIVERY_HEADER: str(delivery_id)}
    if settings.KESU_SMS_WEBHOOK_SECRET:
        headers[SIGNATURE_HEADER] = signature(settings.KESU_SMS_WEBHOOK_SECRET, body)
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=SMS_TIMEOUT_SECONDS) as response:  # noqa: S310
            response.read(1024)
    except urllib.error.HTTPError as error:
        detail = error.read(200).decode("utf-8", "replace").strip()
        raise SendFailed(f"the SMS webhook answered HTTP {error.code}{': ' + detail if detail else ''}") from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise ChannelDown(f"the SMS webhook could not be reached: {reason}") from error
