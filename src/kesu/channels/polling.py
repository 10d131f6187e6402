"""Polling the mailboxes over IMAP: a lease per mailbox, the new UIDs fetched in batches and each
message handed to the intake (``intake.message_intake``); a mailbox's error is recorded, never
lost messages."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Q

from kesu.channels.imap import ImapAccount, MailboxUnavailable, imap_folder
from kesu.channels.intake import intake_failed, message_intake
from kesu.channels.mailboxes import mailbox_password
from kesu.channels.models import (
    Mailbox,
    Outcome,
)

logger = logging.getLogger(__name__)

POLL_BATCH = 200  # messages per mailbox per poll; the rest wait for the next minute
POLL_LEASE = timedelta(minutes=10)


@dataclass
class PollResult:
    mailbox: str
    outcomes: Counter = field(default_factory=Counter)
    error: str = ""
    skipped: str = ""

    @property
    def fetched(self) -> int:
        return sum(self.outcomes.values())

    def line(self) -> str:
        """One summary line, for the CLI and the log."""
        if self.error:
            return f"{self.mailbox}: error: {self.error}"
        if self.skipped:
            return f"{self.mailbox}: skipped: {self.skipped}"
        o = self.outcomes
        return (f"{self.mailbox}: {self.fetched} new message(s): {o[Outcome.CREATED]} complaint(s) created, "
                f"{o[Outcome.REPLIED]} added to complaints, {o[Outcome.IGNORED_AUTO]} automatic ignored, "
                f"{o[Outcome.IGNORED_DUPLICATE]} duplicate(s) ignored, {o[Outcome.FAILED]} failed")


def _lease_take(mailbox: Mailbox, now: datetime) -> bool:
    return Mailbox.objects.filter(
        Q(polling_until__isnull=True) | Q(polling_until__lte=now), pk=mailbox.pk
    ).update(polling_until=now + POLL_LEASE) == 1


def _error_record(mailbox: Mailbox, error: str, now: datetime) -> None:
    Mailbox.objects.filter(pk=mailbox.pk).update(last_error=error[:2000], last_error_at=now, last_polled_at=now)
    mailbox.last_error, mailbox.last_error_at = error[:2000], now


def mailbox_poll(*, mailbox: Mailbox, now: datetime, limit: int = POLL_BATCH) -> PollResult:
    """Fetch the mailbox's new messages (UIDs above the last one taken in) and take each in.

    A mailbox that cannot be reached or read gets its error recorded (``last_error``) and in the
    result; nothing is lost: the messages stay on the server and the next poll starts where this
    one stopped.
    """
    result = PollResult(mailbox=mailbox.name)
    if not _lease_take(mailbox, now):
        result.skipped = "another poll of this mailbox is running"
        return result
    try:
        account = ImapAccount(
            host=mailbox.host, port=mailbox.port, security=mailbox.security, username=mailbox.username,
            password=mailbox_password(mailbox), folder=mailbox.folder, ca_file=mailbox.ca_file,
        )
        with imap_folder(account) as folder:
            mailbox.refresh_from_db(fields=["uid_validity", "last_uid"])
            if mailbox.uid_validity != folder.uid_validity:
                # a new folder, or the server renumbered it: read it again; Message-IDs keep it from
                # making duplicates
                if mailbox.uid_validity is not None:
                    logger.warning("mailbox %s: UIDVALIDITY changed from %s to %s; reading the folder again",
                                   mailbox.name, mailbox.uid_validity, folder.uid_validity)
                Mailbox.objects.filter(pk=mailbox.pk).update(uid_validity=folder.uid_validity, last_uid=0)
                mailbox.uid_validity, mailbox.last_uid = folder.uid_validity, 0
            uids = folder.uids_after(mailbox.last_uid)[:limit]
            sizes = folder.sizes(uids)
            for uid in uids:
                size = sizes.get(uid, 0)
                if size > mailbox.max_message_bytes:
                    inbound = intake_failed(
                        mailbox, folder.uid_validity, uid, now, size=size, raw=None,
                        reason=(f"the message is {size / 1048576:.1f} MB; the limit of this mailbox is "
                                f"{mailbox.max_message_bytes / 1048576:.1f} MB. It was not fetched and is "
                                f"still in the mailbox (folder {mailbox.folder}, UID {uid})"),
                    )
                else:
                    raw = folder.fetch(uid)
                    inbound = message_intake(
                        mailbox=mailbox, uid_validity=folder.uid_validity, uid=uid, raw=raw, now=now
                    )
                result.outcomes[inbound.outcome] += 1
        Mailbox.objects.filter(pk=mailbox.pk).update(last_polled_at=now, last_error="", last_error_at=None)
        mailbox.last_polled_at, mailbox.last_error = now, ""
    except MailboxUnavailable as error:
        logger.warning("mailbox %s: %s", mailbox.name, error)
        result.error = str(error)
        _error_record(mailbox, result.error, now)
    finally:
        Mailbox.objects.filter(pk=mailbox.pk).update(polling_until=None)
    return result


def channels_poll(*, now: datetime) -> list[PollResult]:
    """Poll every enabled mailbox; one that fails (even unexpectedly) never stops the others."""
    results = []
    for mailbox in Mailbox.objects.filter(enabled=True).order_by("name"):
        try:
            results.append(mailbox_poll(mailbox=mailbox, now=now))
        except Exception as error:
            logger.exception("polling mailbox %s failed", mailbox.name)
            message = f"{type(error).__name__}: {error}"
            _error_record(mailbox, message, now)
            results.append(PollResult(mailbox=mailbox.name, error=message))
    return results
