"""Inbound webhooks: chat, social-media and SMS gateways post customers' messages, HMAC-signed.

``POST /api/v1/channels/webhooks/{source}`` with ``X-Kesu-Timestamp: <unix seconds>`` and
``X-Kesu-Signature: sha256=<hex HMAC-SHA256 of "{timestamp}.{raw body}">`` under the source's
secret. Checks, in order: the source exists, is enabled and its secret is set, and the signature
matches (else ``WebhookRefused``: one answer for all, compared in constant time); the timestamp is
within five minutes (``WebhookRefused``); the body is a valid message (FieldErrors naming the
field); its id was not taken in before for that source (``Conflict``, race-safe by a unique
constraint). A message with ``complaint_number`` (or a ``thread_id`` seen before from that source)
is added to that complaint as a ``customer_message``; any other message creates a complaint, its
customer found (or created) by the handle. All in one transaction: nothing is half-created.
"""

from __future__ import annotations

import hmac
import os
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.db import IntegrityError, transaction

from kesu.channels.customer_wrote import customer_message_landed
from kesu.channels.intake import complaint_primary
from kesu.channels.models import WebhookChannel, WebhookMessage, WebhookOutcome, WebhookSource
from kesu.channels.webhooks_out import SECRET_ENV, signature, webhook_editor_check
from kesu.complaints.drafts import MAX_CONTENT, ComplaintDraft
from kesu.complaints.models import Complaint, ComplaintEvent, EventKind
from kesu.complaints.records import complaint_lock, event_record
from kesu.core.errors import Conflict, DomainError, FieldError, FieldErrors
from kesu.core.messages import Message, given
from kesu.core.models import Group, User
from kesu.core.storable import json_read, text_problem
from kesu.customers.actions import CustomerHandles
from kesu.customers.identities import identity_normalise
from kesu.customers.models import CustomerIdentity, IdentityKind
from kesu.pipeline.intake import complaint_create

TOLERANCE = timedelta(minutes=5)
MAX_ID = 200
HANDLE_KINDS = {"phone": IdentityKind.PHONE, "email": IdentityKind.EMAIL, "external": IdentityKind.EXTERNAL}
_DUMMY_SECRET = "kesu-no-such-source"  # an unknown source costs the same HMAC as a known one


class WebhookRefused(DomainError):
    """The request is not authentic (API 401). The message is safe to show the caller."""


# ---- sources ----------------------------------------------------------------------------------


def source_validate(*, name: str, channel: str, secret_env: str) -> dict:
    """Check a source's settings; return them cleaned. Raises FieldErrors naming every bad field."""
    errors: list[FieldError] = []
    clean = {"name": (name or "").strip(), "channel": channel, "secret_env": (secret_env or "").strip()}
    if not re.fullmatch(r"[-a-zA-Z0-9_]{1,48}", clean["name"]):
        errors.append(FieldError("name", "field.name_format", limit=48))
    if channel not in WebhookChannel.values:
        errors.append(FieldError("channel", "field.choice", choices=list(WebhookChannel.values), got=given(channel)))
    if not SECRET_ENV.match(clean["secret_env"]):
        errors.append(FieldError("secret_env", "field.env_name", prefix="KESU_WEBHOOK_",
                                 example="KESU_WEBHOOK_WECHAT_SECRET"))
    if errors:
        raise FieldErrors(errors)
    return clean


def source_save(
    *, source: WebhookSource | None, by: User | None, now: datetime, name: str, channel: str, secret_env: str,
    group: Group | None = None, enabled: bool = True,
) -> WebhookSource:
    """Create (``source=None``) or change a webhook source."""
    webhook_editor_check(by)
    clean = source_validate(name=name, channel=channel, secret_env=secret_env)
    with transaction.atomic():
        row = WebhookSource() if source is None else WebhookSource.objects.select_for_update().get(pk=source.pk)
        if WebhookSource.objects.filter(name=clean["name"]).exclude(pk=row.pk).exists():
            raise FieldError("name", "field.name_taken", name=clean["name"])
        for key, value in clean.items():
            setattr(row, key, value)
        row.group, row.enabled, row.updated_at, row.updated_by = group, enabled, now, by
        row.save()
    return row


# ---- authenticity -----------------------------------------------------------------------------


def webhook_verify(*, source_name: str, body: bytes, signature_header: str | None, timestamp_header: str | None,
                   now: datetime) -> WebhookSource:
    """The enabled source whose secret signed ``body``; raises WebhookRefused otherwise."""
    source = WebhookSource.objects.filter(name=source_name, enabled=True).select_related("group").first()
    secret = os.environ.get(source.secret_env, "") if source is not None else ""
    timestamp = (timestamp_header or "").strip()
    expected = signature(secret or _DUMMY_SECRET, timestamp, body)
    given = (signature_header or "").strip()
    matches = hmac.compare_digest(expected.encode(), given.encode())
    if source is None or not secret or not timestamp or not matches:
        raise WebhookRefused("webhook.refused.signature")
    try:
        sent = datetime.fromtimestamp(int(timestamp), tz=UTC)
    except (ValueError, OverflowError, OSError) as error:
        raise WebhookRefused("webhook.refused.timestamp") from error
    if abs(now - sent) > TOLERANCE:
        raise WebhookRefused("webhook.refused.clock", minutes=int(TOLERANCE.total_seconds() // 60))
    return source


# ---- the message ------------------------------------------------------------------------------


@dataclass(frozen=True)
class WebhookMessageIn:
    id: str
    handle_kind: str
    handle: str
    name: str
    text: str
    complaint_number: str
    thread_id: str
    sent_at: datetime | None
    attachments: tuple[str, ...]  # names of the attachments sent (not taken in)


def _text(body: dict, name: str, errors: list[FieldError], *, required: bool, limit: int, label: str = "") -> str:
    label = label or name
    value = body.get(name)
    if value is None or value == "":
        if required:
            errors.append(FieldError(label, "field.required"))
        return ""
    if isinstance(value, int) and not isinstance(value, bool) and name == "id":
        value = str(value)
    if not isinstance(value, str):
        errors.append(FieldError(label, "field.not_text", got=given(value)))
        return ""
    value = value.strip()
    problem = text_problem(value)  # NUL (PostgreSQL cannot store it) or a lone surrogate (UTF-8 cannot)
    if problem:
        errors.append(FieldError(label, problem[0], **problem[1]))
        return ""
    if required and not value:
        errors.append(FieldError(label, "field.required"))
    if len(value) > limit:
        errors.append(FieldError(label, "field.too_long", limit=limit, got=len(value)))
    return value


def _sent_at(value, errors: list[FieldError]) -> datetime | None:
    if value is None:
        return None
    try:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return datetime.fromtimestamp(value, tz=UTC)
        if isinstance(value, str):
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            if parsed.tzinfo is not None:
                return parsed.astimezone(UTC)
    except (ValueError, OverflowError, OSError):
        pass
    errors.append(FieldError("timestamp", "webhook.timestamp"))
    return None


def webhook_message_parse(body: bytes) -> WebhookMessageIn:
    """The message in a request body; raises FieldErrors naming every bad field."""
    try:
        data = json_read(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise FieldError("body", "webhook.not_json", reason=str(error)) from error
    if not isinstance(data, dict):
        raise FieldError("body", "field.not_object")
    errors: list[FieldError] = []
    message_id = _text(data, "id", errors, required=True, limit=MAX_ID)
    text = _text(data, "text", errors, required=True, limit=MAX_CONTENT)
    number = _text(data, "complaint_number", errors, required=False, limit=20).upper()
    thread_id = _text(data, "thread_id", errors, required=False, limit=MAX_ID)
    sent_at = _sent_at(data.get("timestamp"), errors)
    customer = data.get("customer")
    handle_kind = handle = name = ""
    if not isinstance(customer, dict):
        errors.append(FieldError("customer", "webhook.customer_shape"))
    else:
        handle_kind = _text(customer, "handle_kind", errors, required=True, limit=16, label="customer.handle_kind")
        if handle_kind and handle_kind not in HANDLE_KINDS:
            errors.append(FieldError("customer.handle_kind", "field.choice", choices=list(HANDLE_KINDS),
                                     got=given(handle_kind)))
        handle = _text(customer, "handle", errors, required=True, limit=254, label="customer.handle")
        name = _text(customer, "name", errors, required=False, limit=128, label="customer.name")
    attachments = data.get("attachments") or []
    if not isinstance(attachments, list):
        errors.append(FieldError("attachments", "field.not_list", got=given(attachments)))
        attachments = []
    names = tuple(str(a.get("name") or "attachment").replace("\x00", "")[:200] if isinstance(a, dict) else "attachment"
                  for a in attachments)
    if errors:
        raise FieldErrors(errors)
    return WebhookMessageIn(id=message_id, handle_kind=handle_kind, handle=handle, name=name, text=text,
                            complaint_number=number, thread_id=thread_id, sent_at=sent_at, attachments=names)


def _handles(message: WebhookMessageIn) -> CustomerHandles:
    field = {"phone": "phone", "email": "email", "external": "external_id"}[message.handle_kind]
    return CustomerHandles(name=message.name, **{field: message.handle})


def _handle_value(message: WebhookMessageIn) -> str:
    try:
        return identity_normalise(HANDLE_KINDS[message.handle_kind], message.handle)
    except FieldError as error:
        raise FieldError("customer.handle", error.code, **error.params) from error


# ---- taking it in -----------------------------------------------------------------------------


@dataclass(frozen=True)
class WebhookTakenIn:
    record: WebhookMessage
    complaint: Complaint
    event: ComplaintEvent


def _target(source: WebhookSource, message: WebhookMessageIn, handle: str) -> tuple[Complaint | None, str]:
    if message.complaint_number:
        complaint = Complaint.objects.filter(number=message.complaint_number).first()
        if complaint is None:
            raise FieldError("complaint_number", "complaint.not_found", value=message.complaint_number)
        # a number is no proof: only the complaint's own customer lands on it; anyone else's message
        # is a new complaint of theirs
        if CustomerIdentity.objects.filter(
            customer_id=complaint.customer_id, kind=HANDLE_KINDS[message.handle_kind], value=handle
        ).exists():
            return complaint_primary(complaint), "complaint_number"
    if message.thread_id:
        earlier = WebhookMessage.objects.filter(source=source, thread_id=message.thread_id) \
            .order_by("-received_at", "-id").select_related("complaint").first()
        if earlier is not None:
            return complaint_primary(earlier.complaint), "thread_id"
    return None, "new"


def webhook_message_take_in(*, source: WebhookSource, message: WebhookMessageIn, now: datetime) -> WebhookTakenIn:
    """Take in one authentic message (one transaction). Raises Conflict for an id taken in before,
    FieldError for a message that cannot be taken in: then nothing at all is written."""
    if WebhookMessage.objects.filter(source=source, message_id=message.id).exists():
        raise Conflict("webhook.duplicate", id=message.id, source=source.name)
    handle = _handle_value(message)
    try:
        with transaction.atomic():
            complaint, threaded_by = _target(source, message, handle)
            if complaint is None:
                draft = ComplaintDraft(
                    channel=source.channel, content=message.text, customer=_handles(message),
                    group=source.group.code if source.group_id else "",
                )
                complaint = complaint_create(draft=draft, by=None, now=now)
                outcome = WebhookOutcome.CREATED
            else:
                complaint = complaint_lock(complaint, "assignee", "last_handler", "group")
                outcome = WebhookOutcome.REPLIED
            # the id is claimed in the same transaction: a concurrent replay waits here, then fails
            record = WebhookMessage.objects.create(
                source=source, message_id=message.id, thread_id=message.thread_id, received_at=now,
                complaint=complaint, outcome=outcome,
            )
            event = _message_event(complaint, source, message, record, handle, threaded_by, now)
            if outcome == WebhookOutcome.REPLIED:
                complaint = customer_message_landed(
                    complaint=complaint, text=message.text, key=f"customer_message:webhook:{record.pk}",
                    resume_note=f"the customer replied on {source.channel} ({source.name})", now=now,
                )
    except IntegrityError as error:
        if WebhookMessage.objects.filter(source=source, message_id=message.id).exists():
            raise Conflict("webhook.duplicate", id=message.id, source=source.name) from error
        raise
    except FieldError as error:  # the handle checks of the intake name the draft's fields
        raise FieldErrors([FieldError(_field_name(e.field), e.code, **e.params) for e in error.field_errors]) from error
    return WebhookTakenIn(record=record, complaint=complaint, event=event)


def _field_name(field: str) -> str:
    return "customer.handle" if field in ("phone", "email", "external_id", "customer") else field


def _message_event(complaint: Complaint, source: WebhookSource, message: WebhookMessageIn, record: WebhookMessage,
                   handle: str, threaded_by: str, now: datetime) -> ComplaintEvent:
    known = CustomerIdentity.objects.filter(
        customer_id=complaint.customer_id, kind=HANDLE_KINDS[message.handle_kind], value=handle
    ).exists()
    refused = [{"name": name, "reason": Message("webhook.no_attachments").as_data()} for name in message.attachments]
    return event_record(
        complaint, EventKind.CUSTOMER_MESSAGE, now=now,
        data={
            "channel": source.channel, "source": source.name, "webhook_message_id": record.pk,
            "message_id": message.id, "thread_id": message.thread_id, "handle_kind": message.handle_kind,
            "from": handle, "from_name": message.name, "text": message.text, "threaded_by": threaded_by,
            "known_sender": known, "sent_at": message.sent_at.isoformat() if message.sent_at else None,
            "attachments": [], "refused": refused,
        },
    )


def webhook_receive(*, source_name: str, body: bytes, signature_header: str | None, timestamp_header: str | None,
                    now: datetime) -> WebhookTakenIn:
    """The whole inbound path: verify (WebhookRefused), parse (FieldErrors), take in (Conflict)."""
    source = webhook_verify(source_name=source_name, body=body, signature_header=signature_header,
                            timestamp_header=timestamp_header, now=now)
    message = webhook_message_parse(body)
    return webhook_message_take_in(source=source, message=message, now=now)
