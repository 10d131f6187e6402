"""What `kesu channels …` prints: one line per mailbox polled, one line per failed intake."""

from __future__ import annotations

from datetime import datetime

from kesu.channels.models import Mailbox
from kesu.channels.polling import PollResult, channels_poll, mailbox_poll
from kesu.channels.selectors import failed_intakes
from kesu.core.errors import FieldError


def poll_results(*, mailbox_name: str, now: datetime) -> list[PollResult]:
    """Poll one mailbox by name (enabled or not), or every enabled one."""
    if not mailbox_name:
        return channels_poll(now=now)
    mailbox = Mailbox.objects.filter(name=mailbox_name).first()
    if mailbox is None:
        raise FieldError("--mailbox", "mailbox.unknown", name=mailbox_name)
    return [mailbox_poll(mailbox=mailbox, now=now)]


def failed_lines(*, limit: int) -> list[str]:
    lines = []
    for inbound in failed_intakes(limit=limit):
        where = f"{inbound.mailbox.name} UID {inbound.uid}"
        sender = inbound.from_address or "?"
        kept = f" [kept: {inbound.raw.name}]" if inbound.raw else ""
        lines.append(f"{inbound.received_at:%Y-%m-%d %H:%M} UTC  #{inbound.pk}  {where}  from {sender}  "
                     f"{inbound.subject[:60]!r}: {inbound.reason}{kept}")
    return lines
