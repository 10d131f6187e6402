""""The customer wrote", from any channel (e-mail, portal, webhook): the complaint resumes or its
clocks are refreshed, and its handler is told."""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction

from kesu.complaints.models import Complaint, Status
from kesu.core.messages import Message
from kesu.notifications.actions import notify
from kesu.pipeline.transitions import complaint_resume
from kesu.sla.actions import sla_refresh

logger = logging.getLogger(__name__)


def customer_message_landed(*, complaint: Complaint, text: str, key: str, resume_note: str,
                            now: datetime) -> Complaint:
    """After a ``customer_message`` event on an existing complaint (locked by the caller, in its
    transaction), from any channel: a complaint pending the customer resumes (its clocks run again),
    else its clocks are refreshed; the handler is told. Returns the complaint as it now is."""
    complaint.updated_at = now
    complaint.save(update_fields=["updated_at"])
    if complaint.status == Status.PENDING_CUSTOMER:  # the customer answered: the clocks run again
        complaint = complaint_resume(complaint=complaint, by=None, now=now, note=resume_note)
    else:
        sla_refresh(complaint, now=now)
    _customer_wrote_notify(complaint, text, key, now)
    return complaint


def _customer_wrote_notify(complaint: Complaint, text: str, key: str, now: datetime) -> None:
    """Tell the handler (else the one who resolved it, else the group's lead) that the customer wrote."""
    recipient = complaint.assignee or complaint.last_handler or (complaint.group.lead if complaint.group else None)
    if recipient is None:
        return
    try:
        # a savepoint: a failing notice must not lose the message
        with transaction.atomic():
            notify(
                recipients=[recipient], kind="customer_message",
                title=Message("notice.customer_wrote", number=complaint.number),
                body=Message("notification.text", text=text[:500]), key=key, now=now, complaint=complaint,
                urgent=complaint.red_channel,
            )
    except Exception:
        logger.exception("could not notify about the message on %s", complaint.number)
