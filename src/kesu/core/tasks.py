"""Background jobs of the core: a heartbeat so /healthz can see the consumer."""

from __future__ import annotations

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, on_startup

from kesu.core.actions import heartbeat_record
from kesu.core.clock import clock_now


@db_task()
def heartbeat_now() -> None:
    heartbeat_record(name="consumer", now=clock_now())


@db_periodic_task(crontab(minute="*"))
def heartbeat_every_minute() -> None:
    heartbeat_record(name="consumer", now=clock_now())


@on_startup()
def heartbeat_on_start() -> None:
    """Beat as soon as a consumer starts, so /healthz need not wait a minute."""
    from django.db import close_old_connections

    close_old_connections()
    heartbeat_record(name="consumer", now=clock_now())
    close_old_connections()
