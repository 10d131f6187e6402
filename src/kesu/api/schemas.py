"""Request and response shapes of the REST API (the OpenAPI document is generated from these)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, Literal

from ninja import Field, Schema
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from kesu.complaints.lifecycle import ACTIONS
from kesu.core.storable import datetime_problem, number_problem, text_problem

Action = Literal[ACTIONS + ("note",)]  # type: ignore[valid-type]


class TextIn(Schema):
    """Input whose text fields may not hold NUL characters (PostgreSQL cannot store them: a 500, not a
    422; Django's forms refuse them too) and whose times lie between the years 1900 and 2999 (near year 1
    or 9999 the conversion to UTC overflows), whose whole numbers fit 64 bits (``?customer_id=2**63`` is an
    OverflowError on SQLite, a DataError on PostgreSQL) and whose numbers are finite."""

    @field_validator("*")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        problem = None
        if isinstance(value, str):
            problem = text_problem(value)
        elif isinstance(value, datetime):
            problem = datetime_problem(value)
            if not problem and value.utcoffset() is not None:
                # in UTC: PostgreSQL refuses an offset past ±15:59 (``2026-01-01T00:00+23:59`` was a
                # DataError, a 500) while Python accepts up to ±23:59
                value = value.astimezone(UTC)
        elif isinstance(value, int | float):
            problem = number_problem(value)
        elif isinstance(value, list):
            problem = next((number_problem(v) for v in value if isinstance(v, int | float) and number_problem(v)), None)
        if problem:
            code, params = problem
            raise PydanticCustomError(code, "cannot be stored", params)
        return value


class CustomerIn(TextIn):
    name: str = Field("", max_length=128)
    phone: str = ""
    email: str = ""
    external_id: str = ""
    tier: str = ""
    region: str = ""


class ComplaintIn(TextIn):
    channel: str = Field(..., description="phone, chat, email, web, social, sms or api")
    content: str = Field(..., description="what the customer said, verbatim (up to 50,000 characters)")
    customer_id: int | None = Field(None, description="an existing customer; or give `customer` handles")
    customer: CustomerIn | None = None
    subject: str = ""
    category: str = Field("", description="category code, e.g. service-attitude; empty: triage decides")
    severity: str = Field("", description="general, urgent or major; empty: triage decides")
    priority: str = Field("", description="P1 (highest) … P4; empty: triage decides from the priority matrix")
    region: str = ""
    product: str = ""
    batch: str = ""
    order_number: str = ""
    amount_claimed: Decimal | None = Field(None, description="CNY, at most two decimals")
    group: str = Field("", description="group code to place the complaint in")


class TransitionIn(TextIn):
    action: Action
    assignee: str | None = Field(None, description="username (assign, transfer)")
    group: str | None = Field(None, description="group code (transfer)")
    reason: str = Field("", description="pend, reopen, transfer, merge")
    resolution: str = Field("", description="resolve: the resolution summary")
    root_cause: str = Field(
        "", description="resolve (required): product_defect, service_attitude, process, logistics, billing_error, "
        "system_fault, third_party, misunderstanding or other",
    )
    note: str = Field("", description="resume, close")
    text: str = Field("", description="note, contact, follow_up")
    primary: str | None = Field(None, description="number or id of the primary complaint (merge)")
    done: str = Field("", description="transfer: what was done so far")
    needed: str = Field("", description="transfer: what the receiving group needs to do")
    coordinator: str | None = Field(None, description="transfer: username of the coordinator in copy")
    accept_minutes: int | None = Field(
        None, description="transfer: working minutes the receiving group has to accept (default: the SLA policy)"
    )
    channel: str = Field("", description="contact: phone, email, sms, chat, visit or other")
    outcome: str = Field("", description="follow_up: satisfied, unsatisfied or unreachable")


class Ref(Schema):
    id: int
    code: str
    name: str


class UserRef(Schema):
    username: str
    name: str


class CustomerRef(Schema):
    id: int
    name: str
    tier: str


class IdentityOut(Schema):
    kind: str
    value: str


class CustomerOut(Schema):
    id: int
    name: str
    tier: str
    region: str
    created_at: datetime
    identities: list[IdentityOut]
    complaint_count: int


class ComplaintOut(Schema):
    id: int
    number: str
    channel: str
    status: str
    subject: str
    content: str
    customer: CustomerRef
    category: Ref | None
    severity: str
    priority: str
    region: str
    product: str
    batch: str
    order_number: str
    amount_claimed: Decimal | None
    group: Ref | None
    assignee: UserRef | None
    resolution: str
    reopen_count: int
    merged_into: str | None
    created_at: datetime
    updated_at: datetime
    assigned_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    category_confirmed: bool
    emotion: int | None = Field(None, description="emotion temperature 0–100 (情绪温度计)")
    needs_senior: bool
    red_channel: bool
    repeat_count: int
    tags: list[str]
    quality_missing: list[str] = Field(description="required fields this complaint lacks (校标)")
    next_due_at: datetime | None = Field(None, description="when the next SLA warning, breach or escalation falls due")
    escalation_level: int = Field(0, description="escalation level reached: 0 none, 1 handler, 2 team lead, 3 manager")


class RepeatRef(Schema):
    id: int
    number: str
    similarity: float


class RepeatsOut(Schema):
    repeats: list[RepeatRef] = Field(description="earlier complaints of the customer on the same issue")
    repeated_by: list[RepeatRef] = Field(description="later complaints that repeat this one")


class CorrectionIn(Schema):
    category: str = Field("", description="category code")
    severity: str = Field("", description="general, urgent or major")
    reason: str = ""


class EventOut(Schema):
    kind: str
    at: datetime
    actor: UserRef | None
    from_status: str
    to_status: str
    data: dict[str, Any]


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    created_at: datetime


class ClockOut(Schema):
    clock: str = Field(description="assignment, acceptance, first_response, first_contact, transfer_acceptance, "
                       "resolution, closure or follow_up")
    run: int = Field(description="1 for the first run; clocks such as acceptance start again on each assignment")
    state: str = Field(description="ok, warning, breached, met, paused, or cancelled (the node no longer applies, "
                       "e.g. merged before an answer)")
    target_minutes: int
    around_the_clock: bool = Field(description="false: working minutes on the policy's calendar")
    started_at: datetime
    due_at: datetime | None = Field(description="None while paused or once stopped")
    warn_at: datetime | None
    stopped_at: datetime | None
    elapsed_minutes: int
    overdue_minutes: int
    overdue: str = Field(description='"normal" or "overdue N hours" (working hours)')
    breached_runs: int


class SlaOut(Schema):
    policy: str
    calendar: str
    next_due_at: datetime | None
    escalation_level: int
    paused: bool = Field(description="waiting for the customer: the clocks stand still")
    error: str = Field(description="why the clocks could not be computed (e.g. the calendar lacks a year)")
    clocks: list[ClockOut]


class ComplaintDetailOut(ComplaintOut):
    sla: SlaOut | None = Field(description="every SLA clock, computed at the time of the request")
    triage: dict[str, Any] | None = Field(
        description="the latest triage result: category (with confidence, alternatives, reasons), tags, severity, "
        "priority, emotion, needs_senior, red_channel (evidence), repeat, quality — each with its reasons"
    )
    repeats: RepeatsOut
    incident: dict[str, Any] | None = Field(
        None, description="the mass incident this complaint is linked to: id, title, state, how it was matched "
        "(how, score, reasons), whether it waits on the incident or a handler has it (exception)")
    timeline: list[EventOut]
    attachments: list[AttachmentOut]


class ComplaintPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    items: list[ComplaintOut]


class CustomerPage(Schema):
    count: int
    page: int
    page_size: int
    pages: int
    items: list[CustomerOut]


class ErrorOut(Schema):
    """A refusal: ``detail`` (the message, or the list of bad fields of a 422), and for a refusal
    that names no field its message id ``code``, ``params`` and ``message`` in the caller's language."""

    detail: Any
    code: str | None = None
    params: dict[str, Any] | None = None
    message: str | None = None


class TransitionErrorOut(Schema):
    detail: str
    code: str | None = None
    params: dict[str, Any] | None = None
    message: str | None = None
    current_status: str
    allowed_from: list[str]
