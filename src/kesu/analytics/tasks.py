"""The rollup job: every minute, count the events not yet counted (so dashboards lag ≤ 1 minute),
then check the KPI targets of the current week and month and tell the owners of a crossed one."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, lock_task

from kesu.core.clock import clock_now

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
@lock_task("analytics-rollup")
def analytics_rollup_every_minute() -> None:
    from kesu.analytics.actions import kpi_alerts_check, rollup_update

    now = clock_now()
    result = rollup_update(now=now)
    if result.events or result.surveys_answered:
        logger.info("rollups: %s events, %s answers", result.events, result.surveys_answered)
    kpi_alerts_check(now=now)


@db_periodic_task(crontab(minute="10", hour="*"))
@lock_task("analytics-reports")
def analytics_reports_hourly() -> None:
    """Write the daily / weekly / monthly reports whose period has ended (once each)."""
    from kesu.analytics.reports import reports_due

    for page in reports_due(now=clock_now()):
        logger.info("report written: %s", page)
