"""Who is told what when a complaint changes hands (the SLA's notices are in ``sla/notices.py``)."""

from __future__ import annotations

from datetime import datetime

from kesu.complaints.models import Complaint
from kesu.core.messages import Message
from kesu.core.models import User
from kesu.notifications.actions import notify


def transfer_notify(
    complaint: Complaint, *, coordinator: User | None, by: User | None, reason: str, now: datetime
) -> None:
    """The coordinator in copy and the receiving group's lead hear of a transfer at once."""
    group = complaint.group
    recipients = [coordinator, group.lead if group else None]
    recipients = [user for user in recipients if user is not None and user != by]
    if not recipients:
        return
    notify(
        recipients=recipients,
        kind="transfer",
        title=Message("notice.transfer", number=complaint.number, group=group.name if group else "-"),
        body=Message("notice.transfer_body", number=complaint.number, reason=reason),
        key=f"transfer:{complaint.pk}:{now.isoformat()}",
        now=now,
        complaint=complaint,
        urgent=complaint.red_channel,
    )
