"""The compensation API: suggestions, proposals with their audit trail, the queue and decisions."""

from __future__ import annotations

import pytest

from kesu.compensation.models import CompensationRule
from kesu.core.roles import Role
from tests.factories import make_complaint, make_token, make_user


@pytest.fixture
def complaint(db, handler):
    return make_complaint(by=handler)


def _as(client, user):
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {make_token(user)}"
    return client


def _post(client, url, body):
    return client.post(url, body, content_type="application/json")


def test_propose_queue_and_approve(client, complaint, handler, manager):
    CompensationRule.objects.create(remedies=["apology", "coupon"], min_amount=0, max_amount=50)
    url = f"/api/v1/complaints/{complaint.pk}/compensation"
    response = _post(_as(client, handler), url, {"amount": "7000.00", "remedy": "refund", "reason": "broken"})
    assert response.status_code == 201, response.content
    proposal = response.json()
    assert (proposal["status"], proposal["needs_approval_by"], proposal["amount"]) == ("pending", "manager", "7000.00")

    assert _as(client, handler).get("/api/v1/compensation/queue").json() == []
    decision = f"/api/v1/compensation/proposals/{proposal['id']}/decision"
    refused = _post(client, decision, {"approve": True})
    assert refused.status_code == 403
    assert refused.json()["code"] == "compensation.over_limit"
    assert refused.json()["params"]["limit"] == {"code": "compensation.yuan", "params": {"amount": "500"}}

    queue = _as(client, manager).get("/api/v1/compensation/queue").json()
    assert [p["id"] for p in queue] == [proposal["id"]]
    approved = _post(client, decision, {"approve": True, "reason": "goodwill"})
    assert approved.status_code == 200
    assert (approved.json()["status"], approved.json()["decided_by"]) == ("approved", "manager1")
    again = _post(client, decision, {"approve": False, "reason": "changed my mind"})
    assert again.status_code == 409
    assert again.json()["code"] == "compensation.decided"

    shown = client.get(url).json()
    assert shown["suggestions"] == [
        {"remedies": ["apology", "coupon"], "min_amount": "0.00", "max_amount": "50.00", "matched": "any"}
    ]
    assert [e["kind"] for e in shown["proposals"][0]["events"]] == ["proposed", "approved"]
    assert shown["proposals"][0]["events"][1]["actor"] == "manager1"


def test_reject_without_reason_is_422(client, complaint, handler, manager):
    url = f"/api/v1/complaints/{complaint.pk}/compensation"
    proposal = _post(_as(client, handler), url, {"amount": 600, "remedy": "refund"}).json()
    response = _post(_as(client, manager), f"/api/v1/compensation/proposals/{proposal['id']}/decision",
                     {"approve": False})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "reason"]


@pytest.mark.parametrize("amount", [12.5, "-3", "2000000", "1.234"])
def test_bad_amounts_are_422_naming_amount(client, complaint, handler, amount):
    response = _post(_as(client, handler), f"/api/v1/complaints/{complaint.pk}/compensation",
                     {"amount": amount, "remedy": "refund"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "amount"]


def test_unknown_complaint_and_proposal_are_404(client, db, handler):
    _as(client, handler)
    assert client.get("/api/v1/complaints/999999/compensation").status_code == 404
    assert _post(client, "/api/v1/complaints/999999/compensation", {"amount": "1", "remedy": "x"}).status_code == 404
    assert _post(client, "/api/v1/compensation/proposals/999999/decision", {"approve": True}).status_code == 404


def test_an_analyst_may_not_propose(client, complaint):
    analyst = make_user(Role.ANALYST, "analyst9")
    response = _post(_as(client, analyst), f"/api/v1/complaints/{complaint.pk}/compensation",
                     {"amount": "1", "remedy": "x"})
    assert response.status_code == 403
