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


@db_periodic_task(crontab(minute="15", hour="2"))
def backup_every_day() -> None:
    """Back up at 02:15 (UTC, the scheduler's clock) every day and keep the newest ``KESU_BACKUP_KEEP`` (default 7) backups."""
    from kesu.privacy.backup import backup_daily

    # no task lock: a lock left by a killed run would stop every later backup (the SQLite job store
    # has no expiring keys); the tick claim (ticks.py) already runs the job once per tick

    try:
        created, deleted = backup_daily(now=clock_now())
    except ValueError as error:  # a bad KESU_BACKUP_KEEP: say so, keep every backup
        logger.error("daily backup not made: %s", error)
        return
    if created is not None:
        logger.info("daily backup %s written; %s older backups deleted", created.name, len(deleted))
