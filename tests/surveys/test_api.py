"""The survey API: answering with the link's token (no bearer token) and the metrics."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client

from kesu.pipeline.aftercare import follow_up_record
from kesu.surveys.models import FollowUpTask
from kesu.surveys.selectors import survey_url
from tests.factories import T0
from tests.surveys.conftest import closed

pytestmark = pytest.mark.django_db


def answer_url(complaint) -> str:
    token = survey_url(complaint).strip("/").split("/")[-1]
    return f"/api/v1/surveys/{token}/answer"


def test_answering_needs_no_bearer_token_and_reopens_when_not_solved(client, handler):
    complaint = closed(handler)

    reply = client.post(answer_url(complaint), {"satisfaction": 4, "nps": 7, "solved": False, "comment": "没解决"},
                        content_type="application/json")

    assert reply.status_code == 201, reply.content
    body = reply.json()
    assert body["complaint_number"] == complaint.number
    assert (body["satisfaction"], body["nps"], body["solved"], body["reopened"]) == (4, 7, False, True)
    complaint.refresh_from_db()
    assert (complaint.status, complaint.assignee, complaint.reopen_count) == ("assigned", handler, 1)

    again = client.post(answer_url(complaint), {"satisfaction": 5, "solved": True}, content_type="application/json")
    assert again.status_code == 409
    assert again.json()["code"] == "survey.answered"


def test_bad_fields_are_named_with_422_and_an_unknown_token_is_404(client, handler):
    complaint = closed(handler)

    reply = client.post(answer_url(complaint), {"satisfaction": 0, "nps": 12}, content_type="application/json")

    assert reply.status_code == 422
    assert {tuple(d["loc"]) for d in reply.json()["detail"]} == {
        ("body", "satisfaction"), ("body", "nps"), ("body", "solved"),
    }
    unknown = client.post("/api/v1/surveys/" + "f" * 40 + "/answer", {"satisfaction": 5, "solved": True},
                          content_type="application/json")
    assert unknown.status_code == 404


def test_metrics_need_a_token_and_report_the_period(api_client, handler):
    complaints = [closed(handler, at=T0 + timedelta(minutes=i)) for i in range(2)]
    follow_up_record(task=FollowUpTask.objects.get(complaint=complaints[0]), by=handler, outcome="satisfied",
                     now=T0 + timedelta(hours=5))
    api_client.post(answer_url(complaints[0]), {"satisfaction": 5, "nps": 10, "solved": True},
                    content_type="application/json")

    assert Client().get("/api/v1/surveys/metrics").status_code == 401
    reply = api_client.get("/api/v1/surveys/metrics", {"from": "2026-03-02", "to": "2026-03-02"})

    assert reply.status_code == 200, reply.content
    body = reply.json()
    assert body["from"].startswith("2026-03-02T00:00:00") and body["to"].startswith("2026-03-03T00:00:00")
    # the unanswered phone complaint has no tracking link: its survey never reached the customer
    assert {k: v for k, v in body["satisfaction"].items() if k not in ("link_only", "unreachable")} == {
        "sent": 1, "answered": 1, "response_rate": 1.0, "csat_mean": 5.0, "nps": 100.0, "reopened": 0}
    assert body["follow_up"] == {"resolved": 2, "followed_up": 1, "rate": 0.5}
    bad = api_client.get("/api/v1/surveys/metrics", {"from": "yesterday"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "from"]
