"""Replies to customers: recorded as a ``reply_sent`` event and an ``OutboundMessage`` in one
transaction; the SMTP send is a job enqueued after the commit, retried with back-off; the minute
sweep sends what a lost job left."""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F

from kesu.channels.models import (
    InboundMessage,
    OutboundChannel,
    OutboundMessage,
    OutboundState,
    Outcome,
)
from kesu.channels.outbound import (
    SendFailed,
    email_build,
    email_deliver,
    message_id_new,
    references_for,
    reply_subject,
)
from kesu.complaints.models import Channel, Complaint, ComplaintEvent, EventKind
from kesu.complaints.records import complaint_lock, event_record
from kesu.core.bulk import rows_claim, rows_update
from kesu.core.errors import (
    FieldError,
    InvalidTransition,
    permission_require,
)
from kesu.core.messages import Message
from kesu.core.models import User
from kesu.core.retry import MAX_ATTEMPTS, backoff
from kesu.core.roles import Permission
from kesu.customers.models import CustomerIdentity, IdentityKind
from kesu.notifications.actions import notify, sms_configured
from kesu.notifications.transports import ChannelDown, sms_send
from kesu.notifications.transports import SendFailed as GatewayFailed
from kesu.sla.actions import sla_refresh

logger = logging.getLogger(__name__)

SEND_LEASE = timedelta(minutes=5)
MAX_SEND_ATTEMPTS = MAX_ATTEMPTS
SEND_SWEEP_CHUNK = 200
MAX_REPLY = 20_000
# an SMS reply is at most this many characters: one POST to the gateway, which splits it into
# concatenated segments (about 8 of 67 Chinese or 153 Latin characters); a handler's longer reply on
# an SMS complaint is refused (422), kesu's own texts (an incident's announcement) are cut to fit
SMS_LIMIT = 500
ELLIPSIS = "…"


# ---- replies ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    event: ComplaintEvent
    outbound: OutboundMessage | None  # None: the channel is not one kesu sends on
    note: str = ""  # why it was not sent
    portal: bool = False  # shown on the customer's tracking page (a web-form complaint)
    unsent: Message | None = None  # why an SMS was not sent (no gateway, no phone number)


def _reply_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise FieldError("text", "field.required")
    if len(text) > MAX_REPLY:
        raise FieldError("text", "field.too_long", limit=MAX_REPLY, got=len(text))
    return text


def sms_fit(text: str, limit: int = SMS_LIMIT) -> str:
    """``text`` cut to ``limit`` characters (the last one an ellipsis) when it is longer."""
    text = (text or "").strip()
    return text if len(text) <= limit else text[:limit - len(ELLIPSIS)].rstrip() + ELLIPSIS


def _sms_unsent(number: str, phone: str) -> Message | None:
    """Why an SMS reply cannot be sent (None: it can): no gateway configured, or no phone number."""
    if not sms_configured():
        return Message("reply.sms_unconfigured")
    if not phone:
        return Message("reply.no_phone", number=number)
    return None


def _sms_outbound(current: Complaint, *, to: str, text: str, now: datetime, by: User | None) -> OutboundMessage:
    return OutboundMessage(
        complaint=current, channel=OutboundChannel.SMS, from_address="", to=to, subject="", body=text,
        message_id=message_id_new(settings.DEFAULT_FROM_EMAIL, number=current.number),
        next_attempt_at=now, created_at=now, created_by=by,
    )


def _customer_phone(complaint: Complaint) -> str:
    """The customer's phone number an SMS reply goes to (the first one kesu knows of them)."""
    identity = CustomerIdentity.objects.filter(customer_id=complaint.customer_id, kind=IdentityKind.PHONE) \
        .order_by("id").first()
    return identity.value if identity else ""


def _customer_address(complaint: Complaint, last: InboundMessage | None) -> str:
    if last is not None and last.from_address:
        return last.from_address
    identity = CustomerIdentity.objects.filter(customer_id=complaint.customer_id, kind=IdentityKind.EMAIL) \
        .order_by("id").first()
    return identity.value if identity else ""


def inbound_last(complaint: Complaint) -> InboundMessage | None:
    """The customer's latest message on the complaint (what a reply answers): from one of the
    customer's own addresses only, so that a stranger writing on the thread never receives the reply."""
    known = CustomerIdentity.objects.filter(customer_id=complaint.customer_id, kind=IdentityKind.EMAIL) \
        .values("value")
    return (
        InboundMessage.objects.filter(complaint=complaint, outcome__in=(Outcome.CREATED, Outcome.REPLIED),
                                      from_address__in=known)
        .select_related("mailbox").order_by("-received_at", "-id").first()
    )


def complaint_reply_send(*, complaint: Complaint, by: User | None, text: str, now: datetime,
                         survey=None) -> Reply:
    """Reply to the customer on the complaint's channel.

    E-mail: a ``reply_sent`` event and an ``OutboundMessage`` answering the customer's latest
    message (In-Reply-To / References, ``Re: [KS-…] subject``), sent by a job after the commit.
    Web form (portal): the reply is shown on the customer's tracking page (``portal: true``) and, when
    the customer gave an e-mail address, sent there too as above.
    SMS: an ``OutboundMessage`` to the customer's phone number, sent through the SMS gateway
    (``KESU_SMS_WEBHOOK_URL``) by the same job and sweep; a text longer than ``SMS_LIMIT`` is refused.
    With no gateway configured or no phone number known, the reply is recorded ``sent: false`` with
    the reason (``unsent``) the handler sees on the timeline.
    Other channels: kesu cannot send there; the reply is recorded (``sent: false``) for the handler
    to pass on by phone, chat …, and the result says so.

    ``survey``: the text is that survey's invitation or reminder; its link placeholder is replaced by
    the real link only in the e-mail sent (the event and the stored message keep the placeholder).
    """
    if by is not None and not by.can(Permission.COMPLAINT_HANDLE):
        permission_require(by, Permission.COMPLAINT_HANDLE)
    text = _reply_text(text)
    with transaction.atomic():
        current = complaint_lock(complaint)
        if current.merged_into_id:
            primary = current.merged_into.number
            raise InvalidTransition(
                action="reply", current_status=current.status,
                code="transition.merged_reply", number=current.number, primary=primary,
            )
        data: dict = {"channel": current.channel, "text": text}
        outbound = None
        note = ""
        portal = current.channel == Channel.WEB
        if portal:
            data["portal"] = True
        if current.channel == Channel.EMAIL or (portal and _customer_address(current, None)):
            last = inbound_last(current)
            to = _customer_address(current, last)
            if not to:
                raise FieldError("to", "reply.no_email", number=current.number)
            mailbox = last.mailbox if last is not None else None
            sender = (mailbox.address if mailbox is not None else "") or settings.DEFAULT_FROM_EMAIL
            outbound = OutboundMessage(
                complaint=current, mailbox=mailbox, from_address=sender, to=to,
                subject=reply_subject(current.number, last.subject if last is not None else current.subject)[:500],
                body=text, message_id=message_id_new(sender, number=current.number),
                in_reply_to=last.message_id if last is not None else "",
                references=references_for(last.references, last.message_id) if last is not None else [],
                next_attempt_at=now, created_at=now, created_by=by, survey=survey,
            )
            outbound.save()
            data.update(sent=True, to=to, subject=outbound.subject, message_id=outbound.message_id,
                        outbound_id=outbound.pk)
        elif portal:
            data.update(sent=False)
        elif current.channel == Channel.SMS:
            if len(text) > SMS_LIMIT:
                raise FieldError("text", "reply.sms_too_long", limit=SMS_LIMIT, got=len(text))
            to = _customer_phone(current)
            unsent = _sms_unsent(current.number, to)
            if unsent is None:
                outbound = _sms_outbound(current, to=to, text=text, now=now, by=by)
                outbound.save()
                data.update(sent=True, to=to, outbound_id=outbound.pk)
            else:
                note = str(unsent)
                data.update(sent=False, unsent=unsent.as_data())
        else:
            note = (f"replies on the {current.channel} channel are not sent by kesu: the reply is recorded; "
                    f"pass it on to the customer on that channel")
            data.update(sent=False, note=note)
        current.updated_at = now
        current.save(update_fields=["updated_at"])
        event = event_record(current, EventKind.REPLY_SENT, now=now, by=by, data=data)
        sla_refresh(current, now=now)
        if outbound is not None:
            outbound_id = outbound.pk
            transaction.on_commit(lambda: _enqueue(outbound_id))
    unsent = Message.from_data(data["unsent"]) if "unsent" in data else None
    return Reply(event=event, outbound=outbound, note=note, portal=portal, unsent=unsent)


@dataclass
class ReplyDraft:
    """A reply prepared for a batch writer (``replies_prepare``): the unsaved ``reply_sent`` event and,
    for an e-mail, the unsaved outbound message; ``replies_outbound_write`` saves the messages."""

    event: ComplaintEvent
    outbound: OutboundMessage | None


def replies_prepare(complaints: list[Complaint], *, text_of, now: datetime, by: User | None = None,
                    surveys: dict | None = None) -> list[ReplyDraft]:
    """The replies to many complaints (locked by the caller) as ``complaint_reply_send`` would write
    them one by one — threaded e-mail, the portal's tracking page, an SMS through the gateway (its
    text cut to ``SMS_LIMIT``), recorded for the other channels — with the addresses, phone numbers
    and the last inbound messages read in three queries. Nothing is saved; a complaint
    whose e-mail has no address to write to gets no draft (``None`` in its place). ``text_of``: the
    text, or a function of the complaint giving it; ``surveys``: complaint id → the survey invited."""
    surveys = surveys or {}
    phones: dict[int, str] = {}
    for customer_id, value in CustomerIdentity.objects.filter(
            customer_id__in={c.customer_id for c in complaints if c.channel == Channel.SMS},
            kind=IdentityKind.PHONE).order_by("-id").values_list("customer_id", "value"):
        phones[customer_id] = value  # the first one, as ``_customer_phone``
    mailing = [c for c in complaints if c.channel in (Channel.EMAIL, Channel.WEB)]
    known: dict[int, list[str]] = {}
    for customer_id, value in CustomerIdentity.objects.filter(
            customer_id__in={c.customer_id for c in mailing}, kind=IdentityKind.EMAIL).order_by("id") \
            .values_list("customer_id", "value"):
        known.setdefault(customer_id, []).append(value)
    lasts: dict[int, InboundMessage] = {}
    email_ids = [c.pk for c in mailing if known.get(c.customer_id)]
    if email_ids:
        by_id = {c.pk: c for c in mailing}
        for message in InboundMessage.objects.filter(
                complaint_id__in=email_ids, outcome__in=(Outcome.CREATED, Outcome.REPLIED)) \
                .select_related("mailbox").order_by("complaint_id", "-received_at", "-id"):
            complaint = by_id[message.complaint_id]
            if message.complaint_id not in lasts and message.from_address in known.get(complaint.customer_id, ()):
                lasts[message.complaint_id] = message
    drafts: list[ReplyDraft | None] = []
    for current in complaints:
        text = _reply_text(text_of(current) if callable(text_of) else text_of)
        data: dict = {"channel": current.channel, "text": text}
        outbound = None
        portal = current.channel == Channel.WEB
        if portal:
            data["portal"] = True
        last = lasts.get(current.pk)
        to = (last.from_address if last is not None and last.from_address else
              (known.get(current.customer_id) or [""])[0])
        if current.channel == Channel.EMAIL or (portal and to):
            if not to:
                drafts.append(None)
                continue
            mailbox = last.mailbox if last is not None else None
            sender = (mailbox.address if mailbox is not None else "") or settings.DEFAULT_FROM_EMAIL
            outbound = OutboundMessage(
                complaint=current, mailbox=mailbox, from_address=sender, to=to,
                subject=reply_subject(current.number, last.subject if last is not None else current.subject)[:500],
                body=text, message_id=message_id_new(sender, number=current.number),
                in_reply_to=last.message_id if last is not None else "",
                references=references_for(last.references, last.message_id) if last is not None else [],
                next_attempt_at=now, created_at=now, created_by=by, survey=surveys.get(current.pk),
            )
            data.update(sent=True, to=to, subject=outbound.subject, message_id=outbound.message_id)
        elif portal:
            data.update(sent=False)
        elif current.channel == Channel.SMS:
            text = sms_fit(text)
            data["text"] = text
            phone = phones.get(current.customer_id, "")
            unsent = _sms_unsent(current.number, phone)
            if unsent is None:
                outbound = _sms_outbound(current, to=phone, text=text, now=now, by=by)
                data.update(sent=True, to=phone)
            else:
                data.update(sent=False, unsent=unsent.as_data())
        else:
            data.update(sent=False, note=f"replies on the {current.channel} channel are not sent by kesu: the reply "
                                         f"is recorded; pass it on to the customer on that channel")
        current.updated_at = now
        drafts.append(ReplyDraft(
            event=ComplaintEvent(complaint=current, kind=EventKind.REPLY_SENT, actor=by, at=now,
                                 from_status=current.status, to_status=current.status, data=data),
            outbound=outbound,
        ))
    return drafts


def replies_outbound_write(drafts: list[ReplyDraft | None]) -> None:
    """Save the e-mails and SMS of ``drafts`` in one INSERT (their ids go into the events' data, which the
    caller then saves) and enqueue their sends after the commit."""
    outbounds = [d.outbound for d in drafts if d is not None and d.outbound is not None]
    if not outbounds:
        return
    if connection.features.can_return_rows_from_bulk_insert:
        OutboundMessage.objects.bulk_create(outbounds)
    else:  # pragma: no cover — every supported database returns the ids
        for outbound in outbounds:
            outbound.save()
    for draft in drafts:
        if draft is not None and draft.outbound is not None:
            draft.event.data["outbound_id"] = draft.outbound.pk
    ids = [o.pk for o in outbounds]
    transaction.on_commit(lambda: [_enqueue(i) for i in ids])


def _enqueue(outbound_id: int) -> None:
    """Hand the send to the job queue. A job lost here is sent by the minute sweep."""
    from kesu.channels.tasks import outbound_send

    try:
        outbound_send(outbound_id)
    except Exception:
        logger.exception("could not enqueue outbound message %s; the minute sweep will send it", outbound_id)



def outbound_attempt(*, outbound_id: int, now: datetime) -> str | None:
    """Claim a due outbound message and try to send it; return its state after the attempt (None:
    it was not due, done already, or another worker has it)."""
    claimed = OutboundMessage.objects.filter(
        pk=outbound_id, state=OutboundState.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + SEND_LEASE, attempts=F("attempts") + 1)
    if claimed != 1:
        return None
    outbound = _loaded().get(pk=outbound_id)
    state = _attempt(outbound, now).state
    OutboundMessage.objects.filter(pk=outbound.pk).update(**{name: getattr(outbound, name) for name in OUTCOME_FIELDS})
    return state


OUTCOME_FIELDS = ["state", "sent_at", "next_attempt_at", "last_error"]


def _loaded():
    return OutboundMessage.objects.select_related("complaint", "created_by", "survey")


def sms_payload(outbound: OutboundMessage, now: datetime) -> dict:
    """What the SMS gateway receives for a reply (``X-Kesu-Delivery: reply-<id>``: a gateway drops a
    repeated delivery id, as a mail client drops a repeated Message-ID)."""
    return {
        "to": outbound.to, "text": outbound.body, "kind": "reply", "complaint": outbound.complaint.number,
        "outbound_id": outbound.pk, "sent_at": now.isoformat(),
    }


def _deliver(outbound: OutboundMessage, now: datetime) -> None:
    if outbound.channel == OutboundChannel.SMS:
        sms_send(payload=sms_payload(outbound, now), delivery_id=f"reply-{outbound.pk}")
        return
    body = outbound.body
    if outbound.survey is not None:
        from kesu.surveys.actions import survey_text

        body = survey_text(outbound.survey, body)
    message = email_build(
        from_address=outbound.from_address, to=outbound.to, subject=outbound.subject, body=body,
        message_id=outbound.message_id, in_reply_to=outbound.in_reply_to, references=list(outbound.references),
    )
    email_deliver(message)


class Attempt(NamedTuple):
    state: str
    down: bool = False  # the SMS gateway could not be reached at all (not this message's fault)


def _attempt(outbound: OutboundMessage, now: datetime) -> Attempt:
    """Send a claimed message by e-mail or SMS; its outcome is set on it (``OUTCOME_FIELDS``) for the
    caller to write."""
    try:
        _deliver(outbound, now)
    except ChannelDown as error:
        return Attempt(_send_failed(outbound, str(error), now), down=True)
    except (SendFailed, GatewayFailed) as error:
        return Attempt(_send_failed(outbound, str(error), now))
    except Exception as error:  # a bug must not stop the sweep; keep it for the record
        logger.exception("outbound message %s failed unexpectedly", outbound.pk)
        return Attempt(_send_failed(outbound, f"{type(error).__name__}: {error}", now))
    outbound.state, outbound.sent_at, outbound.last_error = OutboundState.SENT, now, ""
    return Attempt(OutboundState.SENT)


def _send_failed(outbound: OutboundMessage, error: str, now: datetime) -> str:
    outbound.last_error = error
    if outbound.attempts >= MAX_SEND_ATTEMPTS:
        logger.warning("outbound message %s gave up after %s attempts: %s", outbound.pk, outbound.attempts, error)
        outbound.state = OutboundState.FAILED
        if outbound.created_by is not None:
            number = outbound.complaint.number
            notify(
                recipients=[outbound.created_by], kind="reply_failed",
                title=Message("notice.reply_failed", number=number),
                body=Message("notice.reply_failed_body_sms" if outbound.channel == OutboundChannel.SMS
                             else "notice.reply_failed_body", to=outbound.to, attempts=outbound.attempts,
                             error=error[:300]),
                key=f"reply_failed:{outbound.pk}", now=now, complaint=outbound.complaint,
            )
        return OutboundState.FAILED
    retry_at = now + backoff(outbound.attempts)
    logger.info("outbound message %s failed (attempt %s), next try at %s: %s", outbound.pk, outbound.attempts,
                retry_at, error)
    outbound.next_attempt_at = retry_at
    return OutboundState.PENDING


FLUSH_EVERY = 50  # outcomes written together


def outbound_send_due(*, now: datetime, limit: int = SEND_SWEEP_CHUNK) -> Counter:
    """Send the replies whose time has come (retries, and any whose job was lost), oldest first.
    Returns how many ended in each state (``deferred``: left for the next sweep).

    In one chunk (issue 16): claimed in one UPDATE (only the rows still due: another worker's are
    not taken), loaded in one query, outcomes written ``FLUSH_EVERY`` at a time; a worker that dies
    re-sends at most those after the lease (the customer's mail client drops a repeated Message-ID,
    the SMS gateway a repeated X-Kesu-Delivery). An SMS gateway that cannot be reached is tried once
    per sweep: the chunk's other SMS are given back as they were (their attempt not counted), so the
    e-mails still go and 1,000 SMS due cost one failed connection."""
    due = list(
        OutboundMessage.objects.filter(state=OutboundState.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk").values_list("pk", "channel", "next_attempt_at")[:limit]
    )
    counts: Counter = Counter()
    claimed = rows_claim(OutboundMessage, [pk for pk, _channel, _at in due], now=now, until=now + SEND_LEASE)
    loaded = {o.pk: o for o in _loaded().filter(pk__in=claimed)} if claimed else {}
    settled: list[OutboundMessage] = []
    released: list[OutboundMessage] = []
    down: set[str] = set()
    try:
        for outbound_id, channel, before in due:
            outbound = loaded.get(outbound_id)
            if outbound is None:
                continue
            if channel in down:
                counts["deferred"] += 1
                outbound.next_attempt_at, outbound.attempts = before, outbound.attempts - 1
                released.append(outbound)
                continue
            attempt = _attempt(outbound, now)
            counts[attempt.state] += 1
            if attempt.down:
                down.add(channel)
            settled.append(outbound)
            if len(settled) >= FLUSH_EVERY:
                _outcomes_write(settled)
                settled = []
    finally:
        _outcomes_write(settled)
        with transaction.atomic():
            rows_update(OutboundMessage, released, ["next_attempt_at", "attempts"])
    return counts


def _outcomes_write(messages: list[OutboundMessage]) -> None:
    with transaction.atomic():
        rows_update(OutboundMessage, messages, OUTCOME_FIELDS)
