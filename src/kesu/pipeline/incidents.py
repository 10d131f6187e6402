"""Closing the complaints of a resolved incident (ADR 0011): for each linked complaint that waits on
it, in its own transaction — the closing message on its channel, resolved with the incident's root
cause, closed (the survey and follow-up per the survey settings, the SLA, the webhooks) and marked.
The mark is written in the same transaction, so a run killed mid-way and run again answers every
customer exactly once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.db import transaction

from kesu.channels.webhooks_out import webhook_status_changed
from kesu.complaints import lifecycle
from kesu.complaints.actions import complaint_step
from kesu.complaints.models import Status
from kesu.incidents.actions import (
    RESOLVE_CHUNK,
    closing_claim,
    closing_done,
    closing_due,
    closing_finish,
    closing_send,
)
from kesu.pipeline.transitions import complaint_close

OPEN = (Status.NEW, Status.ASSIGNED, Status.IN_PROGRESS, Status.PENDING_CUSTOMER)


def incident_resolve_run(*, incident_id: int, now: datetime, chunk: int = RESOLVE_CHUNK,
                         progress: Callable[[int], None] | None = None) -> int:
    """Close what the incident explains, ``chunk`` links at a time; returns how many this run closed."""
    done = 0
    while ids := closing_due(incident_id, chunk=chunk):
        for link_id in ids:
            with transaction.atomic():
                link = closing_claim(link_id)
                if link is None:
                    continue
                complaint = link.complaint
                if complaint.status in OPEN:
                    closing_send(link, now=now)
                    incident = link.incident
                    # resolved and closed at the same instant: the SLA is recomputed once, by the closing
                    resolved, event = complaint_step(complaint, None, lifecycle.resolve_by_incident, now=now,
                                                     resolution=incident.closing_zh, root_cause=incident.root_cause,
                                                     incident={"id": incident.pk, "title": incident.title})
                    webhook_status_changed(event, now=now)
                    complaint_close(complaint=resolved, by=None, now=now)
                closing_done(link, now=now)
                done += 1
        if progress is not None:
            progress(done)
    closing_finish(incident_id, now=now)
    return done
