"""Rules an integrator runs into: who may be assigned, merge chains, checked filters, equal amounts."""

from __future__ import annotations

import pytest

from kesu.complaints.models import Complaint, Status
from kesu.core.roles import Role
from kesu.pipeline import transitions as actions
from tests.api.builders import complaint_in, error_fields, post_json
from tests.factories import T0, make_complaint, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [Role.ANALYST, Role.DECISION])
def test_a_complaint_cannot_be_assigned_to_someone_who_does_not_handle_complaints(handler_client, role):
    complaint = make_complaint()
    reader = make_user(role, "reader")

    response = post_json(
        handler_client,
        f"/api/v1/complaints/{complaint.pk}/transitions",
        {"action": "assign", "assignee": "reader"},
    )

    assert response.status_code == 422
    assert error_fields(response) == {"assignee"}
    assert response.json()["detail"][0]["code"] == "assignee.not_handler"
    assert reader.complaints.count() == 0


def test_merging_away_a_complaint_that_has_duplicates_is_refused(manager_client, handler):
    primary, duplicate, third = (complaint_in(Status.NEW, handler=handler) for _ in range(3))
    actions.complaint_merge(duplicate=duplicate, primary=primary, by=None, now=T0)

    response = post_json(
        manager_client,
        f"/api/v1/complaints/{primary.pk}/transitions",
        {"action": "merge", "primary": third.number},
    )

    assert response.status_code == 422
    error = response.json()["detail"][0]
    assert (error["code"], error["params"]["other"]) == ("merge.has_duplicates", third.number)
    assert Complaint.objects.get(pk=primary.pk).status == Status.NEW


def test_reopening_a_merged_duplicate_names_its_primary(handler_client, handler):
    primary, duplicate = complaint_in(Status.NEW, handler=handler), complaint_in(Status.NEW, handler=handler)
    actions.complaint_merge(duplicate=duplicate, primary=primary, by=None, now=T0)

    response = post_json(
        handler_client,
        f"/api/v1/complaints/{duplicate.pk}/transitions",
        {"action": "reopen", "reason": "客户又来电"},
    )

    assert response.status_code == 409
    assert response.json()["code"] == "transition.merged_reopen"
    assert response.json()["params"]["primary"] == primary.number
    assert response.json()["current_status"] == "closed"


@pytest.mark.parametrize("param", ["status=new,bogus", "channel=fax"])
def test_an_unknown_status_or_channel_filter_is_an_error_not_an_empty_list(handler_client, param):
    response = handler_client.get(f"/api/v1/complaints?{param}")
    assert response.status_code == 422
    assert param.split("=")[0] in response.json()["detail"][0]["loc"]


def test_status_filter_tolerates_spaces_after_commas(handler_client, handler):
    complaint_in(Status.NEW, handler=handler)
    complaint_in(Status.ASSIGNED, handler=handler)
    assert handler_client.get("/api/v1/complaints?status=new, assigned").json()["count"] == 2


def test_the_same_amount_written_two_ways_is_the_same_request(handler_client):
    body = {"channel": "phone", "content": "多扣了费用", "customer": {"phone": "13800001111"}}
    first = post_json(
        handler_client, "/api/v1/complaints", {**body, "amount_claimed": "12.5"}, **{"Idempotency-Key": "k-1"}
    )
    again = post_json(
        handler_client,
        "/api/v1/complaints",
        {**body, "amount_claimed": "12.50"},
        **{"Idempotency-Key": "k-1"},
    )
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
