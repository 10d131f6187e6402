"""Intake: a new complaint from any channel, in one transaction, step by step.

1. check the draft (every bad field named at once)
2. build the complaint: its customer found or created, its number reserved (``complaints.actions``)
3. triage it before it is written (ADR 0003; a failing triage never loses the complaint)
4. write it and its ``created`` event, then the triage event and the repeat links
5. incidents: link it to the active incident whose scope it matches and answer the customer with
   the announcement; a complaint that waits on the incident enters no handler's queue (ADR 0011)
6. route it (group, assignee), unless it waits on an incident
7. compute its SLA deadlines
8. the outbound ``complaint.created`` webhook
"""

from __future__ import annotations

import logging
from contextlib import nullcontext
from datetime import datetime

from django.db import IntegrityError, connection, transaction

from kesu.channels.webhooks_out import webhook_complaint_created
from kesu.complaints.actions import complaint_build, complaint_insert, draft_check
from kesu.complaints.drafts import ComplaintDraft
from kesu.complaints.models import Complaint, ComplaintEvent, EventKind, IdempotencyKey
from kesu.complaints.records import event_new
from kesu.core.errors import Conflict, FieldError, permission_require
from kesu.core.models import User
from kesu.core.roles import Permission
from kesu.incidents.actions import incident_intake_step
from kesu.routing.actions import ROUTED_FIELDS, complaint_route
from kesu.sla.actions import SLA_FIELDS, SlaBatch, sla_refresh
from kesu.sla.clocks import ClockReport
from kesu.triage.actions import repeat_links_save, triage_prepare

logger = logging.getLogger(__name__)


def complaint_create(*, draft: ComplaintDraft, by: User | None, now: datetime) -> Complaint:
    """Record a new complaint from any channel (status ``new``) and run its intake."""
    if by is not None:
        permission_require(by, Permission.COMPLAINT_CREATE)
    fields, category, group = draft_check(draft)
    with transaction.atomic():
        complaint = complaint_build(draft=draft, fields=fields, category=category, group=group, by=by, now=now)
        has_contact = True if draft.customer_id is None and draft.customer.identities() else None
        # a customer this intake created has no earlier complaints: triage need not read them
        first = bool(getattr(complaint.customer, "created_just_now", False))
        triaged, links = _triage(complaint, open_fields=draft.open_fields(), now=now, has_contact=has_contact,
                                 first=first)
        events = complaint_insert(complaint, by=by, now=now, also=[triaged])
        repeat_links_save(links)
        if incident_intake_step(complaint, now=now):
            # it waits on the incident: its timeline is read back; the announcement's reply refreshed
            # the SLA on its own copy of the row, so this copy reads that first (one "applied" event)
            complaint.refresh_from_db(fields=SLA_FIELDS)
            sla_refresh(complaint, now=now)
        else:
            _route_and_time(complaint, events, now=now)
        webhook_complaint_created(complaint, now=now)
    return complaint


def _route_and_time(complaint: Complaint, events: list[ComplaintEvent], *, now: datetime) -> None:
    """Routing, then the SLA clocks on the timeline intake holds; their events go in one INSERT and
    the complaint's routing and SLA fields in one UPDATE. The whole timeline is then held: the API
    answers with it (``timeline_held``) instead of reading it back."""
    routed = complaint_route(complaint, now=now, write=False)
    batch = SlaBatch(events=list(routed.events))
    refresh = sla_refresh(complaint, now=now, events=[*events, *routed.events], batch=batch)
    batch.write(fields=[*ROUTED_FIELDS, *SLA_FIELDS])
    complaint._intake_timeline = (*events, *batch.events)  # type: ignore[attr-defined]
    if refresh.report is not None:  # the answer shows these clocks: computed once
        complaint._intake_clocks = (now, refresh.report)  # type: ignore[attr-defined]


def timeline_held(complaint: Complaint) -> list[ComplaintEvent] | None:
    """The timeline intake wrote for the ``complaint`` it just returned, when it holds all of it
    (None: read it). Only for answering the intake's own request: later steps do not update it."""
    held = getattr(complaint, "_intake_timeline", None)
    return None if held is None else list(held)


def clocks_held(complaint: Complaint) -> tuple[datetime, ClockReport] | None:
    """The SLA clocks intake computed for the ``complaint`` it just returned, and the time it computed
    them at (None: compute them). Only for answering the intake's own request."""
    return getattr(complaint, "_intake_clocks", None)


def incident_held(complaint: Complaint) -> bool:
    """Does intake know that the ``complaint`` it just returned is linked to no incident (no need to
    read its link for the answer)?"""
    return bool(getattr(complaint, "_intake_unlinked", False))


def _triage(complaint: Complaint, *, open_fields: frozenset[str], now: datetime, has_contact: bool | None,
            first: bool = False):
    """Triage at intake, before the complaint is written (ADR 0003). A failing triage never loses
    the complaint: it is kept, with an event that records the error, and default severity/priority."""
    try:
        # a savepoint: a database error in triage must not abort the intake. Triage only reads; on
        # SQLite a failed statement does not abort the transaction, so it needs none there
        with transaction.atomic() if connection.vendor != "sqlite" else nullcontext():
            _result, event, links = triage_prepare(
                complaint, by=None, now=now, open_fields=open_fields, has_contact=has_contact, first=first
            )
        return event, links
    except Exception as error:  # the complaint matters more than its triage
        logger.exception("triage of %s failed", complaint.number)
        event = event_new(complaint, EventKind.TRIAGED, now=now, data={"error": f"{type(error).__name__}: {error}"})
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
