"""Calls over the API: POST /api/v1/calls (JSON or multipart), GET /api/v1/calls, the customer lookup."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from kesu.calls.models import Call
from kesu.complaints.models import Complaint, EventKind
from tests.api.builders import client_for, error_fields, post_json
from tests.factories import T0, make_complaint

NOW = T0 + timedelta(hours=3)
MP3 = b"\xff\xfb\x90\x64" + b"\x00" * 300


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def api(handler):
    return client_for(handler)


def _body(**overrides) -> dict:
    body = {
        "direction": "inbound",
        "number": "+86 138-0013-8000",
        "started_at": "2026-03-02T11:40:00+08:00",
        "duration_seconds": "2:30",
        "transcript": "客户来电投诉：收到的商品有破损，要求换货。",
        "complaint": "new",
        "new_complaint": {"subject": "商品破损"},
    }
    body.update(overrides)
    return body


@pytest.mark.django_db
def test_a_json_call_opens_a_phone_complaint_for_the_customer_of_the_number(api, handler):
    earlier = make_complaint(by=handler)

    response = post_json(api, "/api/v1/calls", _body())

    assert response.status_code == 201, response.content
    body = response.json()
    complaint = Complaint.objects.get(pk=body["complaint_id"])
    assert response["Location"] == f"/api/v1/calls/{body['id']}"
    assert body["number"] == "13800138000"
    assert body["duration_seconds"] == 150
    assert body["customer"]["id"] == earlier.customer_id
    assert body["complaint_number"] == complaint.number
    assert body["handled_by"] == handler.username
    assert body["recording"] is None
    assert complaint.channel == "phone" and complaint.subject == "商品破损"
    assert complaint.events.filter(kind=EventKind.CALL).count() == 1


@pytest.mark.django_db
def test_a_multipart_call_carries_its_recording_and_attaches_to_a_complaint(api, handler):
    complaint = make_complaint(by=handler)

    response = api.post(
        "/api/v1/calls",
        {"direction": "outbound", "number": "13800138000", "duration_seconds": "95", "notes": "已回电说明进度",
         "complaint": complaint.number, "recording": SimpleUploadedFile("rec.mp3", MP3)},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["complaint_id"] == complaint.pk
    assert body["started_at"].startswith("2026-03-02T04:00:00")  # empty: now
    recording = api.get(body["recording"])
    assert recording.status_code == 200 and b"".join(recording.streaming_content) == MP3


@pytest.mark.django_db
def test_bad_fields_are_each_named_and_nothing_is_written(api):
    response = post_json(
        api, "/api/v1/calls", _body(number="not a number", duration_seconds=-4, started_at="2026-03-09T10:00:00+08:00")
    )

    assert error_fields(response) == {"number", "duration_seconds", "started_at"}
    assert not Call.objects.exists() and not Complaint.objects.exists()


@pytest.mark.django_db
def test_a_missing_field_and_a_bad_body_are_422(api):
    assert "direction" in error_fields(post_json(api, "/api/v1/calls", {"number": "13800138000", "duration_seconds": 3}))
    assert error_fields(post_json(api, "/api/v1/calls", "{not json")) == {"body"}


@pytest.mark.django_db
def test_a_recording_of_another_type_is_refused(api):
    response = api.post(
        "/api/v1/calls", {"direction": "inbound", "number": "13800138000", "duration_seconds": "10",
                          "recording": SimpleUploadedFile("rec.pdf", b"%PDF-1.4")},
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "recording"]
    assert response.json()["detail"][0]["code"] == "recordings.type"
    assert not Call.objects.exists()


@pytest.mark.django_db
def test_an_analyst_token_cannot_read_calls(analyst):
    analyst_client = client_for(analyst)
    assert analyst_client.get("/api/v1/calls").status_code == 403
    assert analyst_client.get("/api/v1/calls/1").status_code == 403
    assert analyst_client.get("/api/v1/calls/1/recording").status_code == 403


@pytest.mark.django_db
def test_an_analyst_token_cannot_log_calls(analyst):
    response = post_json(client_for(analyst), "/api/v1/calls", _body())

    assert response.status_code == 403
    assert not Call.objects.exists()


@pytest.mark.django_db
def test_calls_are_listed_by_number_in_any_format_at_a_fixed_query_count(api, django_assert_num_queries):
    post_json(api, "/api/v1/calls", _body())
    post_json(api, "/api/v1/calls", _body(number="13900139000", customer_name="赵敏"))

    with django_assert_num_queries(3):  # token, count, page
        response = api.get("/api/v1/calls", {"number": "139-0013-9000"})
    for _ in range(3):
        post_json(api, "/api/v1/calls", _body(number="13900139000"))
    with django_assert_num_queries(3):
        more = api.get("/api/v1/calls", {"number": "139-0013-9000"})

    assert [item["number"] for item in response.json()["items"]] == ["13900139000"]
    assert response.json()["items"][0]["customer"]["name"] == "赵敏"
    assert more.json()["count"] == 4


@pytest.mark.django_db
def test_the_lookup_finds_the_customer_and_open_complaints_by_phone(api, handler):
    complaint = make_complaint(by=handler)

    found = api.get("/api/v1/customers/lookup", {"phone": "+86 138 0013 8000"})
    missing = api.get("/api/v1/customers/lookup", {"phone": "13000000000"})

    assert found.status_code == 200
    assert found.json()["name"] == "张伟"
    assert [c["number"] for c in found.json()["open_complaints"]] == [complaint.number]
    assert missing.status_code == 404


@pytest.mark.django_db
def test_a_fractional_duration_names_the_field(api):
    response = post_json(api, "/api/v1/calls", _body(duration_seconds=3.5))

    assert error_fields(response) == {"duration_seconds"}
