"""GET /api/v1/complaints/{id}: the complaint with its timeline, oldest first, with who did what."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile

from kesu.complaints.actions import attachment_add
from kesu.complaints.models import EventKind, Status
from kesu.pipeline import transitions as actions
from tests.api.builders import complaint_in
from tests.factories import T0, domain_timeline, make_complaint

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_detail_has_the_timeline_in_order_with_actors(handler, manager, handler_client):
    # given a complaint created by intake, handled by handler1 and closed by the manager
    complaint = complaint_in(Status.RESOLVED, handler=handler)
    actions.complaint_close(complaint=complaint, by=manager, now=T0 + timedelta(hours=5))

    # when anyone reads it
    response = handler_client.get(f"/api/v1/complaints/{complaint.pk}")

    # then the timeline is oldest first, each line with its actor, statuses and data
    assert response.status_code == 200
    timeline = domain_timeline(response.json()["timeline"])
    assert [e["kind"] for e in timeline] == [
        EventKind.CREATED,
        EventKind.TRIAGED,
        EventKind.ASSIGNED,
        EventKind.STARTED,
        EventKind.RESOLVED,
        EventKind.CLOSED,
    ]
    assert [e["actor"]["username"] if e["actor"] else None for e in timeline] == [
        None,
        None,
        "handler1",
        "handler1",
        "handler1",
        "manager1",
    ]
    assert [(e["from_status"], e["to_status"]) for e in timeline] == [
        ("", "new"),
        ("new", "new"),
        ("new", "assigned"),
        ("assigned", "in_progress"),
        ("in_progress", "resolved"),
        ("resolved", "closed"),
    ]
    times = [e["at"] for e in timeline]
    assert times == sorted(times)
    assert timeline[1]["at"] == timeline[0]["at"]  # triaged at intake
    assert timeline[4]["data"]["resolution"] == "已补发并致歉"
    body = response.json()
    assert body["triage"] == timeline[1]["data"]["result"]
    assert body["repeats"] == {"repeats": [], "repeated_by": []}
    assert body["status"] == Status.CLOSED
    assert body["assignee"] == {"username": "handler1", "name": "handler1"}
    assert body["resolution"] == "已补发并致歉"


def test_events_at_the_same_instant_keep_the_order_they_happened_in(handler, handler_client):
    complaint = make_complaint(now=T0)
    for step in (actions.complaint_assign, actions.complaint_start):
        extra = {"assignee": handler} if step is actions.complaint_assign else {}
        complaint = step(complaint=complaint, by=handler, now=T0, **extra)

    timeline = handler_client.get(f"/api/v1/complaints/{complaint.pk}").json()["timeline"]

    assert [e["kind"] for e in timeline] == [e.kind for e in complaint.events.order_by("id")]
    assert [e["kind"] for e in domain_timeline(timeline)] == [
        EventKind.CREATED,
        EventKind.TRIAGED,
        EventKind.ASSIGNED,
        EventKind.STARTED,
    ]


def test_detail_lists_attachments(handler, handler_client):
    complaint = make_complaint(now=T0)
    attachment_add(
        complaint=complaint,
        upload=SimpleUploadedFile("现场照片.png", PNG),
        by=handler,
        now=T0 + timedelta(minutes=5),
    )

    body = handler_client.get(f"/api/v1/complaints/{complaint.pk}").json()

    assert [(a["name"], a["content_type"], a["size"]) for a in body["attachments"]] == [
        ("现场照片.png", "image/png", len(PNG))
    ]
    assert domain_timeline(body["timeline"])[-1]["kind"] == EventKind.ATTACHMENT


def test_unknown_complaint_is_404(handler_client, db):
    response = handler_client.get("/api/v1/complaints/424242")

    assert response.status_code == 404
    assert "424242" in response.json()["detail"]


def test_detail_query_count_does_not_grow_with_the_timeline(
    handler, handler_client, django_assert_num_queries
):
    short = complaint_in(Status.ASSIGNED, handler=handler)
    long = complaint_in(Status.CLOSED, handler=handler)
    for i in range(10):
        actions.complaint_note_add(
            complaint=long, by=handler, now=T0 + timedelta(hours=i + 1), text=f"备注{i}"
        )

    # token, complaint with its joins, events with actors, attachments, customer identities,
    # repeat links of the complaint to earlier ones and from later ones, its incident (if any), the
    # access log line (issue 15)
    for complaint in (short, long):
        with django_assert_num_queries(9):
            response = handler_client.get(f"/api/v1/complaints/{complaint.pk}")
        assert response.status_code == 200
    # same customer, same text: the long one repeats the short one, so both directions had a link to read
    assert [r["id"] for r in response.json()["repeats"]["repeats"]] == [short.pk]
    short_repeats = handler_client.get(f"/api/v1/complaints/{short.pk}").json()["repeats"]
    assert [r["id"] for r in short_repeats["repeated_by"]] == [long.pk]
