"""Background jobs of the channels: poll the mailboxes every minute, send replies and webhooks."""

from __future__ import annotations

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from kesu.channels.polling import channels_poll
from kesu.channels.replies import outbound_attempt, outbound_send_due
from kesu.channels.webhooks_out import webhook_attempt, webhooks_send_due
from kesu.core.clock import clock_now

logger = logging.getLogger(__name__)


@db_periodic_task(crontab(minute="*"))
def mailboxes_poll() -> None:
    """Fetch new mail from every enabled mailbox (the same as `kesu channels poll`)."""
    for result in channels_poll(now=clock_now()):
        if result.error or result.fetched:
            logger.info("%s", result.line())


@db_task()
def outbound_send(outbound_id: int) -> None:
    """Enqueued after the commit of a reply; sends it at once."""
    outbound_attempt(outbound_id=outbound_id, now=clock_now())


@db_periodic_task(crontab(minute="*"))
def outbound_due() -> None:
    """Send what is due: retries after a failure, and any reply whose job was lost."""
    outbound_send_due(now=clock_now())


@db_task()
def webhook_send(delivery_id: int) -> None:
    """Enqueued after the commit of an event a subscriber wants; sends it at once."""
    webhook_attempt(delivery_id=delivery_id, now=clock_now())


@db_periodic_task(crontab(minute="*"))
def webhooks_due() -> None:
    """Send the webhook deliveries that are due: retries, and any whose job was lost."""
    webhooks_send_due(now=clock_now())
