"""Background jobs of the core: a heartbeat so /healthz can see the consumer."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from kesu.core.actions import heartbeat_record
from kesu.core.clock import clock_now


@db_task()
def heartbeat_now() -> None:
    heartbeat_record(name="consumer", now=clock_now())


@db_periodic_task(crontab(minute="*"))
def heartbeat_every_minute() -> None:
    heartbeat_record(name="consumer", now=clock_now())
