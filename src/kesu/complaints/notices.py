"""Who is told what when a complaint changes hands (the SLA's notices are in ``sla/notices.py``)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from kesu.complaints.models import Complaint
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
    with translation.override(settings.LANGUAGE_CODE):
        title = _("%(number)s transferred to %(group)s") % {
            "number": complaint.number, "group": group.name if group else "-"}
        body = _("%(number)s was transferred to your group. Reason: %(reason)s") % {
            "number": complaint.number, "reason": reason}
    notify(
        recipients=recipients,
        kind="transfer",
        title=title,
        body=body,
        key=f"transfer:{complaint.pk}:{now.isoformat()}",
        now=now,
        complaint=complaint,
        urgent=complaint.red_channel,
    )
