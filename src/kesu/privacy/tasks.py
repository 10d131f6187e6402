"""The daily retention run (off until a policy is enabled), in chunks."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task, lock_task

from kesu.core.clock import clock_now
from kesu.privacy.retention import retention_sweep

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="30", hour="3"))
@lock_task("privacy-retention")
def retention_daily() -> None:
    retention_chunk()


@db_task()
def retention_next_chunk() -> None:
    retention_chunk()


def retention_chunk() -> None:
    report = retention_sweep(now=clock_now())
    if report.complaints:
        logger.info("retention: %s complaints anonymised (%s rows, %s files)", report.complaints, report.rows,
                    report.files)
    if report.more:
        retention_next_chunk()
