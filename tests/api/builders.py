"""Complaints in a given status, built through the actions (shared by the API and domain tests)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from django.test import Client

from kesu.complaints.models import Complaint, Status
from kesu.pipeline import transitions as actions
from tests.factories import T0, make_complaint, make_token

MINUTE = timedelta(minutes=1)

# what each allowed action leads to (reopen returns to the resolving handler, hence "assigned";
# contact and follow-up are recorded without a change of status: None)
RESULT_OF: dict[str, str | None] = {
    "assign": Status.ASSIGNED,
    "start": Status.IN_PROGRESS,
    "pend": Status.PENDING_CUSTOMER,
    "resume": Status.IN_PROGRESS,
    "resolve": Status.RESOLVED,
    "close": Status.CLOSED,
    "reopen": Status.ASSIGNED,
    "transfer": Status.NEW,
    "merge": Status.CLOSED,
    "contact": None,
    "follow_up": None,
}


def complaint_in(status: str, *, handler, by=None, now: datetime = T0, **draft) -> Complaint:
    """A complaint walked from ``new`` to ``status`` by ``handler``, one minute per step."""
    by = by or handler
    complaint = make_complaint(now=now, **draft)
    steps = {
        Status.NEW: [],
        Status.ASSIGNED: ["assign"],
        Status.IN_PROGRESS: ["assign", "start"],
        Status.PENDING_CUSTOMER: ["assign", "start", "pend"],
        Status.RESOLVED: ["assign", "start", "resolve"],
        Status.CLOSED: ["assign", "start", "resolve", "close"],
    }[status]
    for i, step in enumerate(steps, start=1):
        at = now + i * MINUTE
        match step:
            case "assign":
                complaint = actions.complaint_assign(complaint=complaint, assignee=handler, by=by, now=at)
            case "start":
                complaint = actions.complaint_start(complaint=complaint, by=by, now=at)
            case "pend":
                complaint = actions.complaint_pend(
                    complaint=complaint, by=by, now=at, reason="等客户补充照片"
                )
            case "resolve":
                complaint = actions.complaint_resolve(
                    complaint=complaint, by=by, now=at, resolution="已补发并致歉"
                )
            case "close":
                complaint = actions.complaint_close(complaint=complaint, by=by, now=at)
    assert complaint.status == status
    return complaint


def client_for(user) -> Client:
    """A test client that sends ``user``'s bearer token."""
    return Client(HTTP_AUTHORIZATION=f"Bearer {make_token(user)}")


def post_json(client: Client, path: str, body, **headers):
    data = body if isinstance(body, str | bytes) else json.dumps(body, ensure_ascii=False)
    return client.post(path, data=data, content_type="application/json", headers=headers)


def error_fields(response) -> set[str]:
    """The field names a 422 response points at (last element of each ``loc``)."""
    assert response.status_code == 422, response.content
    return {str(error["loc"][-1]) for error in response.json()["detail"]}


def unworded(value):
    """API output without the ``message`` the API adds to each stored message (to compare ids)."""
    if isinstance(value, dict):
        return {key: unworded(item) for key, item in value.items() if not (key == "message" and "code" in value)}
    if isinstance(value, list):
        return [unworded(item) for item in value]
    return value
