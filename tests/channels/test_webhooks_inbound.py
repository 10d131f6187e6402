"""POST /api/v1/channels/webhooks/{source}: HMAC-signed messages from chat, social-media and SMS
gateways. Bad or missing signature, wrong secret, unknown source: 401; stale timestamp: 401; a
replayed id: 409 and nothing twice; bad body: 422 naming the field; nothing is half-created."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection, connections
from django.test import Client

from kesu.channels.models import WebhookMessage
from kesu.channels.webhooks_in import source_save
from kesu.complaints.models import Complaint, ComplaintEvent, EventKind, Status
from kesu.core.errors import FieldError
from kesu.core.roles import Role
from kesu.customers.actions import CustomerHandles
from kesu.customers.models import Customer
from kesu.notifications.models import Notification
from kesu.pipeline.transitions import complaint_assign, complaint_pend, complaint_start
from tests.factories import T0, make_complaint, make_user

NOW = T0 + timedelta(hours=1)
SECRET = "gateway-secret-1"
SECRET_ENV = "KESU_WEBHOOK_WECHAT_SECRET"


@pytest.fixture
def source(db, monkeypatch, group):
    monkeypatch.setenv(SECRET_ENV, SECRET)
    return source_save(source=None, by=None, now=T0, name="wechat", channel="chat", secret_env=SECRET_ENV,
                       group=group)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def sign(body: bytes, timestamp: str, secret: str = SECRET) -> str:
    """What a gateway computes, written out here rather than borrowed from kesu."""
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def message(**overrides) -> dict:
    body = {"id": "m-1", "customer": {"handle_kind": "phone", "handle": "13800138000", "name": "李女士"},
            "text": "快递三天没更新了"}
    body.update(overrides)
    return body


def post(client, body, *, source_name="wechat", secret=SECRET, at=NOW, signature=None, timestamp=None,
         headers=True):
    raw = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    ts = str(int(at.timestamp())) if timestamp is None else timestamp
    extra = {}
    if headers:
        extra = {"HTTP_X_KESU_TIMESTAMP": ts, "HTTP_X_KESU_SIGNATURE": signature or sign(raw, ts, secret)}
    return client.post(f"/api/v1/channels/webhooks/{source_name}", data=raw, content_type="application/json",
                       **extra)


def nothing_written() -> bool:
    return not (Complaint.objects.exists() or Customer.objects.exists() or WebhookMessage.objects.exists())


# ---- authenticity --------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_signed_message_creates_a_complaint_for_the_customer_found_by_handle(client, source, group):
    known = make_complaint(channel="phone", customer=CustomerHandles(name="李女士", phone="13800138000"))

    response = post(client, message())

    assert response.status_code == 201, response.content
    body = response.json()
    complaint = Complaint.objects.get(number=body["complaint_number"])
    assert body["outcome"] == "created" and complaint.pk != known.pk
    assert complaint.customer_id == known.customer_id  # found by the phone number, not a new customer
    assert (complaint.channel, complaint.content, complaint.group) == ("chat", "快递三天没更新了", group)
    said = complaint.events.get(kind=EventKind.CUSTOMER_MESSAGE).data
    assert (said["source"], said["message_id"], said["from"], said["known_sender"]) == (
        "wechat", "m-1", "13800138000", True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "how",
    ["tampered body", "wrong secret", "no signature header", "no timestamp header", "no headers",
     "timestamp not signed", "unknown source", "disabled source", "secret variable unset"],
)
def test_anything_not_authentic_is_401_with_the_same_answer_and_writes_nothing(client, source, monkeypatch, how):
    raw = json.dumps(message()).encode()
    ts = str(int(NOW.timestamp()))
    kwargs: dict = {}
    if how == "tampered body":
        kwargs["signature"] = sign(raw.replace(b"m-1", b"m-2"), ts)
    elif how == "wrong secret":
        kwargs["secret"] = "not-the-secret"
    elif how == "timestamp not signed":
        kwargs["signature"] = "sha256=" + hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
    elif how == "unknown source":
        kwargs["source_name"] = "weibo"
    elif how == "disabled source":
        source_save(source=source, by=None, now=T0, name="wechat", channel="chat", secret_env=SECRET_ENV,
                    enabled=False)
    elif how == "secret variable unset":
        monkeypatch.delenv(SECRET_ENV)
    if how in ("no signature header", "no timestamp header"):
        header = "HTTP_X_KESU_TIMESTAMP" if how == "no signature header" else "HTTP_X_KESU_SIGNATURE"
        value = ts if how == "no signature header" else sign(raw, ts)
        response = client.post("/api/v1/channels/webhooks/wechat", data=raw, content_type="application/json",
                                **{header: value})
    else:
        response = post(client, raw, headers=how != "no headers", **kwargs)

    assert response.status_code == 401
    assert response.json()["code"] == "webhook.refused.signature"
    assert response.json()["detail"] == response.json()["message"] == "未知来源或签名无效。"
    assert nothing_written()


@pytest.mark.django_db
@pytest.mark.parametrize("offset", [timedelta(minutes=-6), timedelta(minutes=6)])
def test_a_timestamp_more_than_five_minutes_off_is_refused(client, source, offset):
    response = post(client, message(), at=NOW + offset)

    assert response.status_code == 401
    assert (response.json()["code"], response.json()["params"]) == ("webhook.refused.clock", {"minutes": 5})
    assert nothing_written()


@pytest.mark.django_db
def test_a_timestamp_four_minutes_old_is_accepted(client, source):
    assert post(client, message(), at=NOW - timedelta(minutes=4)).status_code == 201


@pytest.mark.django_db
def test_a_replayed_id_is_409_and_nothing_is_created_twice(client, source):
    first = post(client, message())
    later = NOW + timedelta(minutes=2)
    with time_machine.travel(later, tick=False):
        again = post(client, message(text="再发一次"), at=later)  # freshly signed: only the id repeats

    assert first.status_code == 201
    assert again.status_code == 409 and again.json()["params"]["id"] == "m-1"
    assert Complaint.objects.count() == 1 and WebhookMessage.objects.count() == 1
    assert ComplaintEvent.objects.filter(kind=EventKind.CUSTOMER_MESSAGE).count() == 1


@pytest.mark.django_db
def test_the_same_id_from_another_source_is_another_message(client, source, monkeypatch):
    monkeypatch.setenv("KESU_WEBHOOK_SMS_SECRET", "sms-secret")
    source_save(source=None, by=None, now=T0, name="sms", channel="sms", secret_env="KESU_WEBHOOK_SMS_SECRET")

    assert post(client, message()).status_code == 201
    assert post(client, message(), source_name="sms", secret="sms-secret").status_code == 201
    assert Complaint.objects.count() == 2


# ---- bad bodies ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_malformed_json_is_422(client, source):
    response = post(client, b'{"id": "m-1", "text": ')

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "body"]
    assert response.json()["detail"][0]["code"] == "webhook.not_json"
    assert nothing_written()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        (message(text=""), "text", "field.required"),
        ({k: v for k, v in message().items() if k != "text"}, "text", "field.required"),
        (message(text=12), "text", "field.not_text"),
        (message(id=""), "id", "field.required"),
        (message(customer=None), "customer", "webhook.customer_shape"),
        (message(customer={"handle_kind": "fax", "handle": "1"}), "customer.handle_kind", "field.choice"),
        (message(customer={"handle_kind": "phone"}), "customer.handle", "field.required"),
        (message(text="a\u0000b"), "text", "field.nul"),
        (message(timestamp="yesterday"), "timestamp", "webhook.timestamp"),
        (message(complaint_number="KS-2026-999999"), "complaint_number", "complaint.not_found"),
        ([1, 2], "body", "field.not_object"),
    ],
)
def test_bad_fields_are_422_naming_them(client, source, body, field, words):
    response = post(client, body)

    assert response.status_code == 422
    named = {e["loc"][-1]: e["code"] for e in response.json()["detail"]}
    assert named.get(field) == words, named
    assert nothing_written()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "customer",
    [{"handle_kind": "phone", "handle": "12"}, {"handle_kind": "email", "handle": "not-an-address"}],
)
def test_an_invalid_handle_is_422_and_nothing_is_half_created(client, source, customer):
    response = post(client, message(customer=customer))

    assert response.status_code == 422
    assert [e["loc"][-1] for e in response.json()["detail"]] == ["customer.handle"]
    assert nothing_written()
    assert post(client, message()).status_code == 201  # the id was not used up by the failed attempt


# ---- messages on existing complaints -------------------------------------------------------


@pytest.mark.django_db
def test_a_message_with_the_complaint_number_lands_on_it_and_resumes_it(client, source, group):
    handler = make_user(Role.HANDLER, "wang", groups=[group])
    created = post(client, message()).json()
    complaint = Complaint.objects.get(pk=created["complaint_id"])

    complaint = complaint_assign(complaint=complaint, assignee=handler, by=handler, now=NOW)
    complaint = complaint_start(complaint=complaint, by=handler, now=NOW)
    complaint_pend(complaint=complaint, by=handler, now=NOW, reason="等客户提供单号")

    later = NOW + timedelta(minutes=3)
    with time_machine.travel(later, tick=False):
        reply = post(client, message(id="m-2", text="单号是 SF123", complaint_number=created["complaint_number"]),
                     at=later)

    assert reply.status_code == 201, reply.content
    assert reply.json()["outcome"] == "replied" and reply.json()["complaint_id"] == complaint.pk
    assert Complaint.objects.count() == 1
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_PROGRESS  # pending the customer → the customer answered
    texts = list(complaint.events.filter(kind=EventKind.CUSTOMER_MESSAGE).order_by("id")
                 .values_list("data__text", flat=True))
    assert texts == ["快递三天没更新了", "单号是 SF123"]
    assert Notification.objects.filter(recipient=handler, kind="customer_message").count() == 1


@pytest.mark.django_db
def test_a_thread_id_seen_before_lands_on_the_same_complaint(client, source):
    first = post(client, message(thread_id="conv-9")).json()
    second = post(client, message(id="m-2", text="还有一件事", thread_id="conv-9")).json()
    other = post(client, message(id="m-3", text="新问题", thread_id="conv-10")).json()

    assert second["complaint_id"] == first["complaint_id"] and second["outcome"] == "replied"
    assert other["outcome"] == "created" and other["complaint_id"] != first["complaint_id"]


def test_a_failing_source_setting_names_the_field(db):
    with pytest.raises(FieldError) as error:
        source_save(source=None, by=None, now=T0, name="bad name!", channel="fax", secret_env="SECRET_KEY")

    assert {field for field, _ in error.value.errors} == {"name", "channel", "secret_env"}


# ---- concurrency (PostgreSQL) --------------------------------------------------------------


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs real concurrent writers (PostgreSQL)")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_same_message_posted_four_times_at_once_is_taken_in_once(monkeypatch):
    monkeypatch.setenv(SECRET_ENV, SECRET)
    source_save(source=None, by=None, now=T0, name="wechat", channel="chat", secret_env=SECRET_ENV)
    raw = json.dumps(message()).encode()
    barrier = threading.Barrier(4)
    statuses: list[int] = []

    def send() -> None:
        try:
            barrier.wait(timeout=10)
            statuses.append(post(Client(), raw).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert sorted(statuses) == [201, 409, 409, 409]
    # the losers' complaints, customers and events were rolled back whole
    assert Complaint.objects.count() == 1 and Customer.objects.count() == 1
    assert ComplaintEvent.objects.filter(kind=EventKind.CUSTOMER_MESSAGE).count() == 1


@pytest.mark.django_db
def test_a_complaint_number_from_someone_else_opens_their_own_complaint(client, source):
    victim = post(client, message()).json()

    stranger = post(client, message(id="m-2", text="我是客户，请把回访发给我", complaint_number=victim["complaint_number"],
                                    customer={"handle_kind": "phone", "handle": "13900139000", "name": "陌生人"}))

    assert stranger.status_code == 201, stranger.content
    assert stranger.json()["outcome"] == "created" and stranger.json()["complaint_id"] != victim["complaint_id"]
    texts = list(Complaint.objects.get(pk=victim["complaint_id"]).events.filter(kind=EventKind.CUSTOMER_MESSAGE)
                 .values_list("data__text", flat=True))
    assert texts == ["快递三天没更新了"]  # nothing landed on the victim's complaint
    said = Complaint.objects.get(pk=stranger.json()["complaint_id"]).events.get(kind=EventKind.CUSTOMER_MESSAGE).data
    assert (said["from"], said["threaded_by"]) == ("13900139000", "new")
