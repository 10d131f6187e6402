"""The only writers of complaints: build and insert a new one, apply a lifecycle step, merge, record
another app's timeline line, attach a file.

These write the complaint and its events, nothing more. What follows a write (triage, incidents,
routing, SLA, notices, webhooks, the survey) is the intake and transition pipeline's job
(``kesu.pipeline``, ADR 0012): views, the API, the CLI, imports and jobs call the pipeline.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from kesu.complaints import lifecycle
from kesu.complaints.actors import ComplaintHolders, may_act
from kesu.complaints.attachments import attachment_check
from kesu.complaints.drafts import ComplaintDraft, draft_clean
from kesu.complaints.models import Attachment, Category, Complaint, ComplaintEvent, EventKind, Status
from kesu.complaints.numbering import number_format, number_year, numbers_reserve
from kesu.complaints.records import complaint_lock, complaints_for_update, event_new, event_record
from kesu.core.bulk import rows_create
from kesu.core.errors import Conflict, FieldError, FieldErrors, NotPermitted, permission_require
from kesu.core.models import Department, Group, HandlerProfile, User
from kesu.core.roles import Permission, Role
from kesu.customers.actions import customer_find_or_create
from kesu.customers.models import Customer


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


def draft_check(draft: ComplaintDraft) -> tuple[dict, Category | None, Group | None]:
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


def complaint_build(*, draft: ComplaintDraft, fields: dict, category: Category | None, group: Group | None,
                    by: User | None, now: datetime) -> Complaint:
    """The new complaint of a checked draft, not yet saved: its customer found or created and its
    number reserved (so call it inside the intake's transaction)."""
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
    return Complaint(
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


def complaint_insert(
    complaint: Complaint, *, by: User | None, now: datetime, also: Sequence[ComplaintEvent] = ()
) -> list[ComplaintEvent]:
    """Write a built complaint (status ``new``), its ``created`` event and the events ``also`` built
    for it before it was written (triage), in one INSERT; returns the events in timeline order.
    (``rows_create``: as ``save()`` and ``bulk_create`` write them, without Django's insert compiler.)"""
    rows_create(Complaint, [complaint])
    events = [lifecycle.created(complaint, by=by, now=now), *also]
    rows_create(ComplaintEvent, events)  # the timeline is then held, not read back
    return events


def complaint_locked(complaint: Complaint) -> Complaint:
    """The complaint's row, locked for this transaction, with its people and group."""
    return complaint_lock(complaint, "assignee", "last_handler", "group")


def complaint_holders(complaint: Complaint) -> ComplaintHolders:
    """Who holds ``complaint`` now (assignee, group members, lead, department manager)."""
    group = complaint.group
    members: frozenset[int] = frozenset()
    lead_id = manager_id = None
    if group is not None:
        members = frozenset(
            HandlerProfile.objects.filter(groups=group).values_list("user_id", flat=True)
        )
        lead_id = group.lead_id
        manager_id = Department.objects.filter(pk=group.department_id).values_list("manager_id", flat=True).first()
    return ComplaintHolders(
        assignee_id=complaint.assignee_id, group_member_ids=members, lead_id=lead_id, manager_id=manager_id
    )


def complaint_actor_check(complaint: Complaint, by: User | None) -> None:
    """Refuse (403) someone who may handle complaints but not this one (``complaints/actors.py``)."""
    if by is None:
        return
    if not may_act(by.pk, by.role, complaint_holders(complaint), settings.KESU_COMPLAINT_ACTORS):
        raise NotPermitted("privacy.not_your_complaint", number=complaint.number)


# a note is a colleague's remark on the timeline: anyone who may handle complaints may add one
_OPEN_STEPS = frozenset({lifecycle.note})


def complaint_step(complaint: Complaint, by: User | None, step, **params) -> tuple[Complaint, ComplaintEvent]:
    """Apply one lifecycle step (``kesu.complaints.lifecycle``) to the locked row and write the
    complaint and its event. The caller (the pipeline) holds the transaction and runs what follows."""
    _check(by, Permission.COMPLAINT_HANDLE)
    with transaction.atomic():
        current = complaint_locked(complaint)
        if step not in _OPEN_STEPS:
            complaint_actor_check(current, by)
        event = step(current, by=by, **params)
        current.save()
        event.save()
    return current, event


def complaint_event_record(*, complaint_id: int, kind: str, by: User | None, now: datetime, **data) -> ComplaintEvent:
    """A timeline line written by another app (a call, a compensation step) inside its transaction:
    the complaint is locked and marked updated, as for any step of its own."""
    current = complaint_locked(Complaint(pk=complaint_id))
    current.updated_at = now
    current.save(update_fields=["updated_at"])
    return event_record(current, kind, now=now, by=by, data=data)


def complaint_merge_write(
    *, duplicate: Complaint, primary: Complaint, by: User | None, now: datetime, reason: str = ""
) -> tuple[Complaint, Complaint, ComplaintEvent]:
    """Close ``duplicate`` into ``primary``: returns the duplicate, the primary and the duplicate's event."""
    _check(by, Permission.COMPLAINT_MERGE)
    with transaction.atomic():
        # lock both rows in id order so two opposite merges cannot deadlock
        locked = {
            c.pk: c
            for c in complaints_for_update()
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
    return dup, prim, into


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
            event_new(
                complaint,
                EventKind.ATTACHMENT,
                by=by,
                now=now,
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


def complaint_accept_write(*, complaint: Complaint, by: User, now: datetime) -> tuple[Complaint, list[ComplaintEvent]]:
    """The receiving group accepts a transferred complaint: the member who accepts takes it when
    nobody has it yet (or it is theirs already) and starts handling, which stops the
    transfer-acceptance clock. Only a member of the receiving group (or a manager) may accept.
    Writes the complaint and its events; the caller (the pipeline) holds the transaction."""
    _check(by, Permission.COMPLAINT_HANDLE)
    current = complaint_locked(complaint)
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
    return current, events
