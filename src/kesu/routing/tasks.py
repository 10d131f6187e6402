"""Waiting complaints find a handler: every minute, hand out what waits in automatically assigning groups
(a handler came online, resolved something, or moved a complaint to "pending customer")."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from kesu.core.clock import clock_now
from kesu.routing.actions import waiting_assign_all

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
@lock_task("routing-waiting")
def routing_waiting_every_minute() -> None:
    """Safe without the Huey lock too: groups and handlers are locked as at intake."""
    assigned = waiting_assign_all(now=clock_now())
    if assigned:
        logger.info("routing: %s waiting complaints assigned", assigned)
