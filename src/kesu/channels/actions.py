"""The writers of the e-mail channel: mailboxes, intake of fetched messages, replies to customers.

Intake: each message fetched from a mailbox is recorded once (``InboundMessage``) and becomes a new
complaint, a message on an existing one (threaded by In-Reply-To / References, else by the
complaint number in the subject), an ignored automatic reply or duplicate, or a failed intake whose
raw bytes are kept with the reason. Replies: recorded as a ``reply_sent`` event and an
``OutboundMessage`` in one transaction; the SMTP send is a job enqueued after the commit, retried
with back-off.
"""

from __future__ import annotations

import logging
import os
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.db.models import F, Q

from kesu.channels.imap import ImapAccount, MailboxUnavailable, imap_folder
from kesu.channels.mail import MailParseError, ParsedMessage, headers_peek, mail_parse
from kesu.channels.models import (
    TAKEN_IN,
    InboundMessage,
    Mailbox,
    OutboundMessage,
    OutboundState,
    Outcome,
    Security,
)
from kesu.channels.outbound import (
    SendFailed,
    email_build,
    email_deliver,
    message_id_new,
    references_for,
    reply_subject,
)
from kesu.complaints.actions import attachment_add, complaint_create, complaint_resume
from kesu.complaints.attachments import attachment_check
from kesu.complaints.drafts import MAX_CONTENT, ComplaintDraft
from kesu.complaints.models import Channel, Complaint, ComplaintEvent, EventKind, Status
from kesu.core.errors import (
    FieldError,
    FieldErrors,
    InvalidTransition,
    permission_require,
    raise_not_permitted,
)
from kesu.core.messages import Message, given
from kesu.core.models import Group, User
from kesu.core.retry import MAX_ATTEMPTS, backoff
from kesu.core.roles import Permission, Role
from kesu.customers.actions import CustomerHandles
from kesu.customers.models import CustomerIdentity, IdentityKind
from kesu.notifications.actions import notify
from kesu.sla.actions import sla_refresh

logger = logging.getLogger(__name__)

POLL_BATCH = 200  # messages per mailbox per poll; the rest wait for the next minute
POLL_LEASE = timedelta(minutes=10)
SEND_LEASE = timedelta(minutes=5)
MAX_SEND_ATTEMPTS = MAX_ATTEMPTS
SEND_SWEEP_CHUNK = 200
MAX_REPLY = 20_000
PASSWORD_ENV = re.compile(r"^KESU_MAILBOX_[A-Z0-9_]{1,50}$")
LOOPBACK = ("127.0.0.1", "::1", "localhost")
MAILBOX_EDITORS = (Role.MANAGER, Role.ADMIN)
# where a mailbox connects and with which password: only administrators set these (a manager who
# could point a mailbox at their own server would receive its password)
MAILBOX_ADMIN_FIELDS = ("host", "port", "security", "username", "password_env", "ca_file")


# ---- mailboxes --------------------------------------------------------------------------------


def mailbox_editor_check(by: User | None) -> None:
    if by is not None and not (by.is_active and (by.is_superuser or by.role in MAILBOX_EDITORS)):
        raise_not_permitted(by, "permission.mailbox.configure")


def mailbox_connection_editor(by: User | None) -> bool:
    """Whether ``by`` may set where a mailbox connects and with which password (MAILBOX_ADMIN_FIELDS):
    administrators only (``None``: the system)."""
    return by is None or (by.is_active and (by.is_superuser or by.role == Role.ADMIN))


def _mailbox_admin_check(by: User | None, target: Mailbox | None, clean: dict) -> None:
    """Only administrators may set where a mailbox connects and with which password."""
    if mailbox_connection_editor(by):
        return
    for key in MAILBOX_ADMIN_FIELDS:
        if target is None or getattr(target, key) != clean[key]:
            raise_not_permitted(by, "permission.mailbox.secret", key=key)


def mailbox_validate(
    *,
    name: str,
    host: str,
    port: int,
    security: str,
    username: str,
    password_env: str,
    folder: str = "INBOX",
    ca_file: str = "",
    address: str = "",
    max_message_bytes: int | None = None,
) -> dict:
    """Check a mailbox's settings; return them cleaned. Raises FieldErrors naming every bad field."""
    errors: list[FieldError] = []
    clean = {
        "name": (name or "").strip(), "host": (host or "").strip(), "port": port, "security": security,
        "username": (username or "").strip(), "password_env": (password_env or "").strip(),
        "folder": (folder or "").strip() or "INBOX", "ca_file": (ca_file or "").strip(),
        "address": (address or "").strip().lower(),
    }
    if not re.fullmatch(r"[-a-zA-Z0-9_]{1,48}", clean["name"]):
        errors.append(FieldError("name", "field.name_format", limit=48))
    if not clean["host"]:
        errors.append(FieldError("host", "field.required"))
    if not isinstance(port, int) or not 1 <= port <= 65535:
        errors.append(FieldError("port", "field.out_of_range", low=1, high=65535, got=given(port)))
    if security not in Security.values:
        errors.append(FieldError("security", "field.choice", choices=list(Security.values), got=given(security)))
    elif security == Security.NONE and clean["host"] not in LOOPBACK:
        errors.append(FieldError("security", "mailbox.unencrypted"))
    if not clean["username"]:
        errors.append(FieldError("username", "field.required"))
    if not PASSWORD_ENV.match(clean["password_env"]):
        errors.append(FieldError(
            "password_env",
            "field.env_name", prefix="KESU_MAILBOX_", example="KESU_MAILBOX_SUPPORT_PASSWORD"))
    if clean["ca_file"] and not os.path.isfile(clean["ca_file"]):
        errors.append(FieldError("ca_file", "mailbox.ca_file", path=clean["ca_file"]))
    if clean["address"] and not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", clean["address"]):
        errors.append(FieldError("address", "customer.bad_email", value=address))
    if max_message_bytes is not None:
        if not 1024 <= max_message_bytes <= 200 * 1024 * 1024:
            errors.append(FieldError("max_message_bytes", "field.out_of_range", low=1024, high=209715200, got=max_message_bytes))
        clean["max_message_bytes"] = max_message_bytes
    if errors:
        raise FieldErrors(errors)
    return clean


def mailbox_save(
    *, mailbox: Mailbox | None, by: User | None, now: datetime, group: Group | None = None, enabled: bool = True,
    **fields,
) -> Mailbox:
    """Create (``mailbox=None``) or change a mailbox. Pointing it at another server, account or
    folder starts reading that folder from its beginning."""
    mailbox_editor_check(by)
    clean = mailbox_validate(**fields)
    with transaction.atomic():
        if mailbox is None or mailbox.pk is None:
            target = mailbox or Mailbox()
            _mailbox_admin_check(by, None, clean)
            if Mailbox.objects.filter(name=clean["name"]).exists():
                raise FieldError("name", "field.name_taken", name=clean["name"])
        else:
            target = Mailbox.objects.select_for_update().get(pk=mailbox.pk)
            _mailbox_admin_check(by, target, clean)
            if Mailbox.objects.filter(name=clean["name"]).exclude(pk=target.pk).exists():
                raise FieldError("name", "field.name_taken", name=clean["name"])
            where = ("host", "port", "username", "folder")
            if any(getattr(target, key) != clean[key] for key in where):
                target.uid_validity, target.last_uid = None, 0
        for key, value in clean.items():
            setattr(target, key, value)
        target.group, target.enabled = group, enabled
        target.updated_at, target.updated_by = now, by
        target.save()
    return target


def mailbox_password(mailbox: Mailbox, environ: Mapping[str, str] | None = None) -> str:
    """The password, read from the environment variable the mailbox names (never stored)."""
    environ = os.environ if environ is None else environ
    if not PASSWORD_ENV.match(mailbox.password_env or ""):
        raise MailboxUnavailable(f"password variable {mailbox.password_env!r} must start with KESU_MAILBOX_")
    password = environ.get(mailbox.password_env)
    if password is None:
        raise MailboxUnavailable(f"the environment variable {mailbox.password_env} (password of mailbox "
                                 f"{mailbox.name}) is not set")
    return password


# ---- polling ----------------------------------------------------------------------------------


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
                    inbound = _failed(
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


# ---- intake of one message --------------------------------------------------------------------


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


def _failed(mailbox: Mailbox, uid_validity: int, uid: int, now: datetime, *, reason: str, raw: bytes | None,
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
        return _failed(mailbox, uid_validity, uid, now, reason=str(error), raw=raw)
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
                return _failed(mailbox, uid_validity, uid, now, parsed=parsed, raw=raw,
                               reason="it could not be recorded: it conflicted with concurrent intakes three times")
        except Exception as error:  # the message matters more than the bug: keep it with the reason
            logger.exception("mailbox %s UID %s: intake failed", mailbox.name, uid)
            reason = "; ".join(f"{f}: {m}" for f, m in error.errors) if isinstance(error, FieldError) \
                else f"{type(error).__name__}: {error}"
            return _failed(mailbox, uid_validity, uid, now, parsed=parsed, raw=raw,
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
    return ComplaintEvent.objects.create(
        complaint=complaint, kind=EventKind.CUSTOMER_MESSAGE, actor=None, at=now,
        from_status=complaint.status, to_status=complaint.status,
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
    current = Complaint.objects.select_for_update(of=("self",)).select_related("assignee", "last_handler", "group") \
        .get(pk=complaint.pk)
    accepted, refused = _attachments_sort(parsed)
    inbound = _inbound(mailbox, uid_validity, uid, now, parsed, size=size, outcome=Outcome.REPLIED,
                       complaint=current, reason=_refused_reason(refused))
    inbound.save()
    _message_event(current, parsed, inbound, threaded_by=threaded_by, accepted=accepted, refused=refused, now=now)
    _attachments_add(current, accepted, now)
    customer_message_landed(complaint=current, text=parsed.text, key=f"customer_message:{inbound.pk}",
                            resume_note="the customer replied by e-mail", now=now)
    return inbound


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


# ---- replies ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    event: ComplaintEvent
    outbound: OutboundMessage | None  # None: the channel is not one kesu sends on
    note: str = ""  # why it was not sent
    portal: bool = False  # shown on the customer's tracking page (a web-form complaint)


def _reply_text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise FieldError("text", "field.required")
    if len(text) > MAX_REPLY:
        raise FieldError("text", "field.too_long", limit=MAX_REPLY, got=len(text))
    return text


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
    Other channels: kesu cannot send there; the reply is recorded (``sent: false``) for the handler
    to pass on by phone, chat …, and the result says so.

    ``survey``: the text is that survey's invitation or reminder; its link placeholder is replaced by
    the real link only in the e-mail sent (the event and the stored message keep the placeholder).
    """
    if by is not None and not by.can(Permission.COMPLAINT_HANDLE):
        permission_require(by, Permission.COMPLAINT_HANDLE)
    text = _reply_text(text)
    with transaction.atomic():
        current = Complaint.objects.select_for_update(of=("self",)).get(pk=complaint.pk)
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
        else:
            note = (f"replies on the {current.channel} channel are not sent by kesu: the reply is recorded; "
                    f"pass it on to the customer on that channel")
            data.update(sent=False, note=note)
        current.updated_at = now
        current.save(update_fields=["updated_at"])
        event = ComplaintEvent.objects.create(
            complaint=current, kind=EventKind.REPLY_SENT, actor=by, at=now,
            from_status=current.status, to_status=current.status, data=data,
        )
        sla_refresh(current, now=now)
        if outbound is not None:
            outbound_id = outbound.pk
            transaction.on_commit(lambda: _enqueue(outbound_id))
    return Reply(event=event, outbound=outbound, note=note, portal=portal)


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
    outbound = OutboundMessage.objects.select_related("complaint", "created_by", "survey").get(pk=outbound_id)
    body = outbound.body
    if outbound.survey is not None:
        from kesu.surveys.actions import survey_text

        body = survey_text(outbound.survey, body)
    message = email_build(
        from_address=outbound.from_address, to=outbound.to, subject=outbound.subject, body=body,
        message_id=outbound.message_id, in_reply_to=outbound.in_reply_to, references=list(outbound.references),
    )
    try:
        email_deliver(message)
    except SendFailed as error:
        return _send_failed(outbound, str(error), now)
    except Exception as error:  # a bug must not stop the sweep; keep it for the record
        logger.exception("outbound message %s failed unexpectedly", outbound.pk)
        return _send_failed(outbound, f"{type(error).__name__}: {error}", now)
    OutboundMessage.objects.filter(pk=outbound.pk).update(state=OutboundState.SENT, sent_at=now, last_error="")
    return OutboundState.SENT


def _send_failed(outbound: OutboundMessage, error: str, now: datetime) -> str:
    if outbound.attempts >= MAX_SEND_ATTEMPTS:
        logger.warning("outbound message %s gave up after %s attempts: %s", outbound.pk, outbound.attempts, error)
        OutboundMessage.objects.filter(pk=outbound.pk).update(state=OutboundState.FAILED, last_error=error)
        if outbound.created_by is not None:
            number = outbound.complaint.number
            notify(
                recipients=[outbound.created_by], kind="reply_failed",
                title=Message("notice.reply_failed", number=number),
                body=Message("notice.reply_failed_body", to=outbound.to, attempts=outbound.attempts,
                             error=error[:300]),
                key=f"reply_failed:{outbound.pk}", now=now, complaint=outbound.complaint,
            )
        return OutboundState.FAILED
    retry_at = now + backoff(outbound.attempts)
    logger.info("outbound message %s failed (attempt %s), next try at %s: %s", outbound.pk, outbound.attempts,
                retry_at, error)
    OutboundMessage.objects.filter(pk=outbound.pk).update(next_attempt_at=retry_at, last_error=error)
    return OutboundState.PENDING


def outbound_send_due(*, now: datetime, limit: int = SEND_SWEEP_CHUNK) -> Counter:
    """Send the replies whose time has come (retries, and any whose job was lost), oldest first.
    Returns how many ended in each state."""
    due = list(
        OutboundMessage.objects.filter(state=OutboundState.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk").values_list("pk", flat=True)[:limit]
    )
    counts: Counter = Counter()
    for outbound_id in due:
        state = outbound_attempt(outbound_id=outbound_id, now=now)
        if state is not None:
            counts[state] += 1
    return counts
