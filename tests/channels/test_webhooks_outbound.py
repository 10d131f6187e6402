"""Outbound webhooks against a real HTTP server on loopback: events are recorded for their
subscribers in the writer's transaction, signed, sent after the commit, retried with back-off, given
up after eight attempts, and never sent twice by two sweeps at once."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.db import connection, connections, transaction

from kesu.channels.models import DeliveryState, WebhookDelivery
from kesu.channels.webhooks_out import (
    MAX_ATTEMPTS,
    subscriber_save,
    webhook_attempt,
    webhook_emit,
    webhooks_send_due,
)
from kesu.core.errors import FieldError
from kesu.core.roles import Role
from kesu.pipeline.transitions import complaint_assign
from kesu.sla.actions import sla_sweep
from tests.channels.servers import free_port
from tests.factories import T0, make_complaint, make_group, make_user

SECRET = "subscriber-secret-1"
SECRET_ENV = "KESU_WEBHOOK_CRM_SECRET"


class Receiver:
    """A real HTTP server that records every POST and answers with the statuses it is told, in turn
    (then 200)."""

    def __init__(self, statuses: tuple[int, ...] = ()) -> None:
        self.statuses = list(statuses)
        self.received: list[dict] = []
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.lock:
                    receiver.received.append({"headers": dict(self.headers), "body": body})
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/kesu"

    def __enter__(self) -> Receiver:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    with Receiver() as server:
        yield server


def subscribe(url: str, events=("complaint.created", "complaint.status_changed"), **overrides):
    fields = {"name": "crm", "url": url, "secret_env": SECRET_ENV, "events": events}
    fields.update(overrides)
    subscriber, _secret = subscriber_save(subscriber=None, by=None, now=T0, **fields)
    return subscriber


@pytest.fixture(autouse=True)
def _secret(monkeypatch):
    monkeypatch.setenv(SECRET_ENV, SECRET)


def verify(request: dict, secret: str = SECRET) -> bool:
    """What a subscriber does, written out here rather than borrowed from kesu."""
    timestamp = request["headers"]["X-Kesu-Timestamp"]
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + request["body"], hashlib.sha256).hexdigest()
    return hmac.compare_digest(request["headers"]["X-Kesu-Signature"], f"sha256={expected}")


@pytest.mark.django_db
def test_a_new_complaint_is_sent_signed_after_the_commit(receiver, django_capture_on_commit_callbacks):
    subscribe(receiver.url)

    with django_capture_on_commit_callbacks() as callbacks:
        complaint = make_complaint(channel="phone", content="空调不制冷")
        delivery = WebhookDelivery.objects.get()
        assert receiver.received == []  # nothing leaves before the commit
    assert len(callbacks) == 1
    assert webhook_attempt(delivery_id=delivery.pk, now=T0) == DeliveryState.SENT

    (request,) = receiver.received
    assert verify(request)
    assert not verify(request, secret="another-secret")
    body = json.loads(request["body"])
    assert request["headers"]["X-Kesu-Event"] == "complaint.created"
    assert request["headers"]["X-Kesu-Delivery"] == body["id"] == str(delivery.uuid)
    assert request["headers"]["X-Kesu-Timestamp"] == str(int(T0.timestamp()))
    assert body["complaint"]["number"] == complaint.number and body["type"] == "complaint.created"
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status_code, delivery.sent_at) == ("sent", 1, 200, T0)


@pytest.mark.django_db
def test_only_subscribed_enabled_subscribers_get_an_event(receiver):
    subscribe(receiver.url, events=("complaint.created",))
    subscribe(receiver.url, name="sla-board", events=("sla.breached",))
    subscribe(receiver.url, name="off", enabled=False)
    handler = make_user(Role.HANDLER, "wang")

    complaint = make_complaint()
    complaint_assign(complaint=complaint, assignee=handler, by=handler, now=T0)

    assert list(WebhookDelivery.objects.values_list("subscriber__name", "event_type")) == [
        ("crm", "complaint.created")]


@pytest.mark.django_db
def test_a_status_change_is_sent_with_both_statuses(receiver):
    subscribe(receiver.url, events=("complaint.status_changed",))
    handler = make_user(Role.HANDLER, "wang")
    complaint = make_complaint()

    complaint_assign(complaint=complaint, assignee=handler, by=handler, now=T0)
    webhooks_send_due(now=T0)

    (request,) = receiver.received
    data = json.loads(request["body"])["data"]
    assert (data["from_status"], data["to_status"]) == ("new", "assigned")


@pytest.mark.django_db
def test_a_rolled_back_change_sends_nothing(receiver):
    subscribe(receiver.url)

    with pytest.raises(RuntimeError), transaction.atomic():
        make_complaint()
        raise RuntimeError("the writer fails after the event")

    assert not WebhookDelivery.objects.exists()


@pytest.mark.django_db
def test_a_500_then_200_is_retried_with_back_off():
    with Receiver(statuses=(500, 503)) as receiver:
        subscribe(receiver.url)
        make_complaint()
        delivery = WebhookDelivery.objects.get()

        assert webhook_attempt(delivery_id=delivery.pk, now=T0) == DeliveryState.PENDING
        delivery.refresh_from_db()
        assert (delivery.attempts, delivery.last_status_code, delivery.next_attempt_at) == (
            1, 500, T0 + timedelta(minutes=1))
        assert "HTTP 500" in delivery.last_error

        assert webhooks_send_due(now=T0 + timedelta(seconds=59)) == {}  # not due yet
        assert webhooks_send_due(now=T0 + timedelta(minutes=1)) == {"pending": 1}
        delivery.refresh_from_db()
        assert delivery.next_attempt_at == T0 + timedelta(minutes=3)  # then 2 minutes

        assert webhooks_send_due(now=T0 + timedelta(minutes=3)) == {"sent": 1}

    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.last_status_code, delivery.last_error) == ("sent", 3, 200, "")
    assert len(receiver.received) == 3
    assert len({r["headers"]["X-Kesu-Delivery"] for r in receiver.received}) == 1  # the same delivery id


@pytest.mark.django_db
def test_a_dead_port_is_logged_as_failed_after_eight_attempts():
    subscribe(f"http://127.0.0.1:{free_port()}/hooks")
    make_complaint()
    delivery = WebhookDelivery.objects.get()

    now = T0
    waits = []
    for _attempt in range(MAX_ATTEMPTS):
        webhooks_send_due(now=now)
        delivery.refresh_from_db()
        waits.append(int((delivery.next_attempt_at - now).total_seconds() // 60))
        now = delivery.next_attempt_at

    assert (delivery.state, delivery.attempts, delivery.last_status_code) == ("failed", MAX_ATTEMPTS, None)
    assert "could not reach the subscriber" in delivery.last_error
    assert waits[:7] == [1, 2, 4, 8, 16, 32, 60]
    assert webhooks_send_due(now=now + timedelta(days=1)) == {}  # given up: not tried again


@pytest.mark.django_db
def test_the_delivery_log_api_is_for_managers(client, receiver):
    from tests.factories import make_token

    subscriber = subscribe(receiver.url)
    make_complaint()
    webhooks_send_due(now=T0)
    manager, handler = make_user(Role.MANAGER, "lead"), make_user(Role.HANDLER, "wang")
    url = f"/api/v1/channels/webhooks/subscribers/{subscriber.pk}/deliveries"

    log = client.get(url, HTTP_AUTHORIZATION=f"Bearer {make_token(manager)}")
    refused = client.get(url, HTTP_AUTHORIZATION=f"Bearer {make_token(handler)}")

    assert log.status_code == 200
    (entry,) = log.json()
    assert (entry["event_type"], entry["state"], entry["attempts"], entry["last_status_code"]) == (
        "complaint.created", "sent", 1, 200)
    assert refused.status_code == 403
    assert client.get(url).status_code == 401


@pytest.mark.django_db
def test_a_generated_secret_is_returned_once_and_signs(receiver):
    subscriber, secret = subscriber_save(subscriber=None, by=None, now=T0, name="erp", url=receiver.url,
                                         events=["complaint.created"])
    _same, again = subscriber_save(subscriber=subscriber, by=None, now=T0, name="erp", url=receiver.url,
                                   events=["complaint.created"])
    make_complaint()
    webhooks_send_due(now=T0)

    assert len(secret) >= 32 and again == ""
    assert verify(receiver.received[0], secret=secret)


@pytest.mark.django_db
def test_bad_subscriber_settings_are_named(db):
    with pytest.raises(FieldError) as error:
        subscriber_save(subscriber=None, by=None, now=T0, name="x", url="ftp://example.cn/",
                        secret_env="SECRET_KEY", events=["complaint.deleted"])

    assert {field for field, _ in error.value.errors} == {"url", "secret_env", "events"}


@pytest.mark.django_db
def test_survey_answers_can_be_emitted_by_other_apps(receiver):
    subscribe(receiver.url, events=("survey.answered",))
    complaint = make_complaint()

    with transaction.atomic():
        webhook_emit(event_type="survey.answered", complaint=complaint, payload={"csat": 5}, now=T0)
    webhooks_send_due(now=T0)

    assert json.loads(receiver.received[0]["body"])["data"] == {"csat": 5}
    with pytest.raises(ValueError, match="unknown webhook event"):
        webhook_emit(event_type="survey.sent", complaint=complaint, payload={}, now=T0)


@pytest.mark.django_db
def test_sla_warnings_and_breaches_are_sent_once_each(receiver):
    subscribe(receiver.url, events=("sla.warned", "sla.breached"))
    group = make_group("front")
    handler = make_user(Role.HANDLER, "wang", groups=[group])
    start = T0  # Monday 09:00 in Shanghai, the default standard policy
    complaint = make_complaint(now=start, content="请问我的订单什么时候发货", priority="P3", severity="general",
                               group=group.code)
    complaint_assign(complaint=complaint, assignee=handler, by=None, now=start + timedelta(minutes=10))

    # acceptance: 60 working minutes from 09:10 → warned at 09:55, breached at 10:10
    sla_sweep(now=start + timedelta(minutes=56))
    sla_sweep(now=start + timedelta(minutes=57))  # nothing new: nothing sent again
    sla_sweep(now=start + timedelta(minutes=75))
    webhooks_send_due(now=start + timedelta(minutes=75))

    bodies = [json.loads(r["body"]) for r in receiver.received]
    assert [b["type"] for b in bodies] == ["sla.warned", "sla.breached"]
    assert {c["clock"] for c in bodies[0]["data"]["clocks"]} == {"acceptance"}
    assert bodies[1]["complaint"]["number"] == complaint.number


# ---- concurrency (PostgreSQL) --------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent workers (PostgreSQL)")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_sweeps_at_once_never_send_a_delivery_twice():
    with Receiver() as receiver:
        subscribe(receiver.url, events=("complaint.created",))
        subscribe(receiver.url, name="crm-2", events=("complaint.created",))
        for n in range(15):
            make_complaint(content=f"第{n}件")
        assert WebhookDelivery.objects.count() == 30
        barrier = threading.Barrier(2)
        raised: list[BaseException] = []

        def sweep() -> None:
            try:
                barrier.wait(timeout=10)
                webhooks_send_due(now=T0)
            except BaseException as error:  # noqa: BLE001 - reported by the test
                raised.append(error)
            finally:
                connections.close_all()

        threads = [threading.Thread(target=sweep) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

    assert raised == []
    sent = [r["headers"]["X-Kesu-Delivery"] for r in receiver.received]
    assert len(sent) == 30 and len(set(sent)) == 30
    assert set(WebhookDelivery.objects.values_list("state", "attempts")) == {("sent", 1)}
