"""The writer of calls: log a call and, in the same step, open a complaint or attach it to one.

``call_log`` is one transaction: the customer is found by the caller's number (or created through
the customers' own path), a new complaint goes through ``complaint_create`` (triage, routing, SLA
happen there, as for every intake), the call is stored with its recording, and the complaint's
timeline gets a ``call`` event. An outbound call that reached the customer is their contact: it goes
through ``complaint_contact``, which stops the first-contact clock. An inbound call is not a contact
by the handler.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from kesu.calls.models import Call, Direction, duration_format
from kesu.calls.parsing import duration_parse, moment_parse
from kesu.calls.recordings import recording_check
from kesu.calls.selectors import customer_by_number
from kesu.complaints import lifecycle
from kesu.complaints.actions import category_resolve, complaint_event_record
from kesu.complaints.drafts import ComplaintDraft, draft_clean
from kesu.complaints.models import Channel, Complaint, ComplaintEvent, EventKind, Status
from kesu.core.errors import FieldError, FieldErrors, raise_not_permitted
from kesu.core.messages import given
from kesu.core.models import User
from kesu.core.roles import Permission
from kesu.customers.actions import CustomerHandles, customer_find_or_create
from kesu.customers.identities import phone_normalise
from kesu.customers.models import Customer
from kesu.pipeline.intake import complaint_create
from kesu.pipeline.transitions import complaint_contact, complaint_resume

MAX_TRANSCRIPT = 50_000
MAX_NOTES = 5_000
EXCERPT = 200
CLOCK_SKEW = timedelta(minutes=2)  # a start a little after ``now`` is the telephone's clock, not the future
NEW = "new"


@dataclass(frozen=True)
class CallComplaint:
    """What the handler adds when the call opens a complaint; the content is the transcript (or the
    after-call notes when there is no transcript). Empty fields are left to triage and routing."""

    subject: str = ""
    category: str = ""
    severity: str = ""
    priority: str = ""


@dataclass(frozen=True)
class _Checked:
    direction: str
    number: str
    started_at: datetime
    duration: int
    transcript: str
    notes: str
    customer_name: str
    recording_type: str
    target: Complaint | None
    draft: ComplaintDraft | None


def _limited(field: str, value: str, limit: int) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise FieldError(field, "field.too_long", limit=limit, got=len(value))
    return value


def complaint_find(reference: Complaint | str | int) -> Complaint:
    """The complaint a call is attached to, by object, number (``KS-2026-000123``) or id."""
    if isinstance(reference, Complaint):
        found = Complaint.objects.select_related("merged_into").filter(pk=reference.pk).first()
        label = reference.number
    else:
        label = str(reference).strip()
        if not label:
            raise FieldError("complaint", "field.required")
        query = Complaint.objects.select_related("merged_into")
        found = query.filter(number__iexact=label).first()
        if found is None and label.isdigit():
            found = query.filter(pk=int(label)).first()
    if found is None:
        raise FieldError("complaint", "complaint.not_found", value=label)
    if found.merged_into_id:
        primary = found.merged_into.number
        raise FieldError("complaint", "call.merged", value=found.number, primary=primary)
    return found


def _validate(
    *, direction, number, started_at, duration_seconds, transcript, notes, recording, customer_name,
    complaint, new_complaint, now,
) -> _Checked:
    """Every field checked before anything is written; every bad field named at once."""
    errors: list[FieldError] = []
    values: dict = {}

    def check(name: str, clean) -> None:
        try:
            values[name] = clean()
        except FieldErrors as error:
            errors.extend(error.field_errors)
        except FieldError as error:
            errors.append(error)

    def _direction() -> str:
        if direction not in Direction.values:
            raise FieldError("direction", "field.choice", choices=list(Direction.values), got=given(direction))
        return direction

    def _number() -> str:
        if not (number or "").strip():
            raise FieldError("number", "field.required")
        try:
            return phone_normalise(number)
        except FieldError as error:
            raise FieldError("number", error.code, **error.params) from error

    def _started() -> datetime:
        moment = moment_parse(started_at, zone=settings.TIME_ZONE)
        if moment > now + CLOCK_SKEW:
            raise FieldError("started_at", "call.future", value=moment.isoformat())
        return moment

    def _recording() -> str:
        if recording is None:
            return ""
        head = recording.read(16)
        recording.seek(0)
        return recording_check(
            name=recording.name or "", head=head, size=recording.size or 0,
            max_bytes=settings.KESU_MAX_ATTACHMENT_BYTES,
        )

    check("direction", _direction)
    check("number", _number)
    check("started_at", _started)
    check("duration", lambda: duration_parse(duration_seconds))
    check("transcript", lambda: _limited("transcript", transcript, MAX_TRANSCRIPT))
    check("notes", lambda: _limited("notes", notes, MAX_NOTES))
    check("customer_name", lambda: _limited("customer_name", customer_name, 128))
    check("recording", _recording)

    wants_new = complaint == NEW or new_complaint is not None
    if wants_new and complaint not in (None, NEW):
        errors.append(FieldError("complaint", "call.both_targets"))
    elif complaint not in (None, NEW):
        check("target", lambda: complaint_find(complaint))

    draft = None
    if wants_new and "transcript" in values and "notes" in values:
        content = values["transcript"] or values["notes"]
        if not content:
            errors.append(
                FieldError("transcript", "call.no_content")
            )
        else:
            fields = new_complaint or CallComplaint()
            draft = ComplaintDraft(
                channel=Channel.PHONE,
                content=content,
                customer=CustomerHandles(name=values["customer_name"], phone=values.get("number", "")),
                subject=fields.subject,
                category=fields.category,
                severity=fields.severity,
                priority=fields.priority,
            )
            check("draft", lambda: draft_clean(draft))
            check("category", lambda: category_resolve(fields.category))
    if errors:
        raise FieldErrors(errors)
    return _Checked(
        direction=values["direction"], number=values["number"], started_at=values["started_at"],
        duration=values["duration"], transcript=values["transcript"], notes=values["notes"],
        customer_name=values["customer_name"], recording_type=values["recording"],
        target=values.get("target"), draft=draft,
    )


def _call_event(call: Call, complaint: Complaint, *, by: User | None, now: datetime) -> ComplaintEvent:
    return complaint_event_record(
        complaint_id=complaint.pk, kind=EventKind.CALL, by=by, now=now,
        call_id=call.pk, direction=call.direction, number=call.number, started_at=call.started_at.isoformat(),
        duration_seconds=call.duration_seconds, transcript_excerpt=call.transcript[:EXCERPT],
        notes=call.notes[:EXCERPT], recording=bool(call.recording),
    )


def call_reached_customer(call: Call) -> bool:
    """An outbound call that was answered is the handler's contact with the customer."""
    return call.direction == Direction.OUTBOUND and call.duration_seconds > 0


def call_log(
    *,
    direction: str,
    number: str,
    started_at: datetime | str,
    duration_seconds: int | str,
    transcript: str = "",
    notes: str = "",
    recording: UploadedFile | None = None,
    customer_name: str = "",
    complaint: Complaint | str | int | None = None,
    new_complaint: CallComplaint | None = None,
    by: User | None,
    now: datetime,
) -> Call:
    """Log a call; ``complaint="new"`` (or ``new_complaint``) opens a phone complaint from it, a
    complaint (object, number or id) attaches it, ``None`` logs the call for the customer only.

    Raises FieldErrors naming every bad field; nothing is written then.
    """
    if by is not None and not by.can(Permission.COMPLAINT_CREATE):
        raise_not_permitted(by, "permission.calls.log")
    checked = _validate(
        direction=direction, number=number, started_at=started_at, duration_seconds=duration_seconds,
        transcript=transcript, notes=notes, recording=recording, customer_name=customer_name,
        complaint=complaint, new_complaint=new_complaint, now=now,
    )
    call = Call(
        direction=checked.direction,
        number=checked.number,
        started_at=checked.started_at,
        duration_seconds=checked.duration,
        transcript=checked.transcript,
        notes=checked.notes,
        handled_by=by,
        created_at=now,
    )
    with transaction.atomic():
        target = checked.target
        customer: Customer | None
        if checked.draft is not None:
            target = complaint_create(draft=checked.draft, by=by, now=now)
            customer = target.customer
        elif target is not None:
            # a number we do not know yet stays off the customer's record: the caller may be a relative
            customer = customer_by_number(checked.number) or target.customer
        else:
            customer = customer_find_or_create(
                handles=CustomerHandles(name=checked.customer_name, phone=checked.number), now=now
            )
        call.customer = customer
        call.complaint = target
        if recording is not None:
            suffix = "." + (recording.name or "").rsplit(".", 1)[-1].lower()
            call.recording_name = (recording.name or "")[:255]
            call.recording_type = checked.recording_type
            call.recording_size = recording.size or 0
            call.recording.save(uuid.uuid4().hex + suffix, recording, save=False)
        try:
            call.save()
            if target is not None:
                current = _call_event(call, target, by=by, now=now).complaint  # locked, as it is now
                if call.direction == Direction.INBOUND and current.status == Status.PENDING_CUSTOMER:
                    # the customer called with what we waited for: the clocks run again
                    target = complaint_resume(complaint=current, by=by, now=now,
                                              note=f"the customer called from {call.number}")
                if call_reached_customer(call) and target.status in lifecycle.ALLOWED_FROM["contact"]:
                    complaint_contact(
                        complaint=target, by=by, now=now, channel="phone",
                        text=call.notes or call.transcript[:EXCERPT]
                        or f"outbound call to {call.number}, {duration_format(call.duration_seconds)}",
                    )
        except Exception:
            if call.recording:
                call.recording.delete(save=False)
            raise
    return call
