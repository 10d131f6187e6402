"""Incident jobs: push a public update, resolve in chunks, the sweep that finishes either when a job
was lost, and burst detection every 5 minutes."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from kesu.core.clock import clock_now
from kesu.incidents.actions import incident_push
from kesu.incidents.bursts import bursts_detect
from kesu.incidents.models import Incident, IncidentLink, State
from kesu.pipeline.incidents import incident_resolve_run

logger = logging.getLogger(__name__)


@db_task()
def incident_push_job(incident_id: int) -> None:
    incident_push(incident_id=incident_id, now=clock_now())


@db_task()
def incident_resolve_job(incident_id: int) -> None:
    incident_resolve_run(incident_id=incident_id, now=clock_now())


@db_periodic_task(crontab(minute="*"))
def incidents_sweep() -> None:
    """Finish what a lost or killed job left: resolutions not done, updates not pushed."""
    now = clock_now()
    for incident_id in Incident.objects.filter(state=State.RESOLVED, resolved_at__isnull=True) \
            .values_list("pk", flat=True):
        incident_resolve_run(incident_id=incident_id, now=now)
    for incident_id in Incident.objects.exclude(state=State.RESOLVED).values_list("pk", flat=True):
        if IncidentLink.objects.filter(incident_id=incident_id, waits=True, closed_by_incident_at__isnull=True,
                                       answered_version__lt=Incident.objects.filter(pk=incident_id)
                                       .values("version")[:1]).exists():
            incident_push(incident_id=incident_id, now=now)


@db_periodic_task(crontab(minute="*/5"))
def bursts_detect_job() -> None:
    """Burst detection every 5 minutes (the same as `kesu incidents detect`)."""
    result = bursts_detect(now=clock_now())
    if result.created:
        logger.info("burst detection: %s new suggestions", len(result.created))
