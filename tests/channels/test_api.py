"""POST /api/v1/complaints/{id}/replies: sent on the e-mail channel, recorded (not sent) elsewhere,
422 naming the field."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
import time_machine

from kesu.channels.models import OutboundMessage
from kesu.core.roles import Role
from kesu.customers.actions import CustomerHandles
from tests.factories import T0, make_complaint, make_token, make_user

pytestmark = pytest.mark.django_db

NOW = T0 + timedelta(hours=1)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield




def _post(client, complaint_id: int, body: dict, user=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {make_token(user)}"} if user else {}
    return client.post(f"/api/v1/complaints/{complaint_id}/replies", data=json.dumps(body),
                       content_type="application/json", **headers)


def test_a_reply_on_an_email_complaint_is_sent(client, handler, smtp, jobs_run_in_process,
                                               django_capture_on_commit_callbacks):
    complaint = make_complaint(channel="email", subject="退款", customer=CustomerHandles(email="li@example.cn"))

    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, complaint.pk, {"text": "您好，退款已处理。"}, handler)

    assert response.status_code == 201
    body = response.json()
    assert (body["sent"], body["channel"], body["outbound"]["to"]) == (True, "email", "li@example.cn")
    assert body["outbound"]["subject"] == f"Re: [{complaint.number}] 退款"
    (sent,) = smtp.messages
    assert sent["Message-ID"] == f"<{body['outbound']['message_id']}>"
    listed = client.get(f"/api/v1/complaints/{complaint.pk}/replies",
                        HTTP_AUTHORIZATION=f"Bearer {make_token(handler)}").json()
    assert [(o["id"], o["state"]) for o in listed] == [(body["outbound"]["id"], "sent")]


def test_a_reply_on_a_phone_complaint_is_recorded_and_said_not_sent(client, handler):
    complaint = make_complaint(channel="phone")

    response = _post(client, complaint.pk, {"text": "已电话联系"}, handler)

    assert response.status_code == 201
    body = response.json()
    assert (body["sent"], body["outbound"]) == (False, None)
    assert "not sent by kesu" in body["note"]


def test_bad_input_is_a_422_naming_the_field(client, handler):
    email = make_complaint(channel="email", customer=CustomerHandles(email="li@example.cn"))
    no_address = make_complaint(channel="email", customer=CustomerHandles(name="无邮箱"))

    empty = _post(client, email.pk, {"text": ""}, handler)
    missing = _post(client, email.pk, {}, handler)
    nowhere = _post(client, no_address.pk, {"text": "您好"}, handler)

    assert (empty.status_code, empty.json()["detail"][0]["loc"]) == (422, ["body", "text"])
    assert missing.status_code == 422 and "text" in json.dumps(missing.json())
    assert (nowhere.status_code, nowhere.json()["detail"][0]["loc"]) == (422, ["body", "to"])
    assert not OutboundMessage.objects.exists()


def test_unknown_complaint_forbidden_role_and_no_token(client, handler):
    complaint = make_complaint(channel="email", customer=CustomerHandles(email="li@example.cn"))

    assert _post(client, 999999, {"text": "x"}, handler).status_code == 404
    assert _post(client, complaint.pk, {"text": "x"}, make_user(Role.ANALYST)).status_code == 403
    assert _post(client, complaint.pk, {"text": "x"}).status_code == 401
    assert not OutboundMessage.objects.exists()


def test_the_replies_route_is_in_the_openapi_document(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "post" in paths["/api/v1/complaints/{complaint_id}/replies"]
    assert "get" in paths["/api/v1/complaints/{complaint_id}"]  # the complaints router is still whole
