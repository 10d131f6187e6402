"""What the pipeline does for mass incidents (ADR 0011) beyond intake's step.

Releasing a complaint from an incident (unlinked by a handler or manager, or its incident withdrawn):
a complaint that waited on the incident was never routed and its own SLA clocks were paused; it now
enters normal handling — routed to a group by the same routing step intake runs (``complaint_route``),
its clocks resumed from its policy (``sla_refresh``), the status webhook of an assignment sent — in
the unlink's transaction. A complaint that did not wait (a handler had it already) keeps its group.

Closing the complaints of a resolved incident, a chunk at a time: for every linked
complaint that waits on it — the closing message on its channel, resolved with the incident's root
cause, closed, its SLA recomputed, the status webhooks, the survey and follow-up per the survey
settings — all written together, in one transaction per chunk, with bulk INSERTs (events, replies,
e-mails, surveys) and one UPDATE of the complaints' status fields.

The link's once-only mark (``closed_by_incident_at``) is written in the same transaction as the
replies, so a run killed mid-way loses its current chunk whole and a run again answers every
customer exactly once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.db import transaction
from django.db.models import F

from kesu.channels.models import WebhookEvent
from kesu.channels.replies import replies_outbound_write, replies_prepare
from kesu.channels.webhooks_out import webhook_emit, webhook_status_changed
from kesu.complaints import lifecycle
from kesu.complaints.models import Channel, Complaint, ComplaintEvent, Status
from kesu.complaints.records import complaint_lock
from kesu.core.errors import Conflict, permission_require
from kesu.core.models import User
from kesu.core.roles import Permission
from kesu.incidents.actions import (
    RESOLVE_CHUNK,
    closing_chunk_claim,
    closing_chunk_done,
    closing_due,
    closing_finish,
    incident_text,
    incident_unlink_write,
    unlink_reason_clean,
)
from kesu.incidents.models import Incident, IncidentLink
from kesu.routing.actions import complaint_route
from kesu.sla.actions import SlaBatch, sla_refresh
from kesu.surveys.actions import aftercare_start_many

OPEN = (Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS, Status.PENDING_CUSTOMER)
# the channels whose connectors get the ``incident.message`` webhook (an SMS complaint is also sent
# a text message through the SMS gateway, by ``replies_prepare``)
WEBHOOK_CHANNELS = (Channel.SMS, Channel.CHAT, Channel.SOCIAL, Channel.PHONE, Channel.API)


def incident_unlink(*, incident: Incident, complaint: Complaint, by: User | None, now: datetime,
                    reason: str = "") -> Complaint:
    """A handler or manager unlinks a complaint (an event with the reason; the one-click "unlink" of a
    low-score match too); one that waited on the incident enters normal handling. Returns it."""
    with transaction.atomic():
        waited = incident_unlink_write(incident=incident, complaint=complaint, by=by, now=now, reason=reason)
        return complaint_release(complaint.pk, waited=waited, now=now)


def complaint_release(complaint_id: int, *, waited: bool, now: datetime) -> Complaint:
    """After an unlink, in its transaction: a complaint that waited on the incident, still open and
    with nobody assigned, is routed as intake routes (group, assignee); then its SLA is recomputed
    from its whole timeline (the clocks the incident paused resume; the deadline is its policy's)."""
    current = complaint_lock(complaint_id, "customer", "category", "group")
    if waited and current.status == Status.NEW and current.assignee_id is None and current.merged_into_id is None:
        routed = complaint_route(current, now=now)
        for event in routed.events:
            webhook_status_changed(event, now=now)
    sla_refresh(current, now=now)
    return current


def incident_withdraw(*, incident: Incident, by: User | None, now: datetime, reason: str = "",
                      chunk: int = RESOLVE_CHUNK) -> int:
    """Withdraw an incident declared by mistake (management only): every linked complaint is unlinked
    (an event with the reason) and enters normal handling, nobody is answered, and the incident is
    deleted. Refused once a resolution has started (it answers the customers). One transaction per
    ``chunk`` links; run again after an interruption, it goes on where it stopped. Returns how many
    complaints were unlinked."""
    if by is not None:
        permission_require(by, Permission.INCIDENT_MANAGE)
    reason = unlink_reason_clean(reason)
    released = 0
    while True:
        with transaction.atomic():
            # locked as resolving locks it: a withdrawal and a resolution never interleave
            current = Incident.objects.select_for_update().filter(pk=incident.pk).first()
            if current is None:
                return released
            if current.resolve_requested_at is not None:
                raise Conflict("incident.withdraw_resolving", title=current.title)
            links = list(IncidentLink.objects.filter(incident_id=incident.pk).order_by("pk")
                         .values_list("complaint_id", flat=True)[:chunk])
            for complaint_id in links:
                waited = incident_unlink_write(incident=incident, complaint=Complaint(pk=complaint_id), by=by,
                                               now=now, reason=reason)
                complaint_release(complaint_id, waited=waited, now=now)
            released += len(links)
            if not links:
                Incident.objects.filter(pk=incident.pk).delete()
                return released


def incident_resolve_run(*, incident_id: int, now: datetime, chunk: int = RESOLVE_CHUNK,
                         progress: Callable[[int], None] | None = None) -> int:
    """Close what the incident explains, ``chunk`` links at a time; returns how many this run closed."""
    done = 0
    while ids := closing_due(incident_id, chunk=chunk):
        done += incident_close_chunk(incident_id=incident_id, link_ids=ids, now=now)
        if progress is not None:
            progress(done)
    closing_finish(incident_id, now=now)
    return done


def incident_close_chunk(*, incident_id: int, link_ids: list[int], now: datetime) -> int:
    """One chunk of the closing, in one transaction; returns how many links it marked (0 when another
    run did them first)."""
    with transaction.atomic():
        incident, links = closing_chunk_claim(incident_id, link_ids)
        if not links:
            return 0
        complaints = list(
            Complaint.objects.select_for_update(of=("self",))
            .select_related("customer", "category", "assignee", "group__lead", "group__department__manager")
            .filter(pk__in=[link.complaint_id for link in links]).order_by("pk")
        )
        due = [c for c in complaints if c.status in OPEN and c.merged_into_id is None]
        if due:
            _close(incident, due, now=now)
        closing_chunk_done(incident_id, [link.pk for link in links], now=now)
    return len(links)


def _close(incident, due: list[Complaint], *, now: datetime) -> None:
    texts = {c.pk: incident_text(c, incident.closing_zh, incident.closing_en, None) for c in due}
    ref = {"id": incident.pk, "title": incident.title}
    drafts = replies_prepare(due, text_of=lambda c: texts[c.pk], now=now)
    replies_outbound_write(drafts)
    events: list[ComplaintEvent] = []
    steps: list[ComplaintEvent] = []
    for complaint, draft in zip(due, drafts, strict=True):
        if draft is not None:
            events.append(draft.event)
        # resolved and closed at the same instant; the SLA is recomputed once, after both
        resolved = lifecycle.resolve_by_incident(complaint, by=None, now=now, resolution=incident.closing_zh,
                                                 root_cause=incident.root_cause, incident=ref)
        closed = lifecycle.close(complaint, by=None, now=now)
        events += [resolved, closed]
        steps += [resolved, closed]
    # their timelines as they were, read before this chunk's events are written (then added in memory)
    timelines: dict[int, list[ComplaintEvent]] = {c.pk: [] for c in due}
    for event in ComplaintEvent.objects.filter(complaint_id__in=list(timelines)).order_by("complaint_id", "at", "id"):
        timelines[event.complaint_id].append(event)
    ComplaintEvent.objects.bulk_create(events)
    for event in events:
        timelines[event.complaint_id].append(event)
    # the same values for all (``lifecycle.resolve_by_incident``, ``lifecycle.close``); the handler who
    # resolved it is its assignee
    Complaint.objects.filter(pk__in=[c.pk for c in due]).update(
        status=Status.CLOSED, resolution=due[0].resolution, root_cause=due[0].root_cause, resolved_at=now,
        closed_at=now, updated_at=now, last_handler=F("assignee"))
    # one SLA pass over the chunk; its events and the survey invitations in one INSERT, its fields in one
    # prepared UPDATE
    batch = SlaBatch()
    for complaint in due:
        sla_refresh(complaint, now=now, events=timelines[complaint.pk], batch=batch)
    for event in steps:
        webhook_status_changed(event, now=now)
    for complaint in due:
        if complaint.channel in WEBHOOK_CHANNELS:
            webhook_emit(event_type=WebhookEvent.INCIDENT_MESSAGE, complaint=complaint, now=now, payload={
                "incident": ref, "kind": "resolution", "channel": complaint.channel, "text": texts[complaint.pk]})
    batch.events += aftercare_start_many(complaints=due, now=now)
    batch.write()
