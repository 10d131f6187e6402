"""The SLA sweep: every minute, in both modes (embedded and distributed)."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from kesu.core.clock import clock_now
from kesu.sla.actions import sla_sweep

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
@lock_task("sla-sweep")
def sla_sweep_every_minute() -> None:
    """Act on what fell due. The Huey lock keeps two consumers of one job store from sweeping at the
    same moment; the sweep is safe without it too (rows are locked, records are read back)."""
    result = sla_sweep(now=clock_now())
    if result.looked_at:
        logger.info("SLA sweep: %s complaints, %s events", result.looked_at, result.recorded)
