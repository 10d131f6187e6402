"""Webhooks: the inbound endpoint gateways post to (authenticated by its HMAC signature, not by a
token) and the delivery log of the outbound subscribers (managers and administrators)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.responses import Status as HttpStatus

from kesu.api.errors import domain_error_body, not_found_body
from kesu.api.schemas import ErrorOut
from kesu.channels.models import WebhookSubscriber
from kesu.channels.webhooks_in import WebhookRefused, webhook_receive
from kesu.channels.webhooks_out import WEBHOOK_EDITORS
from kesu.core.clock import clock_now
from kesu.core.errors import raise_not_permitted

router = Router(tags=["webhooks"])

MAX_LOG = 500


class TakenInOut(Schema):
    outcome: str
    message_id: str
    complaint_id: int
    complaint_number: str


class DeliveryOut(Schema):
    id: int
    delivery: str
    event_type: str
    complaint_id: int | None
    state: str
    attempts: int
    next_attempt_at: datetime
    last_status_code: int | None
    last_error: str
    created_at: datetime
    sent_at: datetime | None
    payload: dict[str, Any]


_INBOUND_BODY = {
    "requestBody": {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "required": ["id", "customer", "text"],
        "properties": {
            "id": {"type": "string", "description": "the gateway's message id; a second message with it is 409"},
            "timestamp": {"description": "when the customer sent it: unix seconds or ISO 8601"},
            "customer": {"type": "object", "required": ["handle_kind", "handle"], "properties": {
                "handle_kind": {"type": "string", "enum": ["phone", "email", "external"]},
                "handle": {"type": "string"}, "name": {"type": "string"}}},
            "text": {"type": "string"},
            "complaint_number": {"type": "string", "description": "a message on this existing complaint"},
            "thread_id": {"type": "string", "description": "later messages with it land on the same complaint"},
            "attachments": {"type": "array", "description": "listed on the timeline, not taken in"},
        }}}}},
}


@router.post(
    "/{source}", auth=None, openapi_extra=_INBOUND_BODY,
    response={201: TakenInOut, 401: ErrorOut, 409: ErrorOut, 422: ErrorOut},
)
def webhook_inbound_view(request: HttpRequest, source: str):
    """A customer's message from a chat, social-media or SMS gateway. Sign the raw body:
    `X-Kesu-Timestamp: <unix seconds>` and `X-Kesu-Signature: sha256=<hex HMAC-SHA256 of
    "{timestamp}.{body}">` with the source's secret. 401: unknown source or bad signature, or a
    timestamp more than 5 minutes off; 409: the message id was taken in before; 422: bad body,
    naming the field. Nothing is written unless the whole message is taken in."""
    try:
        taken = webhook_receive(
            source_name=source, body=request.body, signature_header=request.headers.get("X-Kesu-Signature"),
            timestamp_header=request.headers.get("X-Kesu-Timestamp"), now=clock_now(),
        )
    except WebhookRefused as refused:
        return HttpStatus(401, domain_error_body(refused))
    return HttpStatus(201, {
        "outcome": taken.record.outcome, "message_id": taken.record.message_id,
        "complaint_id": taken.complaint.pk, "complaint_number": taken.complaint.number,
    })


@router.get("/subscribers/{int:subscriber_id}/deliveries", response={200: list[DeliveryOut], 404: ErrorOut})
def webhook_deliveries_view(request: HttpRequest, subscriber_id: int, state: str = "", limit: int = 100):
    """A subscriber's delivery log, newest first (managers and administrators): every event sent or
    being sent, its attempts, the last HTTP status and error. `state`: pending, sent or failed."""
    user = request.auth
    if not (user.is_superuser or user.role in WEBHOOK_EDITORS):
        raise_not_permitted(user, "permission.webhooks.read")
    subscriber = WebhookSubscriber.objects.filter(pk=subscriber_id).first()
    if subscriber is None:
        return HttpStatus(404, not_found_body("webhook_subscriber", subscriber_id))
    deliveries = subscriber.deliveries.order_by("-created_at", "-id")
    if state:
        deliveries = deliveries.filter(state=state)
    return HttpStatus(200, [
        {"id": d.pk, "delivery": str(d.uuid), "event_type": d.event_type, "complaint_id": d.complaint_id,
         "state": d.state, "attempts": d.attempts, "next_attempt_at": d.next_attempt_at,
         "last_status_code": d.last_status_code, "last_error": d.last_error, "created_at": d.created_at,
         "sent_at": d.sent_at, "payload": d.payload}
        for d in deliveries[: max(1, min(limit, MAX_LOG))]
    ])
