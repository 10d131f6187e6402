"""The writers of the e-mail channel, by job (this module keeps the old import path for callers):

- ``mailboxes.py``: mailbox configuration (editors, checks, save, password);
- ``polling.py``: IMAP polling of the mailboxes;
- ``intake.py``: the intake of one fetched message (new complaint, message on one, ignored, failed);
- ``customer_wrote.py``: the cross-channel "customer wrote" step;
- ``replies.py``: replies to customers, sent as a job with retries.
"""

from __future__ import annotations

from kesu.channels.customer_wrote import customer_message_landed
from kesu.channels.intake import complaint_primary, customer_address_known, intake_failed, message_intake
from kesu.channels.mailboxes import (
    LOOPBACK,
    MAILBOX_ADMIN_FIELDS,
    MAILBOX_EDITORS,
    PASSWORD_ENV,
    mailbox_connection_editor,
    mailbox_editor_check,
    mailbox_password,
    mailbox_save,
    mailbox_validate,
)
from kesu.channels.polling import POLL_BATCH, POLL_LEASE, PollResult, channels_poll, mailbox_poll

__all__ = [
    "LOOPBACK",
    "MAILBOX_ADMIN_FIELDS",
    "MAILBOX_EDITORS",
    "PASSWORD_ENV",
    "POLL_BATCH",
    "POLL_LEASE",
    "PollResult",
    "channels_poll",
    "complaint_primary",
    "customer_address_known",
    "customer_message_landed",
    "intake_failed",
    "mailbox_connection_editor",
    "mailbox_editor_check",
    "mailbox_password",
    "mailbox_save",
    "mailbox_validate",
    "mailbox_poll",
    "message_intake",
]
