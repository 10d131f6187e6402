"""Sending: email to a real SMTP server, SMS to a real HTTP webhook, retries with back-off, giving up,
and one failing channel never holding up the other."""

from __future__ import annotations

import hashlib
import hmac
from datetime import timedelta

import pytest

from kesu.core.messages import Message
from kesu.core.roles import Role
from kesu.notifications.actions import contact_point_set, notify
from kesu.notifications.delivery import LEASE, MAX_ATTEMPTS, deliveries_send_due, delivery_attempt
from kesu.notifications.models import Delivery
from tests.factories import T0, make_complaint, make_user
from tests.notifications.conftest import SECRET, use_sms, use_smtp
from tests.notifications.servers import WebhookServer

pytestmark = pytest.mark.django_db

MINUTE = timedelta(minutes=1)


def _notify(recipients, *, now=T0, urgent=False, complaint=None, key="sla:7:resolution:breached:1"):
    return notify(
        recipients=recipients, kind="sla_breached", title=Message("notification.text", text="投诉 已超时"), body=Message("notification.text", text="请立即处理。\n第二行"),
        key=key, now=now, complaint=complaint, urgent=urgent,
    )


def _delivery(notification, channel: str) -> Delivery:
    return notification.deliveries.get(channel=channel)


def test_an_email_reaches_the_smtp_server(smtp, settings, lead):
    settings.KESU_SMS_WEBHOOK_URL = ""
    complaint = make_complaint()
    (notification,) = _notify([lead], complaint=complaint)

    outcome = delivery_attempt(delivery_id=_delivery(notification, "email").pk, now=T0)

    assert outcome.state == "sent"
    (message,) = smtp.messages
    assert message.recipients == ["lead1@centre.example"]
    assert message.sender == "kesu@centre.example"
    assert message.subject == "投诉 已超时"
    assert "请立即处理。\n第二行" in message.body
    assert complaint.number in message.body
    delivery = _delivery(notification, "email")
    assert (delivery.state, delivery.attempts, delivery.sent_at, delivery.last_error) == ("sent", 1, T0, "")


def test_an_sms_reaches_the_webhook_signed(sms, settings, lead):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    complaint = make_complaint()
    (notification,) = _notify([lead], complaint=complaint, urgent=True)

    outcome = delivery_attempt(delivery_id=_delivery(notification, "sms").pk, now=T0)

    assert outcome.state == "sent"
    (request,) = sms.requests
    assert request.path == "/sms"
    assert request.headers["Content-Type"].startswith("application/json")
    payload = request.json()
    assert payload["to"] == "13800000001"
    assert payload["text"] == "投诉 已超时\n请立即处理。\n第二行"
    assert payload["urgent"] is True
    assert payload["kind"] == "sla_breached"
    assert payload["complaint"] == complaint.number
    assert payload["notification_id"] == notification.pk
    expected = hmac.new(SECRET.encode(), request.body, hashlib.sha256).hexdigest()
    assert request.headers["X-Kesu-Signature"] == f"sha256={expected}"
    assert request.headers["X-Kesu-Delivery"] == str(_delivery(notification, "sms").pk)


def test_a_signature_made_with_another_secret_does_not_match(sms, lead):
    (notification,) = _notify([lead], urgent=True)

    delivery_attempt(delivery_id=_delivery(notification, "sms").pk, now=T0)

    (request,) = sms.requests
    forged = hmac.new(b"another secret", request.body, hashlib.sha256).hexdigest()
    assert request.headers["X-Kesu-Signature"] != f"sha256={forged}"


def test_a_webhook_answering_500_is_retried_after_the_back_off(settings, lead):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with WebhookServer(statuses=[500]) as gateway:
        use_sms(settings, gateway.url)
        (notification,) = _notify([lead], urgent=True)
        sms_id = _delivery(notification, "sms").pk

        # when the first sweep meets a 500
        deliveries_send_due(now=T0)

        # then the SMS waits a minute, with the error kept
        delivery = Delivery.objects.get(pk=sms_id)
        assert (delivery.state, delivery.attempts) == ("pending", 1)
        assert delivery.next_attempt_at == T0 + MINUTE
        assert "HTTP 500" in delivery.last_error and "gateway error" in delivery.last_error

        # and a sweep before then does not try again
        deliveries_send_due(now=T0 + 30 * timedelta(seconds=1))
        assert len(gateway.requests) == 1

        # and the sweep a minute later sends it
        deliveries_send_due(now=T0 + MINUTE)
        assert len(gateway.requests) == 2
        delivery.refresh_from_db()
        assert (delivery.state, delivery.attempts, delivery.sent_at) == ("sent", 2, T0 + MINUTE)
        assert delivery.last_error == ""


def test_an_unreachable_webhook_backs_off_then_gives_up_while_the_email_goes(smtp, settings, dead_port, lead):
    use_sms(settings, f"http://127.0.0.1:{dead_port}/sms")
    (notification,) = _notify([lead], urgent=True)
    sms_id = _delivery(notification, "sms").pk

    # the first sweep sends the email and fails the SMS
    now = T0
    deliveries_send_due(now=now)
    assert len(smtp.messages) == 1
    assert _delivery(notification, "email").state == "sent"

    # then each retry waits twice as long as the one before, at most an hour
    waits = []
    while (delivery := Delivery.objects.get(pk=sms_id)).state == "pending":
        waits.append(delivery.next_attempt_at - now)
        now = delivery.next_attempt_at
        deliveries_send_due(now=now)
    assert [w // MINUTE for w in waits] == [1, 2, 4, 8, 16, 32, 60]

    # and after the last attempt it gives up, keeping the reason
    assert delivery.state == "failed"
    assert delivery.attempts == MAX_ATTEMPTS
    assert "could not be reached" in delivery.last_error
    assert len(smtp.messages) == 1  # the email was sent once only


def test_a_dead_mail_server_is_recorded_and_the_sms_still_goes(sms, settings, dead_port, lead):
    use_smtp(settings, dead_port)
    (notification,) = _notify([lead], urgent=True)

    counts = deliveries_send_due(now=T0)

    assert counts == {"sent": 1, "pending": 1}
    assert len(sms.requests) == 1
    email = _delivery(notification, "email")
    assert (email.state, email.attempts, email.next_attempt_at) == ("pending", 1, T0 + MINUTE)
    assert "ConnectionRefusedError" in email.last_error


def test_a_channel_found_down_is_not_tried_again_in_the_same_sweep(sms, settings, dead_port, lead):
    # given the mail server is down and three people are to be told
    use_smtp(settings, dead_port)
    others = []
    for number in range(2):
        user = make_user(Role.HANDLER, f"h{number}", email=f"h{number}@centre.example")
        contact_point_set(user=user, phone=f"1390000000{number}", now=T0)
        others.append(user)
    _notify([lead, *others], urgent=True)

    # when a sweep runs
    counts = deliveries_send_due(now=T0)

    # then one email found the server down, the two others wait for the next sweep untouched,
    # and every SMS went
    assert counts == {"sent": 3, "pending": 1, "deferred": 2}
    assert len(sms.requests) == 3
    emails = Delivery.objects.filter(channel="email").order_by("pk")
    assert [e.attempts for e in emails] == [1, 0, 0]


def test_a_person_who_lost_their_address_is_skipped(smtp, settings, lead):
    settings.KESU_SMS_WEBHOOK_URL = ""
    (notification,) = _notify([lead], urgent=True)
    lead.email = ""
    lead.save()

    deliveries_send_due(now=T0)

    delivery = _delivery(notification, "email")
    assert delivery.state == "skipped"
    assert delivery.last_error == "the recipient has no email address"
    assert smtp.messages == []


def test_a_person_who_turned_sms_off_after_the_notice_is_not_sent_one(sms, settings, lead):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    (notification,) = _notify([lead], urgent=True)
    contact_point_set(user=lead, sms_enabled=False, now=T0)

    deliveries_send_due(now=T0)

    assert _delivery(notification, "sms").state == "skipped"
    assert sms.requests == []


def test_a_delivery_is_sent_once_however_often_it_is_asked(smtp, settings, lead):
    settings.KESU_SMS_WEBHOOK_URL = ""
    (notification,) = _notify([lead], urgent=True)
    email_id = _delivery(notification, "email").pk

    first = delivery_attempt(delivery_id=email_id, now=T0)
    again = delivery_attempt(delivery_id=email_id, now=T0 + MINUTE)
    deliveries_send_due(now=T0 + 2 * MINUTE)

    assert first.state == "sent" and again is None
    assert len(smtp.messages) == 1


def test_a_delivery_whose_consumer_died_is_taken_again_after_the_lease(smtp, settings, lead):
    # given a consumer claimed the email and died before sending it
    from kesu.notifications.delivery import delivery_claim

    settings.KESU_SMS_WEBHOOK_URL = ""
    (notification,) = _notify([lead], urgent=True)
    email_id = _delivery(notification, "email").pk
    assert delivery_claim(delivery_id=email_id, now=T0)

    # then nobody sends it while the lease runs
    deliveries_send_due(now=T0 + LEASE - MINUTE)
    assert smtp.messages == []

    # and the sweep sends it once the lease is over
    deliveries_send_due(now=T0 + LEASE)
    assert len(smtp.messages) == 1
    assert Delivery.objects.get(pk=email_id).attempts == 2


def test_a_retry_that_would_fall_after_hours_waits_for_the_next_working_period(settings, dead_port, lead):
    settings.KESU_SMS_WEBHOOK_URL = ""
    use_smtp(settings, dead_port)
    friday_before_six = T0 + timedelta(days=4, hours=8, minutes=59, seconds=30)  # Friday 17:59:30
    (notification,) = _notify([lead], now=friday_before_six)

    deliveries_send_due(now=friday_before_six)

    delivery = _delivery(notification, "email")
    assert delivery.attempts == 1
    assert delivery.next_attempt_at == T0 + timedelta(days=7)  # Monday 09:00, not Friday 18:00:30


def test_an_urgent_retry_keeps_its_back_off_at_night(settings, dead_port, lead):
    settings.KESU_SMS_WEBHOOK_URL = ""
    use_smtp(settings, dead_port)
    night = T0 + timedelta(hours=14)  # Monday 23:00
    (notification,) = _notify([lead], now=night, urgent=True)

    deliveries_send_due(now=night)

    assert _delivery(notification, "email").next_attempt_at == night + MINUTE


def test_the_sweep_sends_a_chunk_with_queries_that_do_not_grow_with_it(smtp, settings, lead):
    # given 3, then 12 people to be told by e-mail
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    settings.KESU_SMS_WEBHOOK_URL = ""
    few = [make_user(Role.HANDLER, f"f{n}", email=f"f{n}@centre.example") for n in range(3)]
    many = [make_user(Role.HANDLER, f"m{n}", email=f"m{n}@centre.example") for n in range(12)]
    _notify(few, urgent=True, key="chunk:few")
    with CaptureQueriesContext(connection) as for_few:
        assert deliveries_send_due(now=T0) == {"sent": 3}
    _notify(many, urgent=True, key="chunk:many")
    # when the sweep sends them
    with CaptureQueriesContext(connection) as for_many:
        assert deliveries_send_due(now=T0 + MINUTE) == {"sent": 12}
    # then each went once, and four times as many cost no more queries
    assert sorted(r for m in smtp.messages for r in m.recipients) == sorted(u.email for u in [*few, *many])
    assert len(for_many.captured_queries) == len(for_few.captured_queries)
    assert set(Delivery.objects.values_list("state", "attempts")) == {("sent", 1)}


def test_a_delivery_another_consumer_claims_while_the_sweep_reads_its_chunk_is_not_sent_twice(
        smtp, settings, lead, monkeypatch):
    # given two people to be told, and another consumer that claims the first e-mail just after the
    # sweep read its chunk (between its SELECT and its claim)
    from kesu.core import bulk
    from kesu.notifications import delivery as module

    settings.KESU_SMS_WEBHOOK_URL = ""
    other = make_user(Role.HANDLER, "o1", email="o1@centre.example")
    _notify([lead, other], urgent=True)
    first, second = Delivery.objects.order_by("pk")
    real_claim = bulk.rows_claim

    def raced(model, ids, **kwargs):
        assert module.delivery_claim(delivery_id=first.pk, now=T0)
        return real_claim(model, ids, **kwargs)

    monkeypatch.setattr(module, "rows_claim", raced)
    # when the sweep runs
    counts = deliveries_send_due(now=T0)
    # then it sent only the second; the first is the other consumer's (claimed once, not sent here)
    assert counts == {"sent": 1}
    assert [r for m in smtp.messages for r in m.recipients] == [other.email]
    assert Delivery.objects.get(pk=first.pk).attempts == 1 and Delivery.objects.get(pk=first.pk).state == "pending"
