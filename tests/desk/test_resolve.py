"""Resolving takes a resolution summary and a root-cause tag: required through the API and the UI,
stored on the complaint and in the resolved event."""

from __future__ import annotations

import pytest

from kesu.complaints import lifecycle
from kesu.complaints.models import EventKind, Status
from kesu.core.errors import FieldErrors
from kesu.core.roles import Role
from tests.api.builders import complaint_in, error_fields, post_json
from tests.factories import T0, make_token, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, handler):
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {make_token(make_user(Role.MANAGER, 'zhao'))}"
    return client


def _url(complaint) -> str:
    return f"/api/v1/complaints/{complaint.pk}/transitions"


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"resolution": "已退款"}, {"root_cause": "field.required"}),
        ({"resolution": "已退款", "root_cause": "weather"}, {"root_cause": "field.unknown"}),
        ({}, {"resolution": "field.required", "root_cause": "field.required"}),  # both named at once
    ],
)
def test_the_api_requires_a_known_root_cause(api, handler, body, fields):
    complaint = complaint_in(Status.IN_PROGRESS, handler=handler)

    response = post_json(api, _url(complaint), {"action": "resolve", **body})

    assert error_fields(response) == set(fields)
    codes = {str(e["loc"][-1]): e["code"] for e in response.json()["detail"]}
    assert codes == fields
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_PROGRESS and complaint.root_cause == ""


def test_the_api_stores_the_root_cause_on_the_complaint_and_the_event(api, handler):
    complaint = complaint_in(Status.IN_PROGRESS, handler=handler)

    response = post_json(api, _url(complaint), {"action": "resolve", "resolution": "已退款 ¥120",
                                               "root_cause": "billing_error"})

    assert response.status_code == 200
    complaint.refresh_from_db()
    assert complaint.root_cause == "billing_error"
    event = complaint.events.get(kind=EventKind.RESOLVED)
    assert event.data == {"resolution": "已退款 ¥120", "root_cause": "billing_error"}


def test_the_lifecycle_step_leaves_the_tag_to_the_caller_and_still_checks_it(handler):
    complaint = complaint_in(Status.IN_PROGRESS, handler=handler)

    # imports and the demo generator may resolve without a tag
    event = lifecycle.resolve(complaint, by=handler, now=T0, resolution="ok")
    assert (complaint.root_cause, event.data["root_cause"]) == ("", "")

    other = complaint_in(Status.IN_PROGRESS, handler=handler)
    with pytest.raises(FieldErrors) as raised:
        lifecycle.resolve(other, by=handler, now=T0, resolution=" ", root_cause="weather")
    assert [field for field, _ in raised.value.errors] == ["resolution", "root_cause"]
