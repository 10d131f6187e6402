"""Background job of surveys: the one reminder of unanswered surveys, checked every ten minutes."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from kesu.core.clock import clock_now
from kesu.surveys.actions import surveys_remind_due

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*/10"))
def surveys_remind() -> None:
    sent = surveys_remind_due(now=clock_now())
    if sent:
        logger.info("sent %s survey reminders", sent)
