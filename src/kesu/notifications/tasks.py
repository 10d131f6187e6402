"""Background jobs of notifications: send one delivery at its time, and a sweep every minute."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from kesu.core.clock import clock_now
from kesu.notifications.delivery import deliveries_send_due, delivery_attempt


@db_task()
def delivery_send(delivery_id: int) -> None:
    """Scheduled by ``notify`` for the delivery's ``not_before``; does nothing if it is not due."""
    delivery_attempt(delivery_id=delivery_id, now=clock_now())


@db_periodic_task(crontab(minute="*"))
def deliveries_due() -> None:
    """Send what is due: retries, and any delivery whose scheduled job was lost."""
    deliveries_send_due(now=clock_now())
