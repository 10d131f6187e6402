"""The intake of one fetched e-mail: recorded once (``InboundMessage``) and becomes a new complaint,
a message on an existing one (threaded by In-Reply-To / References, else by the complaint number in
the subject), an ignored automatic reply or duplicate, or a failed intake whose raw bytes are kept
with the reason."""

from __future__ import annotations

import logging
from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from kesu.channels.customer_wrote import customer_message_landed
from kesu.channels.mail import MailParseError, ParsedMessage, headers_peek, mail_parse
from kesu.channels.models import (
    TAKEN_IN,
    InboundMessage,
    Mailbox,
    OutboundMessage,
    Outcome,
)
from kesu.complaints.actions import attachment_add
from kesu.complaints.attachments import attachment_check
from kesu.complaints.drafts import MAX_CONTENT, ComplaintDraft
from kesu.complaints.models import Channel, Complaint, ComplaintEvent, EventKind
from kesu.complaints.records import complaint_lock, event_record
from kesu.core.errors import (
    FieldError,
)
from kesu.customers.actions import CustomerHandles
from kesu.customers.models import CustomerIdentity, IdentityKind
from kesu.pipeline.intake import complaint_create

logger = logging.getLogger(__name__)


def _uid_advance(mailbox: Mailbox, uid: int) -> None:
    Mailbox.objects.filter(pk=mailbox.pk, last_uid__lt=uid).update(last_uid=uid)
    mailbox.last_uid = max(mailbox.last_uid, uid)


def _inbound(mailbox: Mailbox, uid_validity: int, uid: int, now: datetime, parsed: ParsedMessage | None,
             **fields) -> InboundMessage:
    if parsed is not None:
        fields = {
            "message_id": parsed.message_id, "in_reply_to": parsed.in_reply_to,
            "references": list(parsed.references[-50:]), "from_address": parsed.from_address[:254],
            "from_name": parsed.from_name[:200], "subject": parsed.subject[:500], "sent_at": parsed.date,
            **fields,
        }
    return InboundMessage(mailbox=mailbox, uid_validity=uid_validity, uid=uid, received_at=now, **fields)


def intake_failed(mailbox: Mailbox, uid_validity: int, uid: int, now: datetime, *, reason: str, raw: bytes | None,
            parsed: ParsedMessage | None = None, size: int = 0) -> InboundMessage:
    """Record a message that could not be taken in, keeping its raw bytes in the data folder.

    If even its headers cannot be stored, it is recorded without them: a message that cannot be
    recorded at all would stop its mailbox at the same UID on every poll."""
    logger.warning("mailbox %s UID %s: failed intake: %s", mailbox.name, uid, reason)
    try:
        return _failed_record(mailbox, uid_validity, uid, now, reason=reason, raw=raw, parsed=parsed, size=size)
    except IntegrityError:
        raise
    except Exception as error:
        logger.exception("mailbox %s UID %s: the failed intake could not be stored whole", mailbox.name, uid)
        return _failed_record(mailbox, uid_validity, uid, now, raw=raw, parsed=None, size=size, bare=True,
                              reason=f"{reason} (its headers could not be stored: {type(error).__name__})")


def _failed_record(mailbox: Mailbox, uid_validity: int, uid: int, now: datetime, *, reason: str,
                   raw: bytes | None, parsed: ParsedMessage | None, size: int, bare: bool = False) -> InboundMessage:
    with transaction.atomic():
        existing = InboundMessage.objects.filter(mailbox=mailbox, uid_validity=uid_validity, uid=uid).first()
        if existing is not None:  # a concurrent poll recorded it
            return existing
        inbound = _inbound(
            mailbox, uid_validity, uid, now, parsed, outcome=Outcome.FAILED, reason=reason,
            size=size or (len(raw) if raw else 0),
        )
        if parsed is None and raw is not None and not bare:  # what can be read of it, for the failed list
            for name, value in headers_peek(raw).items():
                setattr(inbound, name, value)
        if raw is not None:
            inbound.raw.save(f"{uid_validity}-{uid}.eml", ContentFile(raw), save=False)
        inbound.save()
        _uid_advance(mailbox, uid)
    return inbound


def message_intake(*, mailbox: Mailbox, uid_validity: int, uid: int, raw: bytes, now: datetime) -> InboundMessage:
    """Take in one fetched message; return its record. Never raises for a bad message: what cannot
    be taken in is a failed intake with the reason and the raw message."""
    existing = InboundMessage.objects.filter(mailbox=mailbox, uid_validity=uid_validity, uid=uid).first()
    if existing is not None:  # taken in already (a poll that stopped before moving last_uid on)
        _uid_advance(mailbox, uid)
        return existing
    try:
        parsed = mail_parse(raw)
    except MailParseError as error:
        return intake_failed(mailbox, uid_validity, uid, now, reason=str(error), raw=raw)
    for attempt in range(3):
        try:
            with transaction.atomic():
                return _take_in(mailbox, uid_validity, uid, raw, parsed, now)
        except IntegrityError:
            # a concurrent poll took in this UID, or the same Message-ID from another mailbox: look again
            existing = InboundMessage.objects.filter(mailbox=mailbox, uid_validity=uid_validity, uid=uid).first()
            if existing is not None:
                return existing
            if attempt == 2:
                return intake_failed(mailbox, uid_validity, uid, now, parsed=parsed, raw=raw,
                               reason="it could not be recorded: it conflicted with concurrent intakes three times")
        except Exception as error:  # the message matters more than the bug: keep it with the reason
            logger.exception("mailbox %s UID %s: intake failed", mailbox.name, uid)
            reason = "; ".join(f"{f}: {m}" for f, m in error.errors) if isinstance(error, FieldError) \
                else f"{type(error).__name__}: {error}"
            return intake_failed(mailbox, uid_validity, uid, now, parsed=parsed, raw=raw,
                           reason=f"the complaint could not be written: {reason}")
    raise AssertionError("unreachable")


def _take_in(mailbox: Mailbox, uid_validity: int, uid: int, raw: bytes, parsed: ParsedMessage,
             now: datetime) -> InboundMessage:
    _uid_advance(mailbox, uid)
    size = len(raw)
    first = (
        InboundMessage.objects.filter(message_id=parsed.message_id, outcome__in=TAKEN_IN)
        .select_related("mailbox").first()
    )
    if first is not None:
        inbound = _inbound(
            mailbox, uid_validity, uid, now, parsed, size=size, outcome=Outcome.IGNORED_DUPLICATE,
            complaint_id=first.complaint_id,
            reason=f"the same Message-ID was taken in on {first.received_at:%Y-%m-%d %H:%M} UTC from mailbox "
                   f"{first.mailbox.name} (UID {first.uid}, {first.get_outcome_display()})",
        )
        inbound.save()
        return inbound
    complaint, threaded_by = _thread(parsed)
    if parsed.auto_reason:
        inbound = _inbound(mailbox, uid_validity, uid, now, parsed, size=size, outcome=Outcome.IGNORED_AUTO,
                           complaint=complaint, reason=f"automatic reply or bounce: {parsed.auto_reason}")
        inbound.save()
        return inbound
    if complaint is not None:
        return _reply_take_in(mailbox, uid_validity, uid, size, parsed, complaint, threaded_by, now)
    return _complaint_take_in(mailbox, uid_validity, uid, size, parsed, now)


def _thread(parsed: ParsedMessage) -> tuple[Complaint | None, str]:
    """The complaint this message answers: by the ids it refers to, else the number in its subject."""
    complaint_id, how = None, ""
    ids = parsed.thread_ids()
    if ids:
        found = dict(OutboundMessage.objects.filter(message_id__in=ids).values_list("message_id", "complaint_id"))
        for message_id, known in InboundMessage.objects.filter(
            message_id__in=ids, complaint__isnull=False
        ).values_list("message_id", "complaint_id"):
            found.setdefault(message_id, known)
        for message_id in ids:
            if message_id in found:
                complaint_id = found[message_id]
                how = "in_reply_to" if message_id == parsed.in_reply_to else "references"
                break
    complaint = Complaint.objects.filter(pk=complaint_id).first() if complaint_id else None
    if complaint is None and parsed.number:
        # a number in the subject proves nothing (anyone can write it): only the customer's own
        # address threads by it; anyone else's message is a new complaint of theirs
        complaint = Complaint.objects.filter(number=parsed.number.upper()).first()
        if complaint is not None and not customer_address_known(complaint, parsed.from_address):
            complaint = None
        how = "subject_number" if complaint else ""
    return complaint_primary(complaint), how


def customer_address_known(complaint: Complaint, address: str) -> bool:
    """Whether ``address`` is one of the e-mail identities of the complaint's customer."""
    return bool(address) and CustomerIdentity.objects.filter(
        customer_id=complaint.customer_id, kind=IdentityKind.EMAIL, value=address.strip().lower()
    ).exists()


def complaint_primary(complaint: Complaint | None) -> Complaint | None:
    """Where a customer's message on ``complaint`` belongs: a merged duplicate's conversation
    continues on its primary."""
    for _hop in range(5):
        if complaint is None or not complaint.merged_into_id:
            break
        complaint = complaint.merged_into
    return complaint


def _content(parsed: ParsedMessage) -> str:
    text = parsed.text.strip() or parsed.subject.strip() or "(no text in the e-mail)"
    return text if len(text) <= MAX_CONTENT else text[: MAX_CONTENT - 20] + "\n… (truncated)"


def _attachments_sort(parsed: ParsedMessage) -> tuple[list, list[dict]]:
    """Split the attachments into those kesu keeps and those it refuses (with the reason)."""
    accepted, refused = [], []
    for attachment in parsed.attachments:
        try:
            attachment_check(name=attachment.name, head=attachment.data[:16], size=len(attachment.data),
                             max_bytes=settings.KESU_MAX_ATTACHMENT_BYTES)
        except FieldError as error:
            refused.append({"name": attachment.name, "reason": error.message_obj.as_data()})
        else:
            accepted.append(attachment)
    return accepted, refused


def _message_event(complaint: Complaint, parsed: ParsedMessage, inbound: InboundMessage, *, threaded_by: str,
                   accepted: list, refused: list[dict], now: datetime) -> ComplaintEvent:
    known = CustomerIdentity.objects.filter(
        customer_id=complaint.customer_id, kind=IdentityKind.EMAIL, value=parsed.from_address
    ).exists()
    return event_record(
        complaint, EventKind.CUSTOMER_MESSAGE, now=now,
        data={
            "channel": Channel.EMAIL, "inbound_id": inbound.pk, "message_id": parsed.message_id,
            "from": parsed.from_address, "from_name": parsed.from_name, "subject": parsed.subject[:500],
            "text": _content(parsed), "threaded_by": threaded_by, "known_sender": known,
            "attachments": [a.name for a in accepted], "refused": refused,
        },
    )


def _attachments_add(complaint: Complaint, accepted: list, now: datetime) -> None:
    for attachment in accepted:
        upload = SimpleUploadedFile(attachment.name, attachment.data, content_type=attachment.content_type)
        attachment_add(complaint=complaint, upload=upload, by=None, now=now)


def _refused_reason(refused: list[dict]) -> str:
    return "; ".join(f"attachment {r['name']} refused: {r['reason']}" for r in refused)


def _complaint_take_in(mailbox: Mailbox, uid_validity: int, uid: int, size: int, parsed: ParsedMessage,
                       now: datetime) -> InboundMessage:
    draft = ComplaintDraft(
        channel=Channel.EMAIL,
        content=_content(parsed),
        subject=parsed.subject[:200],
        customer=CustomerHandles(name=parsed.from_name[:128], email=parsed.from_address),
        group=mailbox.group.code if mailbox.group_id else "",
    )
    complaint = complaint_create(draft=draft, by=None, now=now)
    accepted, refused = _attachments_sort(parsed)
    inbound = _inbound(mailbox, uid_validity, uid, now, parsed, size=size, outcome=Outcome.CREATED,
                       complaint=complaint, reason=_refused_reason(refused))
    inbound.save()
    _message_event(complaint, parsed, inbound, threaded_by="new", accepted=accepted, refused=refused, now=now)
    _attachments_add(complaint, accepted, now)
    return inbound


def _reply_take_in(mailbox: Mailbox, uid_validity: int, uid: int, size: int, parsed: ParsedMessage,
                   complaint: Complaint, threaded_by: str, now: datetime) -> InboundMessage:
    current = complaint_lock(complaint, "assignee", "last_handler", "group")
    accepted, refused = _attachments_sort(parsed)
    inbound = _inbound(mailbox, uid_validity, uid, now, parsed, size=size, outcome=Outcome.REPLIED,
                       complaint=current, reason=_refused_reason(refused))
    inbound.save()
    _message_event(current, parsed, inbound, threaded_by=threaded_by, accepted=accepted, refused=refused, now=now)
    _attachments_add(current, accepted, now)
    customer_message_landed(complaint=current, text=parsed.text, key=f"customer_message:{inbound.pk}",
                            resume_note="the customer replied by e-mail", now=now)
    return inbound
