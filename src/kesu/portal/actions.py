"""The writers of the customer portal: a complaint from the public form, private tracking links and
information a customer adds on their tracking page.

The portal has no login. Who may see a complaint is decided by a capability: the private tracking
link, an unguessable token of which only the SHA-256 digest is stored. The form is protected from
floods without a captcha by a per-address limit kept in the database (so it holds across web
processes, on SQLite and PostgreSQL alike).
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from kesu.channels.customer_wrote import customer_message_landed
from kesu.channels.intake import complaint_primary
from kesu.complaints.actions import attachment_add
from kesu.complaints.attachments import attachment_check
from kesu.complaints.drafts import ComplaintDraft
from kesu.complaints.models import Channel, Complaint, ComplaintEvent, EventKind
from kesu.complaints.records import complaint_lock, event_record
from kesu.core.errors import DomainError, FieldError, FieldErrors
from kesu.customers.actions import CustomerHandles
from kesu.pipeline.intake import complaint_create
from kesu.portal.models import PortalSender, PortalSubmission, TrackingLink

logger = logging.getLogger(__name__)

RATE_WINDOW = timedelta(hours=1)
MAX_MESSAGE = 20_000
MAX_NAME = 128
MAX_MESSAGES_PER_HOUR = 20  # per complaint: a leaked or scripted link cannot flood the handler


class RateLimited(DomainError):
    """Too many complaints from one network address (or messages on one complaint) within the
    window (HTTP 429)."""

    def __init__(self, *, limit: int, retry_after: timedelta, what: str = "complaints") -> None:
        minutes = max(1, int(retry_after.total_seconds() // 60) + (1 if retry_after.total_seconds() % 60 else 0))
        code = {"complaints": "portal.rate_limited", "lookups": "portal.rate_limited_lookups"}.get(
            what, "portal.rate_limited_messages")
        super().__init__(code, limit=limit, minutes=minutes)
        self.what = what
        self.limit = limit
        self.retry_after = retry_after
        self.minutes = minutes


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


def address_digest(address: str) -> str:
    """A keyed digest of a network address: enough to count, not enough to recover the address."""
    return hmac.new(settings.SECRET_KEY.encode(), (address or "").encode(), hashlib.sha256).hexdigest()


def client_address(*, remote_addr: str, forwarded_for: str, trusted_proxies) -> str:
    """The client's address for the rate limit. When the request came from a trusted proxy, the
    right-most X-Forwarded-For address that is not a trusted proxy (the left part can be written by
    the client); else REMOTE_ADDR."""
    trusted = set(trusted_proxies or ())
    if remote_addr not in trusted:
        return remote_addr
    for hop in reversed([part.strip() for part in (forwarded_for or "").split(",")]):
        if hop and hop not in trusted:
            return hop
    return remote_addr


def tracking_link_create(*, complaint: Complaint, now: datetime) -> str:
    """Create a private tracking link to ``complaint``; return the raw token (stored only as a digest).

    Any channel may call it to give the customer a link; each call makes a new, independent link.
    """
    raw = secrets.token_urlsafe(32)
    TrackingLink.objects.create(complaint=complaint, digest=token_digest(raw), created_at=now)
    return raw


def tracking_link_seen(*, link: TrackingLink, now: datetime) -> None:
    """Record when the customer last opened the link."""
    TrackingLink.objects.filter(pk=link.pk).update(last_seen_at=now)
    link.last_seen_at = now


@dataclass(frozen=True)
class PortalComplaint:
    """What the public form hands in (plain strings, as typed)."""

    content: str
    name: str = ""
    phone: str = ""
    email: str = ""
    category: str = ""
    order_number: str = ""
    province: str = ""
    city: str = ""
    district: str = ""


MAX_REGION_PART = 20


def portal_region(*, province: str = "", city: str = "", district: str = "") -> str:
    """The complaint's region from the form's three parts, written as the incidents' scope tree writes it
    (``广东省`` + ``深圳市`` + ``南山区`` → ``广东省深圳市南山区``; a municipality has no city part:
    ``北京市`` + ``朝阳区``). A city or district without its province is refused (it would match no scope)."""
    parts = {"province": (province or "").strip(), "city": (city or "").strip(), "district": (district or "").strip()}
    errors = [FieldError(name, "field.too_long", limit=MAX_REGION_PART, got=len(value))
              for name, value in parts.items() if len(value) > MAX_REGION_PART]
    if not parts["province"] and (parts["city"] or parts["district"]):
        errors.append(FieldError("province", "portal.region_province"))
    if errors:
        raise FieldErrors(errors)
    if parts["city"] == parts["province"]:  # a municipality named twice: 北京市 / 北京市 / 朝阳区
        parts["city"] = ""
    return "".join(parts.values())


@dataclass(frozen=True)
class Submitted:
    complaint: Complaint
    token: str


def _upload_check(upload: UploadedFile | None) -> None:
    if upload is None:
        return
    head = upload.read(16)
    upload.seek(0)
    attachment_check(name=upload.name or "", head=head, size=upload.size or 0,
                     max_bytes=settings.KESU_MAX_ATTACHMENT_BYTES)


def _own_checks(form: PortalComplaint, upload: UploadedFile | None) -> list[FieldError]:
    """What the portal asks beyond any intake: a way to reach the customer, a name of sane length, a
    file kesu accepts."""
    errors: list[FieldError] = []
    if not form.phone.strip() and not form.email.strip():
        errors.append(FieldError("phone", "portal.no_contact"))
    if len(form.name.strip()) > MAX_NAME:
        errors.append(FieldError("name", "field.too_long", limit=MAX_NAME, got=len(form.name.strip())))
    try:
        _upload_check(upload)
    except FieldError as error:
        errors.append(error)
    return errors


def _rate_check(digest: str, now: datetime) -> None:
    """Refuse when the address sent its limit within the window. Runs inside the intake's
    transaction and locks the address's row first, so concurrent requests from one address queue
    and count each other (the count is a new statement: it sees what the one before committed)."""
    limit = settings.KESU_PORTAL_MAX_PER_HOUR
    since = now - RATE_WINDOW
    PortalSender.objects.get_or_create(address_digest=digest, defaults={"last_at": now})
    PortalSender.objects.filter(address_digest=digest).update(last_at=now)  # holds the row lock until commit
    recent = list(
        PortalSubmission.objects.filter(address_digest=digest, at__gt=since)
        .order_by("at").values_list("at", flat=True)
    )
    if len(recent) >= limit:
        raise RateLimited(limit=limit, retry_after=recent[len(recent) - limit] + RATE_WINDOW - now)


def portal_complaint_submit(
    *, form: PortalComplaint, upload: UploadedFile | None, address: str, now: datetime
) -> Submitted:
    """Record a complaint from the public form (channel ``web``) with its optional file, and give the
    customer a private tracking link.

    All or nothing: a bad field (every one is named at once), a refused file or the address's hourly
    limit leaves no complaint, no customer, no file and no number used.
    """
    draft = ComplaintDraft(
        channel=Channel.WEB,
        content=form.content,
        customer=CustomerHandles(name=form.name.strip()[:MAX_NAME], phone=form.phone.strip(),
                                 email=form.email.strip()),
        category=form.category.strip(),
        order_number=form.order_number,
    )
    digest = address_digest(address)
    PortalSubmission.objects.filter(at__lte=now - RATE_WINDOW).delete()
    PortalSender.objects.filter(last_at__lte=now - RATE_WINDOW).delete()
    errors = _own_checks(form, upload)
    try:
        draft = replace(draft, region=portal_region(province=form.province, city=form.city, district=form.district))
    except FieldError as error:
        errors += error.field_errors
    with transaction.atomic():
        _rate_check(digest, now)
        try:
            with transaction.atomic():
                complaint = complaint_create(draft=draft, by=None, now=now)
                if errors:
                    raise FieldErrors(errors)
        except FieldError as error:
            # the intake's own checks and the portal's, together; the savepoint undid the complaint
            named = {(e.field, e.message) for e in errors}
            more = [
                e for e in error.field_errors
                if (e.field, e.message) not in named and e.field != "customer"  # the portal asks for phone or e-mail
            ]
            raise FieldErrors(errors + more) from None
        if upload is not None:
            attachment_add(complaint=complaint, upload=upload, by=None, now=now)
        PortalSubmission.objects.create(address_digest=digest, at=now, complaint=complaint)
        token = tracking_link_create(complaint=complaint, now=now)
    return Submitted(complaint=complaint, token=token)


def _text(text: str) -> str:
    text = (text or "").strip()
    if not text:
        raise FieldError("text", "field.required")
    if len(text) > MAX_MESSAGE:
        raise FieldError("text", "field.too_long", limit=MAX_MESSAGE, got=len(text))
    return text


def portal_message_add(
    *, complaint: Complaint, text: str, upload: UploadedFile | None, now: datetime
) -> ComplaintEvent:
    """The customer adds information on their tracking page: a ``customer_message`` event (and the
    file). A complaint waiting for the customer is resumed, which restarts its paused SLA clocks; the
    handler (else the one who resolved it, else the group's lead) is told."""
    errors: list[FieldError] = []
    try:
        text = _text(text)
    except FieldError as error:
        errors.append(error)
    try:
        _upload_check(upload)
    except FieldError as error:
        errors.append(error)
    if errors:
        raise FieldErrors(errors)
    with transaction.atomic():
        # a merged duplicate's conversation continues on its primary, as on e-mail and webhooks
        target = complaint_primary(Complaint.objects.get(pk=complaint.pk))
        current = (
            complaint_lock(target, "assignee", "last_handler", "group__lead")
        )
        recent = list(
            ComplaintEvent.objects.filter(complaint=current, kind=EventKind.CUSTOMER_MESSAGE, at__gt=now - RATE_WINDOW)
            .order_by("at").values_list("at", flat=True)
        )
        if len(recent) >= MAX_MESSAGES_PER_HOUR:
            raise RateLimited(limit=MAX_MESSAGES_PER_HOUR, what="messages",
                              retry_after=recent[len(recent) - MAX_MESSAGES_PER_HOUR] + RATE_WINDOW - now)
        event = event_record(
            current, EventKind.CUSTOMER_MESSAGE, now=now,
            data={"channel": Channel.WEB, "via": "portal", "text": text,
                  "attachments": [upload.name] if upload is not None else []},
        )
        if upload is not None:
            attachment_add(complaint=current, upload=upload, by=None, now=now)
        customer_message_landed(
            complaint=current, text=text, key=f"customer_message:portal:{event.pk}",
            resume_note="the customer added information on the portal", now=now,
        )
    return event



MAX_VERDICT = 2_000


def portal_resolution_answer(*, complaint: Complaint, solved: bool, text: str = "", now: datetime) -> Complaint:
    """The customer accepts the resolution, or says the problem is not solved, on their tracking page,
    before the complaint closes: a ``customer_verdict`` event, once per resolution. "Not solved"
    reopens the complaint to the handler who resolved it (counted in ``reopen_count``), who is told."""
    from kesu.complaints.models import Status
    from kesu.core.errors import Conflict
    from kesu.core.messages import Message
    from kesu.notifications.actions import notify
    from kesu.pipeline.transitions import complaint_reopen

    text = (text or "").strip()
    if len(text) > MAX_VERDICT:
        raise FieldError("text", "field.too_long", limit=MAX_VERDICT, got=len(text))
    with transaction.atomic():
        current = complaint_lock(complaint, "last_handler")
        if current.status != Status.RESOLVED:
            raise Conflict("portal.verdict_not_resolved", status=current.status)
        if ComplaintEvent.objects.filter(
            complaint=current, kind=EventKind.CUSTOMER_VERDICT, data__cycle=current.reopen_count
        ).exists():
            raise Conflict("portal.verdict_given")
        event_record(
            current, EventKind.CUSTOMER_VERDICT, now=now,
            data={"solved": bool(solved), "text": text, "cycle": current.reopen_count, "via": "portal"},
        )
        if solved:
            return current
        reason = "customer on the portal: not solved" + (f"; {text[:300]}" if text else "")
        reopened = complaint_reopen(complaint=current, by=None, now=now, reason=reason)
        notify(
            recipients=[reopened.assignee], kind="portal_not_solved",
            title=Message("notice.portal_not_solved", number=reopened.number),
            body=Message("notice.portal_not_solved_body", comment=text[:500]) if text else None,
            key=f"portal_not_solved:{reopened.pk}:{reopened.reopen_count}", now=now, complaint=reopened,
        )
    return reopened


# ---- a new link for a customer who lost theirs: number + phone or e-mail, then a one-time code ----

CODE_LIFETIME = timedelta(minutes=15)
CODE_TRIES = 5
LOOKUPS_PER_HOUR = 5  # per network address: a stranger cannot try many numbers


def _code_digest(lookup_created: datetime, code: str) -> str:
    message = f"{lookup_created.isoformat()}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def contact_mask(kind: str, value: str) -> str:
    """A phone or e-mail address as the page may show it: enough to recognise, not to copy."""
    if kind == "email":
        name, _, domain = value.partition("@")
        return f"{name[:1]}***@{domain}"
    return f"{value[:3]}****{value[-4:]}" if len(value) > 7 else "****" + value[-2:]


def _contact_parse(contact: str) -> tuple[str, str]:
    """(kind, normalised value) of what the customer typed: an e-mail address or a phone number."""
    from kesu.customers.identities import identity_normalise

    contact = (contact or "").strip()
    if not contact:
        raise FieldError("contact", "field.required")
    kind = "email" if "@" in contact else "phone"
    try:
        return kind, identity_normalise(kind, contact)
    except FieldError as error:
        raise FieldError("contact", error.code, **error.params) from None


def _code_send(*, kind: str, to: str, code: str, number: str) -> None:
    """Send the code by e-mail or SMS (after the commit; a failure is logged, the customer can ask again)."""
    from django.utils.translation import gettext as _

    from kesu.notifications.transports import SendFailed, email_send, sms_send
    from kesu.web.brand import brand_name

    text = _("Your code for complaint %(number)s: %(code)s. It is valid for 15 minutes.") % {
        "number": number, "code": code}
    try:
        if kind == "email":
            email_send(to=to, subject=f"{brand_name()}: {number}", body=text)
        else:
            sms_send(payload={"to": to, "text": text, "kind": "portal_code", "complaint": number}, delivery_id=0)
    except SendFailed as error:
        logger.warning("portal: the code for %s could not be sent: %s", number, error)


def portal_lookup_request(*, number: str, contact: str, address: str, now: datetime):
    """Start a lookup: when ``number`` is a complaint of the customer reached at ``contact`` (a
    phone or e-mail on record), send them a one-time code there. Returns the lookup row either way
    (the page reads the same whether or not they matched)."""
    from kesu.customers.models import CustomerIdentity
    from kesu.portal.models import LookupCode

    errors: list[FieldError] = []
    number = (number or "").strip().upper()
    if not number:
        errors.append(FieldError("number", "field.required"))
    try:
        kind, value = _contact_parse(contact)
    except FieldError as error:
        errors.append(error)
    if errors:
        raise FieldErrors(errors)
    digest = address_digest(address)
    with transaction.atomic():
        recent = list(
            LookupCode.objects.filter(address_digest=digest, created_at__gt=now - RATE_WINDOW)
            .order_by("created_at").values_list("created_at", flat=True)
        )
        if len(recent) >= LOOKUPS_PER_HOUR:
            raise RateLimited(limit=LOOKUPS_PER_HOUR, what="lookups",
                              retry_after=recent[len(recent) - LOOKUPS_PER_HOUR] + RATE_WINDOW - now)
        complaint = Complaint.objects.filter(
            number=number,
            customer__in=CustomerIdentity.objects.filter(kind=kind, value=value).values("customer_id"),
        ).first()
        code = f"{secrets.randbelow(1_000_000):06d}"
        lookup = LookupCode.objects.create(
            complaint=complaint, address_digest=digest, code_digest=_code_digest(now, code),
            sent_to=contact_mask(kind, value), created_at=now, expires_at=now + CODE_LIFETIME,
        )
        if complaint is not None:
            transaction.on_commit(lambda: _code_send(kind=kind, to=value, code=code, number=complaint.number))
    return lookup


def portal_lookup_verify(*, lookup_id: int, code: str, now: datetime) -> Submitted:
    """Check the code; when right (and in time, within the tries), make a new tracking link."""
    from kesu.portal.models import LookupCode

    code = (code or "").strip()
    with transaction.atomic():
        lookup = LookupCode.objects.select_for_update().filter(pk=lookup_id).first()
        usable = (
            lookup is not None and lookup.complaint_id is not None and lookup.used_at is None
            and lookup.expires_at > now and lookup.attempts < CODE_TRIES
        )
        if usable and hmac.compare_digest(lookup.code_digest, _code_digest(lookup.created_at, code)):
            lookup.used_at = now
            lookup.save(update_fields=["used_at"])
            token = tracking_link_create(complaint=lookup.complaint, now=now)
            return Submitted(complaint=lookup.complaint, token=token)
        if lookup is not None:
            LookupCode.objects.filter(pk=lookup.pk).update(attempts=lookup.attempts + 1)
    raise FieldError("code", "portal.code_wrong")
