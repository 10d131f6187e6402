"""The writers of the e-mail channel: mailboxes and the intake of fetched messages (the replies to
customers are in ``replies.py``).

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
from django.db.models import Q

from kesu.channels.imap import ImapAccount, MailboxUnavailable, imap_folder
from kesu.channels.mail import MailParseError, ParsedMessage, headers_peek, mail_parse
from kesu.channels.models import (
    TAKEN_IN,
    InboundMessage,
    Mailbox,
    OutboundMessage,
    Outcome,
    Security,
)
from kesu.complaints.actions import attachment_add
from kesu.complaints.attachments import attachment_check
from kesu.complaints.drafts import MAX_CONTENT, ComplaintDraft
from kesu.complaints.models import Channel, Complaint, ComplaintEvent, EventKind, Status
from kesu.core.errors import (
    FieldError,
    FieldErrors,
    raise_not_permitted,
)
from kesu.core.messages import Message, given
from kesu.core.models import Group, User
from kesu.core.roles import Role
from kesu.customers.actions import CustomerHandles
from kesu.customers.models import CustomerIdentity, IdentityKind
from kesu.notifications.actions import notify
from kesu.pipeline.intake import complaint_create
from kesu.pipeline.transitions import complaint_resume
from kesu.sla.actions import sla_refresh

logger = logging.getLogger(__name__)

POLL_BATCH = 200  # messages per mailbox per poll; the rest wait for the next minute
POLL_LEASE = timedelta(minutes=10)
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
