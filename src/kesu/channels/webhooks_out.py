"""Outbound webhooks: subscribers receive kesu's events as signed JSON, retried with back-off.

``webhook_emit`` records one ``WebhookDelivery`` per enabled subscriber of the event, in the
caller's transaction, and enqueues the sends after the commit (docs/architecture.md, "Side effects after commit"). A job sends one
delivery by id; the minute sweep sends what is due (retries, and any delivery whose job was lost).
A delivery is claimed with a conditional UPDATE, so two consumers never send it twice at once.

Each POST carries ``X-Kesu-Signature: sha256=<hex HMAC-SHA256 of "{timestamp}.{body}">``,
``X-Kesu-Timestamp`` (unix seconds), ``X-Kesu-Event`` and ``X-Kesu-Delivery`` (the delivery's
UUID: the same on every retry, for the subscriber to drop duplicates).

This module is imported by the complaint and SLA writers: it must not import them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import re
import secrets
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from collections.abc import Iterable
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F

from kesu.channels.destinations import destination_check
from kesu.channels.models import DeliveryState, WebhookDelivery, WebhookEvent, WebhookSubscriber
from kesu.complaints.models import Complaint, ComplaintEvent, EventKind
from kesu.core.bulk import rows_claim, rows_update
from kesu.core.configcache import config_cached
from kesu.core.errors import FieldError, FieldErrors, raise_not_permitted
from kesu.core.messages import given
from kesu.core.models import User
from kesu.core.retry import MAX_ATTEMPTS, backoff
from kesu.core.roles import Role

logger = logging.getLogger(__name__)

WEBHOOK_EDITORS = (Role.MANAGER, Role.ADMIN)
SECRET_ENV = re.compile(r"^KESU_WEBHOOK_[A-Z0-9_]{1,50}$")
SEND_LEASE = timedelta(minutes=5)
SEND_TIMEOUT = 10.0  # seconds for the subscriber to answer
SWEEP_CHUNK = 200
SWEEP_BUDGET = 45.0  # seconds one sweep may send for; it runs every minute
MAX_ERROR = 1000
USER_AGENT = "kesu-webhooks/1"


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>`` of HMAC-SHA256 over ``"{timestamp}.{body}"`` (the same scheme both ways)."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"



# ---- subscribers ------------------------------------------------------------------------------


def webhook_editor_check(by: User | None) -> None:
    if by is not None and not (by.is_active and (by.is_superuser or by.role in WEBHOOK_EDITORS)):
        raise_not_permitted(by, "permission.webhooks.configure")


def subscriber_validate(*, name: str, url: str, secret_env: str = "", events: Iterable[str] = ()) -> dict:
    """Check a subscriber's settings; return them cleaned. Raises FieldErrors naming every bad field."""
    errors: list[FieldError] = []
    clean = {"name": (name or "").strip(), "url": (url or "").strip(), "secret_env": (secret_env or "").strip(),
             "events": list(dict.fromkeys(events or ()))}
    if not clean["name"] or len(clean["name"]) > 64:
        errors.append(FieldError("name", "field.required") if not clean["name"]
                      else FieldError("name", "field.too_long", limit=64, got=len(clean["name"])))
    parts = urlsplit(clean["url"])
    if parts.scheme not in ("http", "https") or not parts.hostname or len(clean["url"]) > 500:
        errors.append(FieldError("url", "webhook.url", got=given(clean["url"])))
    else:
        try:
            destination_check(clean["url"], settings.KESU_WEBHOOK_ALLOWED_HOSTS, sending=False)
        except FieldError as error:
            errors.append(error)
    if clean["secret_env"] and not SECRET_ENV.match(clean["secret_env"]):
        errors.append(FieldError("secret_env", "field.env_name", prefix="KESU_WEBHOOK_",
                                 example="KESU_WEBHOOK_CRM_SECRET"))
    unknown = [e for e in clean["events"] if e not in WebhookEvent.values]
    if unknown:
        errors.append(FieldError("events", "field.unknown", value=given(unknown[0]), choices=list(WebhookEvent.values)))
    elif not clean["events"]:
        errors.append(FieldError("events", "webhook.no_events"))
    if errors:
        raise FieldErrors(errors)
    return clean


def subscriber_save(
    *, subscriber: WebhookSubscriber | None, by: User | None, now: datetime, name: str, url: str,
    secret_env: str = "", events: Iterable[str] = (), enabled: bool = True,
) -> tuple[WebhookSubscriber, str]:
    """Create (``subscriber=None``) or change a subscriber. Returns it and, when kesu generated a
    secret now (no ``secret_env``, none generated before), that secret: show it once."""
    webhook_editor_check(by)
    clean = subscriber_validate(name=name, url=url, secret_env=secret_env, events=events)
    with transaction.atomic():
        row = WebhookSubscriber(created_at=now) if subscriber is None else \
            WebhookSubscriber.objects.select_for_update().get(pk=subscriber.pk)
        if WebhookSubscriber.objects.filter(name=clean["name"]).exclude(pk=row.pk).exists():
            raise FieldError("name", "field.name_taken", name=clean["name"])
        for key, value in clean.items():
            setattr(row, key, value)
        generated = ""
        if not row.secret_env and not row.secret:
            generated = row.secret = secrets.token_urlsafe(32)
        row.enabled = enabled
        row.updated_at = now
        row.updated_by = by
        row.save()
    return row, generated


def subscriber_secret(subscriber: WebhookSubscriber) -> str:
    """The signing secret (from the environment variable when one is named). Raises FieldError."""
    if subscriber.secret_env:
        value = os.environ.get(subscriber.secret_env, "")
        if not value:
            raise FieldError("secret_env", "webhook.env_unset", name=subscriber.secret_env)
        return value
    if not subscriber.secret:
        raise FieldError("secret", "webhook.no_secret")
    return subscriber.secret


# ---- emitting ---------------------------------------------------------------------------------


def _iso(value: datetime | None) -> str | None:
    return value.isoformat().replace("+00:00", "Z") if value is not None else None


def complaint_summary(complaint: Complaint) -> dict:
    """What every event says about its complaint (ids and codes, no customer's personal data)."""
    return {
        "id": complaint.pk, "number": complaint.number, "status": complaint.status,
        "channel": complaint.channel, "severity": complaint.severity, "priority": complaint.priority,
        "category": complaint.category.code if complaint.category_id else None,
        "group": complaint.group.code if complaint.group_id else None,
        "assignee": complaint.assignee.username if complaint.assignee_id else None,
        "customer_id": complaint.customer_id, "red_channel": complaint.red_channel,
        "created_at": _iso(complaint.created_at), "updated_at": _iso(complaint.updated_at),
    }


def _subscribers_read() -> tuple[tuple[int, frozenset[str]], ...]:
    """The enabled subscribers and their events (cached per process, version "webhooks")."""
    return tuple((pk, frozenset(events or ())) for pk, events in
                 WebhookSubscriber.objects.filter(enabled=True).order_by("name").values_list("pk", "events"))


def webhook_emit(*, event_type: str, complaint: Complaint | None, payload: dict, now: datetime) -> list[int]:
    """Record a delivery of ``event_type`` for each enabled subscriber of it, in the caller's
    transaction; the sends are enqueued after the commit. ``payload``: what the event adds (JSON).
    Returns the deliveries' ids (none when nobody subscribed)."""
    if event_type not in WebhookEvent.values:
        raise ValueError(f"unknown webhook event {event_type!r}")
    subscribers = [pk for pk, events in config_cached("webhooks", _subscribers_read, part="subscribers")
                   if event_type in events]
    if not subscribers:
        return []
    body_base = {"type": event_type, "occurred_at": _iso(now),
                 "complaint": complaint_summary(complaint) if complaint is not None else None, "data": payload}
    deliveries = []
    for subscriber in subscribers:
        delivery_uuid = uuid.uuid4()
        deliveries.append(WebhookDelivery(
            subscriber_id=subscriber, uuid=delivery_uuid, event_type=event_type, complaint=complaint,
            payload={"id": str(delivery_uuid), **body_base}, next_attempt_at=now, created_at=now,
        ))
    if connection.features.can_return_rows_from_bulk_insert:  # PostgreSQL, SQLite ≥ 3.35: one INSERT
        WebhookDelivery.objects.bulk_create(deliveries)
    else:
        with transaction.atomic():
            for delivery in deliveries:  # one by one: the ids are needed
                delivery.save()
    ids = [d.pk for d in deliveries]
    transaction.on_commit(lambda: _enqueue(ids))
    return ids


def webhook_complaint_created(complaint: Complaint, *, now: datetime) -> None:
    """Called by ``complaint_create`` once the complaint is written."""
    webhook_emit(event_type=WebhookEvent.COMPLAINT_CREATED, complaint=complaint, payload={}, now=now)


def webhook_status_changed(event: ComplaintEvent, *, now: datetime) -> None:
    """Called after each complaint transition's event: emits when the status changed."""
    if event.from_status == event.to_status:
        return
    webhook_emit(
        event_type=WebhookEvent.COMPLAINT_STATUS_CHANGED, complaint=event.complaint, now=now,
        payload={"from_status": event.from_status, "to_status": event.to_status, "event": event.kind,
                 "event_id": event.pk},
    )


_SLA_EVENTS = {EventKind.SLA_WARNED: WebhookEvent.SLA_WARNED, EventKind.SLA_BREACHED: WebhookEvent.SLA_BREACHED}


def webhook_sla_due(complaint: Complaint, events: Iterable[ComplaintEvent], *, now: datetime) -> None:
    """Called by the SLA clocks with the events they are about to write: emits the warnings and
    breaches among them (each is written once, so each is emitted once)."""
    for event in events:
        if event.kind in _SLA_EVENTS:
            webhook_emit(event_type=_SLA_EVENTS[event.kind], complaint=complaint, now=now,
                         payload={"clocks": (event.data or {}).get("clocks", [])})


def _enqueue(delivery_ids: list[int]) -> None:
    """Hand the sends to the job queue. A job lost here is sent by the minute sweep."""
    from kesu.channels.tasks import webhook_send

    for delivery_id in delivery_ids:
        try:
            webhook_send(delivery_id)
        except Exception:
            logger.exception("could not enqueue webhook delivery %s; the minute sweep will send it", delivery_id)


# ---- sending ----------------------------------------------------------------------------------


class _SendFailed(Exception):
    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect could lead to an address the subscriber check refused: it is a failed delivery."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        raise urllib.error.HTTPError(req.full_url, code, f"redirect to {newurl} not followed", headers, fp)


_OPENER = urllib.request.build_opener(_NoRedirect)


def _post(url: str, body: bytes, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, data=body, method="POST", headers=headers)
    destination_check(url, settings.KESU_WEBHOOK_ALLOWED_HOSTS)  # again: a name may resolve elsewhere now
    try:
        with _OPENER.open(request, timeout=SEND_TIMEOUT) as response:
            return response.status
    except urllib.error.HTTPError as error:
        raise _SendFailed(f"the subscriber answered HTTP {error.code}", error.code) from error
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        raise _SendFailed(f"could not reach the subscriber: {reason}") from error


def webhook_attempt(*, delivery_id: int, now: datetime) -> str | None:
    """Claim a due delivery and try to send it; return its state after the attempt (None: it was
    not due, done already, or another worker has it)."""
    claimed = WebhookDelivery.objects.filter(
        pk=delivery_id, state=DeliveryState.PENDING, next_attempt_at__lte=now
    ).update(next_attempt_at=now + SEND_LEASE, attempts=F("attempts") + 1)
    if claimed != 1:
        return None
    delivery = WebhookDelivery.objects.select_related("subscriber").get(pk=delivery_id)
    state = _attempt(delivery, now)
    WebhookDelivery.objects.filter(pk=delivery.pk).update(**{name: getattr(delivery, name) for name in OUTCOME_FIELDS})
    return state


OUTCOME_FIELDS = ["state", "sent_at", "next_attempt_at", "last_status_code", "last_error"]


def _attempt(delivery: WebhookDelivery, now: datetime) -> str:
    """Send a claimed delivery; its outcome is set on it (``OUTCOME_FIELDS``) for the caller to write."""
    subscriber = delivery.subscriber
    try:
        if not subscriber.enabled:
            raise _SendFailed("the subscriber is disabled")
        body = json.dumps(delivery.payload, ensure_ascii=False, separators=(",", ":")).encode()
        timestamp = str(int(now.timestamp()))
        headers = {
            "Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT,
            "X-Kesu-Signature": signature(subscriber_secret(subscriber), timestamp, body),
            "X-Kesu-Timestamp": timestamp, "X-Kesu-Event": delivery.event_type,
            "X-Kesu-Delivery": str(delivery.uuid),
        }
        status = _post(subscriber.url, body, headers)
    except _SendFailed as error:
        return _failed(delivery, str(error), error.status, now)
    except FieldError as error:
        return _failed(delivery, error.message, None, now)
    except Exception as error:  # a bug must not stop the sweep; keep it for the record
        logger.exception("webhook delivery %s failed unexpectedly", delivery.pk)
        return _failed(delivery, f"{type(error).__name__}: {error}", None, now)
    delivery.state, delivery.sent_at, delivery.last_status_code, delivery.last_error = (
        DeliveryState.SENT, now, status, "")
    return DeliveryState.SENT


def _failed(delivery: WebhookDelivery, error: str, status: int | None, now: datetime) -> str:
    error = error[:MAX_ERROR]
    delivery.last_error, delivery.last_status_code = error, status
    if delivery.attempts >= MAX_ATTEMPTS:
        logger.warning("webhook delivery %s gave up after %s attempts: %s", delivery.pk, delivery.attempts, error)
        delivery.state = DeliveryState.FAILED
        return DeliveryState.FAILED
    retry_at = now + backoff(delivery.attempts)
    logger.info("webhook delivery %s failed (attempt %s), next try at %s: %s", delivery.pk, delivery.attempts,
                retry_at, error)
    delivery.next_attempt_at = retry_at
    return DeliveryState.PENDING


def webhooks_send_due(*, now: datetime, limit: int = SWEEP_CHUNK, budget: float = SWEEP_BUDGET) -> Counter:
    """Send the deliveries whose time has come, oldest first, ``limit`` at a time until none is left
    or ``budget`` seconds have passed (the rest waits for the next minute). A subscriber that cannot
    be reached (no answer, or a 5xx) is tried once per sweep: its other deliveries are left for the
    next one (``deferred``), so 10,000 deliveries to a subscriber that is down cost one timeout, not
    10,000. Returns how many ended in each state.

    In chunks (issue 16): a chunk is claimed in one UPDATE (only the rows still due), loaded in one
    query and its outcomes written ``FLUSH_EVERY`` at a time in one statement; a worker that dies
    re-sends at most those after the lease (the subscriber drops duplicates by X-Kesu-Delivery). The
    rows of a subscriber found down are given back as they were (their attempt not counted)."""
    counts: Counter = Counter()
    down: set[int] = set()
    started = time.monotonic()
    while time.monotonic() - started < budget:
        due = list(
            WebhookDelivery.objects.filter(state=DeliveryState.PENDING, next_attempt_at__lte=now)
            .exclude(subscriber_id__in=down)
            .order_by("next_attempt_at", "pk").values_list("pk", "subscriber_id", "next_attempt_at")[:limit]
        )
        if not due:
            break
        claimed = rows_claim(WebhookDelivery, [pk for pk, _s, _at in due], now=now, until=now + SEND_LEASE)
        loaded = {d.pk: d for d in WebhookDelivery.objects.select_related("subscriber").filter(pk__in=claimed)} \
            if claimed else {}
        settled: list[WebhookDelivery] = []
        released: list[WebhookDelivery] = []
        try:
            for delivery_id, subscriber_id, before in due:
                delivery = loaded.get(delivery_id)
                if delivery is None:  # another worker has it, or it is no longer due
                    continue
                if subscriber_id in down:
                    counts["deferred"] += 1
                    delivery.next_attempt_at, delivery.attempts = before, delivery.attempts - 1
                    released.append(delivery)
                    continue
                state = _attempt(delivery, now)
                settled.append(delivery)
                counts[state] += 1
                if state == DeliveryState.PENDING and (delivery.last_status_code is None
                                                       or delivery.last_status_code >= 500):
                    down.add(subscriber_id)  # no answer or a server error: not this delivery's fault
                if len(settled) >= FLUSH_EVERY:
                    _outcomes_write(settled)
                    settled = []
        finally:
            _outcomes_write(settled)
            with transaction.atomic():
                rows_update(WebhookDelivery, released, ["next_attempt_at", "attempts"])
    return counts


FLUSH_EVERY = 50  # outcomes written together


def _outcomes_write(deliveries: list[WebhookDelivery]) -> None:
    with transaction.atomic():
        rows_update(WebhookDelivery, deliveries, OUTCOME_FIELDS)


