"""SMS complaints are answered by text message through the SMS gateway (a real HTTP server on
loopback): the incident's announcement at intake, each public update once, the resolution once, and a
handler's reply; a gateway that is down keeps the messages for later; with no gateway configured the
reply is recorded as not sent, with the reason on the timeline."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from kesu.channels.models import OutboundMessage
from kesu.channels.replies import SMS_LIMIT, outbound_send_due
from kesu.complaints.models import EventKind, Status
from kesu.core.retry import backoff
from kesu.customers.actions import CustomerHandles
from kesu.customers.models import CustomerIdentity
from kesu.incidents.actions import incident_push, incident_resolve, incident_update
from kesu.pipeline.incidents import incident_resolve_run
from tests.factories import T0, make_complaint, make_token
from tests.incidents.conftest import HOUR, broadband, declare
from tests.notifications.servers import WebhookServer, free_port

pytestmark = pytest.mark.django_db

CLOSING = {"zh-hans": "光缆已修复，宽带已恢复。", "en": "The fibre is repaired; broadband is back."}
EXPECTED_ZH = "预计恢复时间：2026-03-02 18:00"
UPDATE = {"zh-hans": "抢修队已到现场，预计延后两小时恢复。", "en": "The crew is on site; recovery two hours later."}


@pytest.fixture
def gateway(settings):
    with WebhookServer() as server:
        settings.KESU_SMS_WEBHOOK_URL = server.url
        yield server




def phone_of(complaint) -> str:
    return CustomerIdentity.objects.get(customer_id=complaint.customer_id, kind="phone").value


def texts_to(gateway: WebhookServer, phone: str) -> list[str]:
    return [r.json()["text"] for r in gateway.requests if r.json()["to"] == phone]


def test_an_sms_complaint_linked_at_intake_gets_the_announcement_by_sms_at_once(
        manager, gateway, jobs_run_in_process, django_capture_on_commit_callbacks):
    # given an active incident, expected to be over at 10:00 UTC (18:00 in Shanghai)
    incident = declare(manager, expected=T0 + 9 * HOUR)
    # when a customer texts about it
    with time_machine.travel(T0 + HOUR, tick=False), django_capture_on_commit_callbacks(execute=True):
        complaint = broadband(now=T0 + HOUR, channel="sms")
    # then their phone got one SMS at once, in their language, with the expected recovery time
    (request,) = gateway.requests
    text = request.json()["text"]
    assert text.splitlines() == ["南山区光缆被挖断，宽带中断，正在抢修。", EXPECTED_ZH]
    outbound = OutboundMessage.objects.get(complaint=complaint)
    assert request.headers["X-Kesu-Delivery"] == f"reply-{outbound.pk}"
    assert request.json()["to"] == phone_of(complaint) and request.json()["complaint"] == complaint.number
    assert (outbound.channel, outbound.state, outbound.to) == ("sms", "sent", phone_of(complaint))
    # and the timeline says it was sent by SMS; the link records the version answered
    event = complaint.events.get(kind=EventKind.REPLY_SENT)
    assert event.data["sent"] is True and event.data["to"] == phone_of(complaint)
    assert incident.links.get(complaint=complaint).answered_version == 1


def test_a_customer_who_wrote_in_english_is_answered_in_english(manager, gateway):
    declare(manager, expected=T0 + 9 * HOUR,
            scope={"regions": ["广东省深圳市南山区"], "products": [], "categories": [], "tags": [],
                   "keywords": ["broadband", "宽带"]})
    with time_machine.travel(T0 + HOUR, tick=False):
        complaint = broadband(now=T0 + HOUR, channel="sms", content="My broadband has been down since noon")
    assert outbound_send_due(now=T0 + HOUR) == Counter(sent=1)
    (request,) = gateway.requests
    assert request.json()["text"].splitlines() == [
        "A fibre cut in Nanshan: broadband is down, repairs are under way.", "Expected recovery: 2026-03-02 18:00"]
    assert request.json()["to"] == phone_of(complaint)


def test_a_long_announcement_is_cut_to_the_sms_limit_keeping_the_expected_time(manager, gateway):
    long = {"zh-hans": "抢修说明。" * 200, "en": "Repair notes. " * 100}
    incident = declare(manager, expected=T0 + 9 * HOUR)
    incident_update(incident=incident, by=manager, now=T0, announcement=long)
    with time_machine.travel(T0 + HOUR, tick=False):
        broadband(now=T0 + HOUR, channel="sms")
    assert outbound_send_due(now=T0 + HOUR) == Counter(sent=1)
    text = gateway.requests[0].json()["text"]
    assert len(text) == SMS_LIMIT
    first, last = text.splitlines()
    assert first.endswith("…") and last == EXPECTED_ZH


def test_each_update_is_pushed_once_and_the_resolution_once_by_sms(manager, gateway):
    # given two SMS customers waiting on the incident, announced
    incident = declare(manager)
    with time_machine.travel(T0 + HOUR, tick=False):
        waiting = [broadband(now=T0 + HOUR, channel="sms") for _ in range(2)]
    assert outbound_send_due(now=T0 + HOUR) == Counter(sent=2)
    # when an update is published and the push job runs twice
    incident_update(incident=incident, by=manager, now=T0 + 2 * HOUR, announcement=UPDATE,
                    expected_recovery_at=T0 + 11 * HOUR)
    assert incident_push(incident_id=incident.pk, now=T0 + 2 * HOUR) == 2
    assert incident_push(incident_id=incident.pk, now=T0 + 2 * HOUR) == 0
    assert outbound_send_due(now=T0 + 2 * HOUR) == Counter(sent=2)
    # when it is resolved, the job run twice
    incident_resolve(incident=incident, by=manager, now=T0 + 3 * HOUR, message=CLOSING, root_cause="third_party")
    assert incident_resolve_run(incident_id=incident.pk, now=T0 + 3 * HOUR, chunk=1) == 2
    assert incident_resolve_run(incident_id=incident.pk, now=T0 + 4 * HOUR, chunk=1) == 0
    assert outbound_send_due(now=T0 + 4 * HOUR) == Counter(sent=2)
    assert outbound_send_due(now=T0 + 5 * HOUR) == Counter()
    # then each phone got the announcement, the update and the resolution, once each, in that order
    for complaint in waiting:
        texts = texts_to(gateway, phone_of(complaint))
        assert [t.split("\n")[0] for t in texts] == [
            "南山区光缆被挖断，宽带中断，正在抢修。", UPDATE["zh-hans"], CLOSING["zh-hans"]]
        assert texts[1].endswith("20:00")  # the new expected recovery, Shanghai time
        complaint.refresh_from_db()
        assert complaint.status == Status.CLOSED


def test_a_gateway_that_is_down_keeps_the_messages_and_they_go_when_it_is_back(manager, settings):
    # given the gateway cannot be reached when three SMS customers are announced
    settings.KESU_SMS_WEBHOOK_URL = f"http://127.0.0.1:{free_port()}/sms"
    declare(manager)
    with time_machine.travel(T0 + HOUR, tick=False):
        waiting = [broadband(now=T0 + HOUR, channel="sms") for _ in range(3)]
    # when the sweep runs: one connection fails, the other two are given back untried
    assert outbound_send_due(now=T0 + HOUR) == Counter(pending=1, deferred=2)
    rows = list(OutboundMessage.objects.order_by("pk"))
    assert [r.state for r in rows] == ["pending"] * 3
    assert sorted(r.attempts for r in rows) == [0, 0, 1]
    assert "could not be reached" in rows[0].last_error
    # then, the gateway back, the next sweeps send every one of them, once
    with WebhookServer() as gateway:
        settings.KESU_SMS_WEBHOOK_URL = gateway.url
        later = T0 + HOUR + backoff(1)
        assert outbound_send_due(now=later) == Counter(sent=3)
        assert outbound_send_due(now=later + HOUR) == Counter()
    assert sorted(r.json()["to"] for r in gateway.requests) == sorted(phone_of(c) for c in waiting)


def test_a_gateway_error_is_retried_with_back_off(manager, gateway):
    gateway.statuses = [502]
    declare(manager)
    with time_machine.travel(T0 + HOUR, tick=False):
        broadband(now=T0 + HOUR, channel="sms")
    assert outbound_send_due(now=T0 + HOUR) == Counter(pending=1)
    assert "HTTP 502" in OutboundMessage.objects.get().last_error
    assert outbound_send_due(now=T0 + HOUR + timedelta(seconds=1)) == Counter()  # not due yet
    assert outbound_send_due(now=T0 + HOUR + backoff(1)) == Counter(sent=1)
    assert len(gateway.requests) == 2


@pytest.fixture
def sms_complaint(db):
    return make_complaint(now=T0, channel="sms", content="短信营业厅扣费不对，多扣了十元",
                          customer=CustomerHandles(name="韩梅梅", phone="13800138000"))


def test_a_handlers_reply_on_an_sms_complaint_goes_through_the_gateway(sms_complaint, handler, gateway, client):
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {make_token(handler)}"
    with time_machine.travel(T0 + HOUR, tick=False):
        answer = client.post(f"/api/v1/complaints/{sms_complaint.pk}/replies", {"text": "您好，多扣的十元已退回。"},
                             content_type="application/json")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["sent"] is True and body["outbound"]["channel"] == "sms"
    assert body["outbound"]["to"] == "13800138000"
    assert outbound_send_due(now=T0 + HOUR) == Counter(sent=1)
    (request,) = gateway.requests
    assert request.json()["to"] == "13800138000" and request.json()["text"] == "您好，多扣的十元已退回。"
    listed = client.get(f"/api/v1/complaints/{sms_complaint.pk}/replies").json()
    assert [(m["channel"], m["state"]) for m in listed] == [("sms", "sent")]


def test_a_too_long_sms_reply_is_refused_naming_the_limit(sms_complaint, handler, gateway, client):
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {make_token(handler)}"
    answer = client.post(f"/api/v1/complaints/{sms_complaint.pk}/replies", {"text": "长" * (SMS_LIMIT + 1)},
                         content_type="application/json")
    assert answer.status_code == 422
    assert str(SMS_LIMIT) in answer.content.decode() and "text" in answer.content.decode()
    assert not OutboundMessage.objects.exists()
    assert not sms_complaint.events.filter(kind=EventKind.REPLY_SENT).exists()


def test_with_no_gateway_the_reply_is_recorded_as_not_sent_with_the_reason(sms_complaint, handler, settings,
                                                                           client):
    settings.KESU_SMS_WEBHOOK_URL = ""
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {make_token(handler)}"
    answer = client.post(f"/api/v1/complaints/{sms_complaint.pk}/replies", {"text": "您好，已退款。"},
                         content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
    assert answer.status_code == 201
    assert answer.json()["sent"] is False and "KESU_SMS_WEBHOOK_URL" in answer.json()["note"]
    assert not OutboundMessage.objects.exists()
    # the handler sees why on the complaint's page, and on the desk after replying there
    client.defaults.pop("HTTP_AUTHORIZATION")
    client.force_login(handler)
    page = client.get(reverse("web:complaint_detail", args=[sms_complaint.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert "no SMS gateway is configured" in page.content.decode()


def test_the_phone_of_an_sms_reply_is_masked_for_whoever_may_not_work_on_the_complaint(
        sms_complaint, handler, analyst, gateway, client):
    from kesu.channels.replies import complaint_reply_send

    complaint_reply_send(complaint=sms_complaint, by=handler, text="您好", now=T0)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {make_token(analyst)}"
    listed = client.get(f"/api/v1/complaints/{sms_complaint.pk}/replies").json()
    assert [m["to"] for m in listed] == ["138****8000"]
    assert "13800138000" not in client.get(f"/api/v1/complaints/{sms_complaint.pk}").content.decode()


def test_erasing_the_customer_leaves_no_phone_in_their_sms(sms_complaint, handler, gateway):
    from kesu.channels.replies import complaint_reply_send
    from kesu.privacy.persons import person_erase

    complaint_reply_send(complaint=sms_complaint, by=handler, text="您好，13800138000 的扣费已退回", now=T0)
    outbound_send_due(now=T0)
    person_erase(customer=sms_complaint.customer, by=None, now=T0 + HOUR)
    outbound = OutboundMessage.objects.get()
    assert "13800138000" not in f"{outbound.to} {outbound.body}"
    assert outbound.channel == "sms"


def test_the_customers_history_lists_an_sms_reply_as_an_sms(sms_complaint, handler, gateway, client):
    from kesu.channels.replies import complaint_reply_send

    complaint_reply_send(complaint=sms_complaint, by=handler, text="您好，十元已退回", now=T0)
    make_complaint(now=T0 + HOUR, channel="sms", content="又多扣了五元", customer=CustomerHandles(phone="13800138000"))
    client.force_login(handler)
    page = client.get(f"/customers/{sms_complaint.customer_id}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "SMS sent" in page and "→ 13800138000" in page
