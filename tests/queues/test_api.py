"""The queues over the API."""

from __future__ import annotations

import pytest

from kesu.complaints.models import Complaint, Status
from kesu.core.roles import Role
from kesu.pipeline.transitions import complaint_transition
from tests.factories import T0, make_complaint, make_token, make_user


@pytest.fixture
def token_client(client, handler):
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {make_token(handler)}"
    return client


@pytest.mark.django_db
def test_the_queues_with_their_counts_and_one_queue_page(token_client, handler, group, django_assert_num_queries):
    mine = make_complaint(by=handler, group=group.code)
    complaint_transition(complaint=mine, action="assign", assignee="handler1", by=handler, now=T0)
    unassigned = [make_complaint(by=handler, group=group.code) for _ in range(3)]

    body = token_client.get("/api/v1/queues").json()
    counts = {q["name"]: q["count"] for q in body["queues"]}
    assert counts["mine"] == 1 and counts["unassigned"] == 3 and counts["group"] == 4
    assert not any(q["capped"] for q in body["queues"])

    # the token with its user, the user's groups, the count (capped), the page
    with django_assert_num_queries(4):
        page = token_client.get("/api/v1/queues/unassigned", {"page_size": 2, "sort": "oldest"}).json()
    assert [c["number"] for c in page["items"]] == [unassigned[0].number, unassigned[1].number]
    assert (page["count"], page["has_next"]) == (3, True)

    assert token_client.get("/api/v1/queues/everything").status_code == 404
    response = token_client.get("/api/v1/queues/mine", {"sort": "loudest"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "sort"]


@pytest.mark.django_db
def test_bulk_over_the_api_reports_each_complaint(token_client, handler):
    fresh = make_complaint(by=handler)
    resolved = make_complaint(by=handler)
    for action in ("assign", "start"):
        complaint_transition(complaint=resolved, action=action, assignee="handler1", by=handler, now=T0)
    complaint_transition(
        complaint=resolved, action="resolve", resolution="已退款", root_cause="logistics", by=handler, now=T0
    )

    response = token_client.post(
        "/api/v1/queues/bulk", {"action": "close", "ids": [resolved.pk, fresh.pk]}, content_type="application/json"
    )

    assert response.status_code == 200
    body = response.json()
    assert body["done"] == 1
    assert [(r["number"], r["ok"], r["status"]) for r in body["results"]] == [
        (resolved.number, True, 200), (fresh.number, False, 409)
    ]
    assert body["results"][1]["code"] == "transition.refused"
    assert body["results"][1]["params"]["status"] == {"code": "status.new", "params": {}}
    assert Complaint.objects.get(pk=resolved.pk).status == Status.CLOSED

    # a field every complaint needs is said once, naming it
    response = token_client.post(
        "/api/v1/queues/bulk", {"action": "transfer", "ids": [fresh.pk], "group": "front-desk"},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "reason"]


@pytest.mark.django_db
def test_an_analyst_reads_queues_but_cannot_bulk(client, handler):
    complaint = make_complaint(by=handler)
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {make_token(make_user(Role.ANALYST, 'reader'))}"

    assert client.get("/api/v1/queues").status_code == 200
    response = client.post(
        "/api/v1/queues/bulk", {"action": "assign", "ids": [complaint.pk], "assignee": "handler1"},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert Complaint.objects.get(pk=complaint.pk).assignee_id is None
