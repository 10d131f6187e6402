"""The writers of notifications: notify people, mark notices read, set where a person is reached.

Outside deliveries (email, SMS) are only recorded here; they are sent by jobs after the commit
(``kesu.notifications.delivery``).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation

from kesu.core.errors import FieldError, NotPermitted
from kesu.core.messages import Message
from kesu.core.models import User
from kesu.notifications.models import ContactPoint, Delivery, DeliveryChannel, Notification
from kesu.notifications.worktime import WorkingTime

logger = logging.getLogger(__name__)

PHONE = re.compile(r"^\+?[0-9]{5,19}$")


def decay_period() -> timedelta:
    return timedelta(minutes=settings.KESU_NOTIFY_DECAY_MINUTES)


def sms_configured() -> bool:
    return bool(settings.KESU_SMS_WEBHOOK_URL)


def channels_for(user: User, contact: ContactPoint | None) -> list[str]:
    """The outside channels this person can receive now (given their address, number and opt-outs)."""
    channels = []
    if user.email and (contact is None or contact.email_enabled):
        channels.append(DeliveryChannel.EMAIL)
    if contact is not None and contact.phone and contact.sms_enabled and sms_configured():
        channels.append(DeliveryChannel.SMS)
    return channels


def _text_check(kind: str, key: str) -> None:
    if not kind or len(kind) > 32:
        raise FieldError("kind", "field.length", low=1, high=32)
    if not key or len(key) > 200:
        raise FieldError("key", "field.length", low=1, high=200)


def _body_messages(body: Message | Sequence[Message] | None) -> list[Message]:
    if body is None:
        return []
    return [body] if isinstance(body, Message) else list(body)


@dataclass(frozen=True)
class Notice:
    """One notice to write: ``notify``'s arguments, for writing many at once (``notify_many``)."""

    recipients: tuple[User, ...]
    kind: str
    title: Message
    body: tuple[Message, ...]
    key: str
    now: datetime
    complaint: Any = None
    urgent: bool = False
    attachment: str = ""


def notify(
    *,
    recipients: Iterable[User | None],
    kind: str,
    title: Message,
    body: Message | Sequence[Message] | None = None,
    key: str,
    now: datetime,
    complaint=None,
    urgent: bool = False,
    attachment: str = "",
) -> list[Notification]:
    """Tell each distinct active recipient, in the app and by email / SMS where they can receive it.

    A recipient who got a notification with the same ``key`` within the decay period
    (``KESU_NOTIFY_DECAY_MINUTES``) is skipped. Email and SMS wait for the recipient's next working
    time unless ``urgent`` (red channel); they are sent by jobs after the transaction commits.
    The title and body are message ids with parameters (``Message``), rendered in each reader's
    language when shown; a person's own words go in as ``Message("notification.text", text=…)``.
    ``attachment``: a file's path relative to the data folder, attached to the e-mail.
    Returns the notifications created.
    """
    return notify_many([notice_of(recipients=recipients, kind=kind, title=title, body=body, key=key, now=now,
                                  complaint=complaint, urgent=urgent, attachment=attachment)])


def notice_of(
    *,
    recipients: Iterable[User | None],
    kind: str,
    title: Message,
    body: Message | Sequence[Message] | None = None,
    key: str,
    now: datetime,
    complaint=None,
    urgent: bool = False,
    attachment: str = "",
) -> Notice:
    """A checked ``Notice`` (``notify``'s arguments), to be written by ``notify_many``."""
    _text_check(kind, key)
    people = tuple(user for user in recipients if user is not None)
    return Notice(recipients=people, kind=kind, title=title, body=tuple(_body_messages(body)), key=key, now=now,
                  complaint=complaint, urgent=urgent, attachment=attachment)


KEYS_PER_QUERY = 400


def notify_many(notices: Sequence[Notice]) -> list[Notification]:
    """Write many notices at once (``notify`` for each, in order, with the same outcome): the
    recipients locked once in id order, the decay checked in one query per 400 keys, then one
    INSERT for the notifications and one for their deliveries (the sweeps' bulk path)."""
    planned: list[tuple[Notice, dict[int, User]]] = []
    everyone: set[int] = set()
    for notice in notices:
        people: dict[int, User] = {}
        for user in notice.recipients:
            if user is not None and user.is_active and user.pk not in people:
                people[user.pk] = user
        if people:
            planned.append((notice, people))
            everyone.update(people)
    if not planned:
        return []
    with transaction.atomic():
        # two sweeps telling the same person at once queue here, so the decay check below sees the
        # other's notice (PostgreSQL; SQLite runs one writer at a time anyway)
        list(User.objects.select_for_update().filter(pk__in=sorted(everyone)).order_by("pk").values_list("pk"))
        latest = _latest(planned)
        rows: list[Notification] = []
        fresh_people: dict[int, User] = {}
        for notice, people in planned:
            since = notice.now - decay_period()
            fresh = [user for pk, user in people.items() if latest.get((pk, notice.key), since) <= since]
            if not fresh:
                continue
            for user in fresh:  # the same key to the same person later in the batch is skipped as well
                latest[(user.pk, notice.key)] = notice.now
            title_data, body_data = notice.title.as_data(), [line.as_data() for line in notice.body]
            with translation.override(settings.LANGUAGE_CODE):  # the stored wording: the centre's language
                title_text = str(notice.title)[:200]
                body_text = "\n".join(str(line) for line in notice.body)
            for user in fresh:
                fresh_people[user.pk] = user
                rows.append(Notification(
                    recipient=user, complaint=notice.complaint, kind=notice.kind, title=title_text, body=body_text,
                    title_message=title_data, body_message=body_data, key=notice.key, urgent=notice.urgent,
                    created_at=notice.now, attachment=notice.attachment,
                ))
        if not rows:
            return []
        created = Notification.objects.bulk_create(rows)
        fresh_ids = sorted(fresh_people)
        contacts = {c.user_id: c for c in ContactPoint.objects.filter(user_id__in=fresh_ids)}
        working = WorkingTime()  # everyone follows the default calendar: one load for the batch
        send_at: dict[datetime, datetime] = {}
        deliveries = []
        for notification in created:
            user = fresh_people[notification.recipient_id]
            channels = channels_for(user, contacts.get(user.pk))
            if not channels:
                continue
            at = notification.created_at
            if notification.urgent:
                when = at
            else:
                if at not in send_at:
                    send_at[at] = working.start(at)
                when = send_at[at]
            deliveries += [
                Delivery(notification=notification, channel=channel, not_before=when, next_attempt_at=when)
                for channel in channels
            ]
        if deliveries:
            Delivery.objects.bulk_create(deliveries)
            plan = [(d.pk, d.not_before) for d in deliveries]
            transaction.on_commit(lambda: _enqueue(plan))
    return created


def _latest(planned: list[tuple[Notice, dict[int, User]]]) -> dict[tuple[int, str], datetime]:
    """The latest notification per (recipient, key) of the batch within the decay period."""
    wanted: dict[str, tuple[set[int], datetime]] = {}
    for notice, people in planned:
        since = notice.now - decay_period()
        ids, earliest = wanted.get(notice.key, (set(), since))
        ids.update(people)
        wanted[notice.key] = (ids, min(earliest, since))
    latest: dict[tuple[int, str], datetime] = {}
    keys = list(wanted)
    for start in range(0, len(keys), KEYS_PER_QUERY):
        part = keys[start:start + KEYS_PER_QUERY]
        recipients = sorted(set().union(*(wanted[k][0] for k in part)))
        since = min(wanted[k][1] for k in part)
        rows = Notification.objects.filter(recipient_id__in=recipients, key__in=part, created_at__gt=since)
        for recipient_id, key, created_at in rows.values_list("recipient_id", "key", "created_at"):
            if (recipient_id, key) not in latest or latest[(recipient_id, key)] < created_at:
                latest[(recipient_id, key)] = created_at
    return latest


def _enqueue(plan: list[tuple[int, datetime]]) -> None:
    """Schedule each delivery for its time. A job lost here is picked up by the minute sweep."""
    from kesu.notifications.tasks import delivery_send

    for delivery_id, send_at in plan:
        try:
            delivery_send.schedule(args=(delivery_id,), eta=send_at)
        except Exception:  # the job store is down: the sweep (deliveries_due) sends it later
            logger.exception("could not enqueue delivery %s; the minute sweep will send it", delivery_id)


def notification_read(*, notification: Notification, by: User, now: datetime) -> Notification:
    """Mark one of ``by``'s notifications read (reading it again keeps the first time)."""
    if notification.recipient_id != by.pk:
        raise NotPermitted("notification.not_yours")
    if notification.read_at is None:
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now)
        notification.read_at = now
    return notification


def notifications_read_all(*, user: User, now: datetime) -> int:
    """Mark every unread notification of ``user`` read; returns how many were unread."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=now)


def contact_point_set(
    *,
    user: User,
    now: datetime,
    phone: str | None = None,
    email_enabled: bool | None = None,
    sms_enabled: bool | None = None,
) -> ContactPoint:
    """Set a person's mobile number and which outside channels they receive (``None``: unchanged)."""
    if phone is not None:
        phone = re.sub(r"[\s-]", "", phone)
        if phone and not PHONE.match(phone):
            raise FieldError("phone", "notification.phone")
    with transaction.atomic():
        contact, _created = ContactPoint.objects.select_for_update().get_or_create(
            user=user, defaults={"updated_at": now}
        )
        if phone is not None:
            contact.phone = phone
        if email_enabled is not None:
            contact.email_enabled = email_enabled
        if sms_enabled is not None:
            contact.sms_enabled = sms_enabled
        contact.updated_at = now
        contact.save()
    return contact
