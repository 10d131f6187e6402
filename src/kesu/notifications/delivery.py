"""Sending deliveries: claim one, send it, record the outcome; and the sweep of what is due.

A delivery is claimed with a conditional UPDATE (``state = pending AND next_attempt_at <= now``)
that pushes ``next_attempt_at`` forward by a lease and counts the attempt, so two consumers never
send the same delivery; one whose consumer died is taken again when the lease runs out. Nothing is
held locked while a message is on its way. A failure is retried after 1, 2, 4, 8 … minutes (at
most an hour apart) until ``MAX_ATTEMPTS``, then the delivery is ``failed`` with its last error.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import translation

from kesu.core.bulk import rows_claim, rows_update
from kesu.core.messages import Message
from kesu.core.retry import MAX_ATTEMPTS, backoff
from kesu.notifications.actions import sms_configured
from kesu.notifications.models import ContactPoint, Delivery, DeliveryChannel, DeliveryState
from kesu.notifications.transports import ChannelDown, SendFailed, email_send, sms_send
from kesu.notifications.worktime import WorkingTime

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
SWEEP_CHUNK = 500
SWEEP_BUDGET = 45.0  # seconds one sweep may send for; it runs every minute
SMS_TEXT_LIMIT = 500



@dataclass(frozen=True)
class Outcome:
    state: str  # the delivery's state after the attempt (pending: it will be tried again)
    error: str = ""
    channel_down: bool = False


def delivery_claim(*, delivery_id: int, now: datetime) -> bool:
    """Take a due delivery for one attempt. False when it is not due, done, or taken by another."""
    claimed = Delivery.objects.filter(
        pk=delivery_id, state=DeliveryState.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + LEASE, attempts=F("attempts") + 1)
    return claimed == 1


def _skip_reason(delivery: Delivery) -> str:
    """Why this delivery cannot be sent at all any more (empty: it can)."""
    user = delivery.notification.recipient
    try:
        contact: ContactPoint | None = user.contact_point
    except ContactPoint.DoesNotExist:
        contact = None
    if not user.is_active:
        return "the recipient is no longer active"
    if delivery.channel == DeliveryChannel.EMAIL:
        if not user.email:
            return "the recipient has no email address"
        if contact is not None and not contact.email_enabled:
            return "the recipient turned email notices off"
    else:
        if contact is None or not contact.phone:
            return "the recipient has no mobile phone number"
        if not contact.sms_enabled:
            return "the recipient turned SMS notices off"
        if not sms_configured():
            return "the SMS webhook is not configured (KESU_SMS_WEBHOOK_URL)"
    return ""


def _email_body(delivery: Delivery) -> str:
    notification = delivery.notification
    body = notification.body_text
    lines = [body] if body else []
    if notification.complaint is not None:
        lines.append(str(Message("notice.complaint", number=notification.complaint.number)))
    return "\n\n".join(lines)


def _attachments(notification) -> list:
    """The notification's attachment, if it is still a file inside the data folder."""
    from pathlib import Path

    if not notification.attachment:
        return []
    root = Path(settings.KESU_DATA_DIR).resolve()
    path = (root / notification.attachment).resolve()
    return [path] if path.is_relative_to(root) and path.is_file() else []


def _sms_payload(delivery: Delivery, now: datetime) -> dict:
    notification = delivery.notification
    title, body = notification.title_text, notification.body_text
    text = title if not body else f"{title}\n{body}"
    return {
        "to": notification.recipient.contact_point.phone,
        "text": text[:SMS_TEXT_LIMIT],
        "kind": notification.kind,
        "urgent": notification.urgent,
        "complaint": notification.complaint.number if notification.complaint is not None else None,
        "notification_id": notification.pk,
        "delivery_id": delivery.pk,
        "sent_at": now.isoformat(),
    }


def _send(delivery: Delivery, now: datetime) -> None:
    # outside the app a notice is worded in the centre's language (a job has no reader's language)
    with translation.override(settings.LANGUAGE_CODE):
        _send_worded(delivery, now)


def _send_worded(delivery: Delivery, now: datetime) -> None:
    notification = delivery.notification
    if delivery.channel == DeliveryChannel.EMAIL:
        email_send(to=notification.recipient.email, subject=notification.title_text, body=_email_body(delivery),
                   attachments=_attachments(notification))
    else:
        sms_send(payload=_sms_payload(delivery, now), delivery_id=delivery.pk)


def _finish(delivery: Delivery, **fields) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(**fields)
    _settle(delivery, **fields)


def _settle(delivery: Delivery, **fields) -> None:
    """The outcome in memory only: the sweep writes a chunk's outcomes together (``OUTCOME_FIELDS``)."""
    for name, value in fields.items():
        setattr(delivery, name, value)


def _loaded():
    return Delivery.objects.select_related("notification__recipient__contact_point", "notification__complaint")


def delivery_attempt(*, delivery_id: int, now: datetime, working: WorkingTime | None = None) -> Outcome | None:
    """Claim one delivery and try to send it. None when it was not due or another consumer has it."""
    if not delivery_claim(delivery_id=delivery_id, now=now):
        return None
    delivery = _loaded().get(pk=delivery_id)
    return _attempt(delivery, now=now, working=working or WorkingTime(), finish=_finish)


def _attempt(delivery: Delivery, *, now: datetime, working: WorkingTime, finish: Callable[..., None]) -> Outcome:
    """Send a claimed delivery; ``finish`` records the outcome (at once, or in memory for the sweep)."""
    reason = _skip_reason(delivery)
    if reason:
        finish(delivery, state=DeliveryState.SKIPPED, last_error=reason)
        return Outcome(DeliveryState.SKIPPED, reason)
    try:
        _send(delivery, now)
    except SendFailed as error:
        return _failed(delivery, error, now=now, working=working, finish=finish)
    except Exception as error:  # a bug in one delivery must not stop the sweep; keep it for the record
        logger.exception("delivery %s failed unexpectedly", delivery.pk)
        return _failed(delivery, error, now=now, working=working, finish=finish)
    finish(delivery, state=DeliveryState.SENT, sent_at=now, last_error="")
    return Outcome(DeliveryState.SENT)


def _failed(delivery: Delivery, error: Exception, *, now: datetime, working: WorkingTime,
            finish: Callable[..., None]) -> Outcome:
    message = str(error) or type(error).__name__
    down = isinstance(error, ChannelDown)
    if delivery.attempts >= MAX_ATTEMPTS:
        logger.warning("delivery %s gave up after %s attempts: %s", delivery.pk, delivery.attempts, message)
        finish(delivery, state=DeliveryState.FAILED, last_error=message)
        return Outcome(DeliveryState.FAILED, message, down)
    retry_at = now + backoff(delivery.attempts)
    if not delivery.notification.urgent:
        retry_at = working.start(retry_at)
    logger.info("delivery %s failed (attempt %s), next try at %s: %s", delivery.pk, delivery.attempts, retry_at, message)
    finish(delivery, next_attempt_at=retry_at, last_error=message)
    return Outcome(DeliveryState.PENDING, message, down)


def deliveries_send_due(*, now: datetime, limit: int = SWEEP_CHUNK, budget: float = SWEEP_BUDGET) -> Counter:
    """Send the deliveries whose time has come (the oldest first, ``limit`` at a time, until none is
    left or ``budget`` seconds have passed: the rest waits for the next minute).

    Catches what a lost or delayed job did not send, and the retries. A channel found unreachable
    is not tried again in this sweep, so it never holds up the other channel (an SMTP outage with
    10,000 e-mails due costs one failed connection per sweep). Returns how many ended in each state
    (``pending``: will be retried; ``deferred``: left for the next sweep).

    In chunks (issue 16): a chunk is claimed in one UPDATE (only the rows still due: another
    consumer's are not taken), loaded in one query, and its outcomes written ``FLUSH_EVERY`` at a
    time in one statement — a consumer that dies re-sends at most those after the lease, as one that
    died between sending and recording always did. The rows of a channel found down are given back
    as they were (their attempt not counted).
    """
    counts: Counter = Counter()
    down: set[str] = set()
    working = WorkingTime()
    started = time.monotonic()
    while time.monotonic() - started < budget:
        due = list(
            Delivery.objects.filter(state=DeliveryState.PENDING, next_attempt_at__lte=now)
            .exclude(channel__in=down)
            .order_by("next_attempt_at", "pk")
            .values_list("pk", "channel", "next_attempt_at")[:limit]
        )
        if not due:
            break
        claimed = rows_claim(Delivery, [pk for pk, _channel, _at in due], now=now, until=now + LEASE)
        loaded = {d.pk: d for d in _loaded().filter(pk__in=claimed)} if claimed else {}
        settled: list[Delivery] = []
        released: list[Delivery] = []
        try:
            for delivery_id, channel, before in due:
                delivery = loaded.get(delivery_id)
                if delivery is None:  # another consumer has it, or it is no longer due
                    continue
                if channel in down:
                    counts["deferred"] += 1
                    delivery.next_attempt_at, delivery.attempts = before, delivery.attempts - 1
                    released.append(delivery)
                    continue
                outcome = _attempt(delivery, now=now, working=working, finish=_settle)
                settled.append(delivery)
                counts[outcome.state] += 1
                if outcome.channel_down:
                    down.add(channel)
                if len(settled) >= FLUSH_EVERY:
                    _outcomes_write(settled)
                    settled = []
        finally:
            _outcomes_write(settled)
            with transaction.atomic():
                rows_update(Delivery, released, ["next_attempt_at", "attempts"])
    return counts


OUTCOME_FIELDS = ["state", "next_attempt_at", "last_error", "sent_at"]
FLUSH_EVERY = 50  # outcomes written together


def _outcomes_write(deliveries: list[Delivery]) -> None:
    with transaction.atomic():
        rows_update(Delivery, deliveries, OUTCOME_FIELDS)
