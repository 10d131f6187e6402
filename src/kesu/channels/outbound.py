"""Replies to customers as e-mail: the threading headers, the subject, and the SMTP send.

Sent through Django's email backend (``KESU_EMAIL_*`` settings), the same as notifications: SMTP
when ``KESU_EMAIL_HOST`` is set, otherwise written to ``<data folder>/outbox``.
"""

from __future__ import annotations

import secrets
import smtplib

from django.core.mail import EmailMessage, get_connection

from kesu.channels.mail import subject_base

MAX_REFERENCES = 20


class SendFailed(Exception):
    """This message was not sent; trying again later may succeed."""


def message_id_new(from_address: str, *, number: str) -> str:
    """A Message-ID in our own domain (the sender's), without angle brackets."""
    domain = from_address.rsplit("@", 1)[-1].strip().lower() if "@" in from_address else ""
    # short enough that the header is never folded: kesu.KS-2026-000123.<16 hex>@domain
    return f"kesu.{number}.{secrets.token_hex(8)}@{domain or 'kesu.invalid'}"


def reply_subject(number: str, subject: str) -> str:
    """``Re: [KS-2026-000123] <the subject without earlier Re: and tags>``."""
    base = subject_base(subject)
    return f"Re: [{number}] {base}".rstrip()


def references_for(previous_references: list[str], previous_id: str) -> list[str]:
    """References of a reply: the thread so far plus the message answered (RFC 5322 §3.6.4), capped."""
    chain = [ref for ref in previous_references if ref and ref != previous_id]
    if previous_id:
        chain.append(previous_id)
    return chain[-MAX_REFERENCES:]


def _bracket(ids: list[str]) -> str:
    return " ".join(f"<{i}>" for i in ids if i)


def email_build(
    *, from_address: str, to: str, subject: str, body: str, message_id: str, in_reply_to: str, references: list[str]
) -> EmailMessage:
    headers = {"Message-ID": f"<{message_id}>"}
    if in_reply_to:
        headers["In-Reply-To"] = f"<{in_reply_to}>"
    if references:
        headers["References"] = _bracket(references)
    # a header cannot hold a line break
    subject = " ".join(subject.split())
    message = EmailMessage(subject=subject, body=body, from_email=from_address, to=[to], headers=headers)
    message.encoding = "utf-8"
    return message


_MESSAGE_REFUSED = (
    smtplib.SMTPRecipientsRefused,
    smtplib.SMTPSenderRefused,
    smtplib.SMTPDataError,
    smtplib.SMTPNotSupportedError,
)


def email_deliver(message: EmailMessage) -> None:
    """Hand the message to the configured mail server; :class:`SendFailed` says why it did not go."""
    try:
        sent = get_connection(fail_silently=False).send_messages([message])  # SMTP: EMAIL_TIMEOUT applies
    except _MESSAGE_REFUSED as error:
        raise SendFailed(f"the mail server refused the message: {type(error).__name__}: {error}") from error
    except OSError as error:  # refused connection, timeout, dropped connection, refused login
        raise SendFailed(f"the mail server cannot be reached: {type(error).__name__}: {error}") from error
    if sent != 1:
        raise SendFailed("the email backend sent nothing")
