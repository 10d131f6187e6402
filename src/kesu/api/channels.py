"""Replies to the customer: sent on the complaint's channel (e-mail; SMS through the gateway), or
recorded when kesu cannot send on that channel (phone, chat … : the handler passes the reply on; the
answer says so). The recipient is masked for a caller who may not work on the complaint (issue 15)."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status as HttpStatus

from kesu.api.auth import permission_require
from kesu.api.errors import not_found_body
from kesu.api.schemas import ErrorOut, TextIn, TransitionErrorOut
from kesu.channels.models import OutboundChannel, OutboundMessage
from kesu.channels.replies import complaint_reply_send
from kesu.complaints.models import Complaint
from kesu.core.clock import clock_now
from kesu.core.roles import Permission
from kesu.privacy.masking import identity_mask
from kesu.privacy.policy import Viewer

router = Router(tags=["replies"])


class ReplyIn(TextIn):
    text: str


class OutboundOut(Schema):
    id: int
    channel: str
    to: str
    subject: str
    message_id: str
    in_reply_to: str
    state: str
    attempts: int
    last_error: str
    created_at: datetime
    sent_at: datetime | None


class ReplyOut(Schema):
    event_id: int
    channel: str
    sent: bool
    note: str
    outbound: OutboundOut | None


def outbound_dict(outbound: OutboundMessage, *, full: bool = True) -> dict:
    """One outbound message; ``full=False``: its recipient masked (an address or a phone number)."""
    to = outbound.to if full else identity_mask("phone" if outbound.channel == OutboundChannel.SMS else "email",
                                                  outbound.to)
    return {
        "id": outbound.pk, "channel": outbound.channel, "to": to, "subject": outbound.subject, "message_id": outbound.message_id,
        "in_reply_to": outbound.in_reply_to, "state": outbound.state, "attempts": outbound.attempts,
        "last_error": outbound.last_error, "created_at": outbound.created_at, "sent_at": outbound.sent_at,
    }


@router.post(
    "/{int:complaint_id}/replies",
    response={201: ReplyOut, 404: ErrorOut, 409: TransitionErrorOut, 422: ErrorOut},
)
def complaint_reply_view(request: HttpRequest, complaint_id: int, payload: ReplyIn):
    """Reply to the customer. E-mail complaints: the reply is sent by SMTP after the commit
    (`sent: true`, `outbound.state` pending → sent; retried with back-off). SMS complaints: sent through
    the SMS gateway the same way (`outbound.channel: sms`, at most 500 characters, else 422); with no
    gateway configured or no phone number known, `sent: false` and a `note` saying why. Other channels:
    recorded on the timeline with `sent: false` and a `note`; pass it on to the customer yourself."""
    user = permission_require(request, Permission.COMPLAINT_HANDLE)
    complaint = Complaint.objects.filter(pk=complaint_id).first()
    if complaint is None:
        return HttpStatus(404, not_found_body("complaint", complaint_id))
    reply = complaint_reply_send(complaint=complaint, by=user, text=payload.text, now=clock_now())
    full = Viewer(user).full_for_complaint(complaint)
    return HttpStatus(201, {
        "event_id": reply.event.pk, "channel": reply.event.data["channel"], "sent": reply.outbound is not None,
        "note": str(reply.unsent) if reply.unsent is not None else reply.note,
        "outbound": outbound_dict(reply.outbound, full=full) if reply.outbound is not None else None,
    })


@router.get("/{int:complaint_id}/replies", response={200: list[OutboundOut], 404: ErrorOut})
def complaint_replies_view(request: HttpRequest, complaint_id: int):
    """The e-mails and SMS sent (or being sent) to the customer of a complaint, newest first, with their
    state; the recipient masked for a caller who may not work on the complaint."""
    user = permission_require(request, Permission.COMPLAINT_READ)
    complaint = Complaint.objects.filter(pk=complaint_id).first()
    if complaint is None:
        return HttpStatus(404, not_found_body("complaint", complaint_id))
    full = Viewer(user).full_for_complaint(complaint)
    return HttpStatus(200, [outbound_dict(o, full=full)
                            for o in OutboundMessage.objects.filter(complaint_id=complaint_id)])
