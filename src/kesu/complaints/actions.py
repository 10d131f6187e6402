"""The only writers of complaints. Each action: keyword-only, takes ``now``, one transaction, events.

Views, the API, the CLI, imports and jobs call these; nothing else saves a complaint.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from kesu.channels.webhooks_out import webhook_complaint_created, webhook_status_changed
from kesu.complaints import lifecycle
from kesu.complaints.attachments import attachment_check
from kesu.complaints.drafts import ComplaintDraft, draft_clean
from kesu.complaints.models import (
    Attachment,
    Category,
    Complaint,
    ComplaintEvent,
    EventKind,
    IdempotencyKey,
    Status,
)
from kesu.complaints.notices import transfer_notify
from kesu.complaints.numbering import number_format, number_year, numbers_reserve
from kesu.core.errors import Conflict, FieldError, FieldErrors, NotPermitted, permission_require
from kesu.core.models import Group, User
from kesu.core.roles import Permission, Role
from kesu.customers.actions import customer_find_or_create
from kesu.customers.models import Customer
from kesu.routing.actions import complaint_route
from kesu.sla.actions import sla_refresh
from kesu.triage.actions import repeat_links_save, triage_prepare

logger = logging.getLogger(__name__)


def _check(by: User | None, permission: str) -> None:
    if by is not None:
        permission_require(by, permission)


def category_resolve(code: str) -> Category | None:
    if not code:
        return None
    category = Category.objects.filter(code=code, is_active=True).first()
    if category is None:
        raise FieldError("category", "category.unknown", value=code)
    return category


def group_resolve(code: str, *, field: str = "group") -> Group | None:
    if not code:
        return None
    group = Group.objects.filter(code=code).first()
    if group is None:
        raise FieldError(field, "group.unknown", value=code)
    return group


def _draft_check(draft: ComplaintDraft) -> tuple[dict, Category | None, Group | None]:
    """Validate the whole draft before writing: every bad field is named at once, not just the first."""
    errors: list[FieldError] = []

    def attempt(check):
        try:
            return check()
        except FieldError as error:
            errors.extend(error.field_errors)
            return None

    fields = attempt(lambda: draft_clean(draft))
    category = attempt(lambda: category_resolve(draft.category))
    group = attempt(lambda: group_resolve(draft.group))
    if draft.customer_id is None:
        attempt(draft.customer.check)
    if errors:
        raise FieldErrors(errors)
    return fields, category, group


def complaint_create(*, draft: ComplaintDraft, by: User | None, now: datetime) -> Complaint:
    """Record a new complaint from any channel (status ``new``)."""
    _check(by, Permission.COMPLAINT_CREATE)
    fields, category, group = _draft_check(draft)
    with transaction.atomic():
        if draft.customer_id is not None:
            customer = Customer.objects.filter(pk=draft.customer_id).first()
            if customer is None:
                raise FieldError("customer_id", "customer.unknown", value=draft.customer_id)
        else:
            customer = customer_find_or_create(handles=draft.customer, now=now)
        year = number_year(now)
        (sequence,) = numbers_reserve(year=year)
        # severity / priority left open keep the model's defaults until triage decides them
        given = {name: value for name, value in fields.items() if not (name in draft.open_fields() and value == "")}
        complaint = Complaint(
            **given,
            number=number_format(year, sequence),
            customer=customer,
            category=category,
            category_confirmed=category is not None,
            group=group,
            created_by=by,
            created_at=now,
            updated_at=now,
        )
        triaged, links = _triage(complaint, open_fields=draft.open_fields(), now=now,
                                 has_contact=True if draft.customer_id is None and draft.customer.identities() else None)
        complaint.save()
        lifecycle.created(complaint, by=by, now=now).save()
        triaged.save()
        repeat_links_save(links)
        complaint_route(complaint, now=now)
        sla_refresh(complaint, now=now)
        webhook_complaint_created(complaint, now=now)
    return complaint


def _triage(complaint: Complaint, *, open_fields: frozenset[str], now: datetime, has_contact: bool | None):
    """Triage at intake, before the complaint is written (ADR 0003). A failing triage never loses
    the complaint: it is kept, with an event that records the error, and default severity/priority."""
    try:
        with transaction.atomic():  # a savepoint: a database error in triage must not abort the intake
            _result, event, links = triage_prepare(
                complaint, by=None, now=now, open_fields=open_fields, has_contact=has_contact
            )
        return event, links
    except Exception as error:  # the complaint matters more than its triage
        logger.exception("triage of %s failed", complaint.number)
        event = ComplaintEvent(
            complaint=complaint, kind=EventKind.TRIAGED, at=now, from_status=complaint.status,
            to_status=complaint.status, data={"error": f"{type(error).__name__}: {error}"},
        )
        return event, []


def complaint_intake(
    *, draft: ComplaintDraft, by: User, now: datetime, idempotency_key: str | None
) -> tuple[Complaint, bool]:
    """Create a complaint once per idempotency key. Returns ``(complaint, created)``.

    The same key with the same draft returns the first complaint; with another draft it is a
    Conflict. Without a key every call creates.
    """
    if not idempotency_key:
        return complaint_create(draft=draft, by=by, now=now), True
    if len(idempotency_key) > 255:
        raise FieldError("Idempotency-Key", "field.too_long", limit=255, got=len(idempotency_key))
    fingerprint = draft.fingerprint()
    for _attempt in range(2):
        existing = (
            IdempotencyKey.objects.select_related("complaint").filter(user=by, key=idempotency_key).first()
        )
        if existing:
            if existing.fingerprint != fingerprint:
                raise Conflict("idempotency.reused", key=idempotency_key)
            return existing.complaint, False
        try:
            with transaction.atomic():
                complaint = complaint_create(draft=draft, by=by, now=now)
                IdempotencyKey.objects.create(
                    user=by, key=idempotency_key, fingerprint=fingerprint, complaint=complaint, created_at=now
                )
            return complaint, True
        except IntegrityError:
            continue  # a concurrent request with the same key won; read its result
    raise Conflict("idempotency.concurrent", key=idempotency_key)


def _locked(complaint: Complaint) -> Complaint:
    # lock the complaint row only: PostgreSQL refuses FOR UPDATE on the nullable side of the outer joins
    return (
        Complaint.objects.select_for_update(of=("self",))
        .select_related("assignee", "last_handler", "group")
        .get(pk=complaint.pk)
    )


def _apply(complaint: Complaint, by: User | None, step, **params) -> Complaint:
    _check(by, Permission.COMPLAINT_HANDLE)
    with transaction.atomic():
        current = _locked(complaint)
        event = step(current, by=by, **params)
        current.save()
        event.save()
        sla_refresh(current, now=params["now"])
        webhook_status_changed(event, now=params["now"])
    return current


def complaint_assign(*, complaint: Complaint, assignee: User, by: User | None, now: datetime) -> Complaint:
    return _apply(complaint, by, lifecycle.assign, assignee=assignee, now=now)


def complaint_start(*, complaint: Complaint, by: User | None, now: datetime) -> Complaint:
    return _apply(complaint, by, lifecycle.start, now=now)


def complaint_pend(*, complaint: Complaint, by: User | None, now: datetime, reason: str = "") -> Complaint:
    return _apply(complaint, by, lifecycle.pend, now=now, reason=reason)


def complaint_resume(*, complaint: Complaint, by: User | None, now: datetime, note: str = "") -> Complaint:
    return _apply(complaint, by, lifecycle.resume, now=now, note=note)


def complaint_resolve(
    *,
    complaint: Complaint,
    by: User | None,
    now: datetime,
    resolution: str,
    root_cause: str = "",
    root_cause_required: bool = False,
) -> Complaint:
    """Resolve with a summary and a root-cause tag (required where a person resolves: UI and API)."""
    return _apply(complaint, by, lifecycle.resolve, now=now, resolution=resolution, root_cause=root_cause,
                  root_cause_required=root_cause_required)


def complaint_close(*, complaint: Complaint, by: User | None, now: datetime, note: str = "") -> Complaint:
    from kesu.surveys.actions import aftercare_start  # the survey and follow-up visit of this closing

    with transaction.atomic():
        closed = _apply(complaint, by, lifecycle.close, now=now, note=note)
        aftercare_start(complaint=closed, now=now)
    return closed


def complaint_reopen(*, complaint: Complaint, by: User | None, now: datetime, reason: str) -> Complaint:
    return _apply(complaint, by, lifecycle.reopen, now=now, reason=reason)


def complaint_transfer(
    *,
    complaint: Complaint,
    to_group: Group,
    by: User | None,
    now: datetime,
    reason: str,
    assignee: User | None = None,
    done: str = "",
    needed: str = "",
    coordinator: User | None = None,
    accept_minutes: int | None = None,
) -> Complaint:
    """Transfer with the standard form; the coordinator gets a copy (a notification), in the same
    transaction: a transfer nobody heard of is not saved."""
    with transaction.atomic():
        transferred = _apply(
            complaint, by, lifecycle.transfer, to_group=to_group, now=now, reason=reason, assignee=assignee,
            done=done, needed=needed, coordinator=coordinator, accept_minutes=accept_minutes,
        )
        transfer_notify(transferred, coordinator=coordinator, by=by, reason=reason, now=now)
    return transferred


def complaint_contact(*, complaint: Complaint, by: User | None, now: datetime, channel: str, text: str) -> Complaint:
    return _apply(complaint, by, lifecycle.contact, now=now, channel=channel, text=text)


def complaint_follow_up(
    *, complaint: Complaint, by: User | None, now: datetime, outcome: str, text: str = ""
) -> Complaint:
    return _apply(complaint, by, lifecycle.follow_up, now=now, outcome=outcome, text=text)


def complaint_note_add(*, complaint: Complaint, by: User | None, now: datetime, text: str) -> Complaint:
    return _apply(complaint, by, lifecycle.note, now=now, text=text)


def complaint_event_record(*, complaint_id: int, kind: str, by: User | None, now: datetime, **data) -> ComplaintEvent:
    """A timeline line written by another app (a call, a compensation step) inside its transaction:
    the complaint is locked and marked updated, as for any step of its own."""
    current = _locked(Complaint(pk=complaint_id))
    current.updated_at = now
    current.save(update_fields=["updated_at"])
    return ComplaintEvent.objects.create(
        complaint=current, kind=kind, actor=by, at=now, from_status=current.status, to_status=current.status,
        data=data,
    )


def complaint_merge(
    *, duplicate: Complaint, primary: Complaint, by: User | None, now: datetime, reason: str = ""
) -> Complaint:
    """Close ``duplicate`` into ``primary``; returns the duplicate."""
    _check(by, Permission.COMPLAINT_MERGE)
    with transaction.atomic():
        # lock both rows in id order so two opposite merges cannot deadlock
        locked = {
            c.pk: c
            for c in Complaint.objects.select_for_update()
            .filter(pk__in=[duplicate.pk, primary.pk])
            .order_by("pk")
        }
        if primary.pk not in locked:
            raise FieldError("primary", "complaint.no_such")
        if duplicate.pk not in locked:
            raise FieldError("complaint", "complaint.no_such")
        dup, prim = locked[duplicate.pk], locked[primary.pk]
        has_duplicates = Complaint.objects.filter(merged_into=dup).exists()
        into, received = lifecycle.merge(dup, prim, by=by, now=now, reason=reason, has_duplicates=has_duplicates)
        dup.save()
        prim.save(update_fields=["updated_at"])
        into.save()
        received.save()
        webhook_status_changed(into, now=now)
        sla_refresh(dup, now=now)
        sla_refresh(prim, now=now)
    return dup


def attachment_add(
    *, complaint: Complaint, upload: UploadedFile, by: User | None, now: datetime
) -> Attachment:
    """Validate type and size, store the file in the data folder, record an event."""
    _check(by, Permission.COMPLAINT_HANDLE)
    head = upload.read(16)
    upload.seek(0)
    content_type = attachment_check(
        name=upload.name or "", head=head, size=upload.size or 0, max_bytes=settings.KESU_MAX_ATTACHMENT_BYTES
    )
    suffix = "." + (upload.name or "").rsplit(".", 1)[-1].lower()
    with transaction.atomic():
        attachment = Attachment(
            complaint=complaint,
            stored_name=uuid.uuid4().hex + suffix,
            original_name=(upload.name or "")[:255],
            content_type=content_type,
            size=upload.size,
            uploaded_by=by,
            created_at=now,
        )
        attachment.file.save(attachment.stored_name, upload, save=False)
        try:
            attachment.save()
            ComplaintEvent(
                complaint=complaint,
                kind=EventKind.ATTACHMENT,
                actor=by,
                at=now,
                from_status=complaint.status,
                to_status=complaint.status,
                data={
                    "attachment": {
                        "id": attachment.pk,
                        "name": attachment.original_name,
                        "size": attachment.size,
                    }
                },
            ).save()
        except Exception:
            attachment.file.delete(save=False)
            raise
    return attachment


def complaint_transfer_accept(*, complaint: Complaint, by: User, now: datetime) -> Complaint:
    """The receiving group accepts a transferred complaint: the member who accepts takes it when
    nobody has it yet (or it is theirs already) and starts handling, which stops the
    transfer-acceptance clock. Only a member of the receiving group (or a manager) may accept."""
    _check(by, Permission.COMPLAINT_HANDLE)
    with transaction.atomic():
        current = _locked(complaint)
        if not lifecycle.transfer_awaiting(current.sla):
            raise Conflict("transfer.not_awaiting", number=current.number)
        member = User.objects.filter(pk=by.pk, handler_profile__groups=current.group_id).exists()
        if not member and by.role not in (Role.MANAGER, Role.ADMIN):
            raise NotPermitted("transfer.not_receiving_group", group=current.group.name if current.group else "")
        events = []
        if current.assignee_id != by.pk or current.status == Status.NEW:
            events.append(lifecycle.assign(current, assignee=by, by=by, now=now))
        events.append(lifecycle.start(current, by=by, now=now))
        current.save()
        for event in events:
            event.save()
        sla_refresh(current, now=now)
        for event in events:
            webhook_status_changed(event, now=now)
    return current
