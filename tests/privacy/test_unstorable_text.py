"""Defect 1: a lone surrogate (or NUL) in any text is refused at the edge with 422 naming the field,
and nothing is written — before, the note was saved and the complaint's detail was a 500 for ever."""

from __future__ import annotations

import pytest

from kesu.complaints.models import Complaint, ComplaintEvent
from tests.api.builders import complaint_in, error_fields, post_json
from tests.factories import make_complaint

SURROGATE = '"\\udfff"'  # JSON text: json.dumps cannot write a lone surrogate, a client can


def raw_body(**fields: str) -> str:
    """A JSON body whose string values are written as given (``SURROGATE`` stays an escape)."""
    return "{" + ", ".join(f'"{key}": {value}' for key, value in fields.items()) + "}"


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"action": '"note"', "text": SURROGATE}, "text"),
        ({"action": '"pend"', "reason": '"a\\ud800b"'}, "reason"),
        ({"action": '"note"', "text": '"x\\u0000y"'}, "text"),
    ],
)
def test_transition_text_that_cannot_be_stored_is_422_and_nothing_is_written(
    handler, handler_client, fields, named
):
    complaint = complaint_in("in_progress", handler=handler)
    events_before = ComplaintEvent.objects.filter(complaint=complaint).count()

    response = post_json(handler_client, f"/api/v1/complaints/{complaint.pk}/transitions", raw_body(**fields))

    assert error_fields(response) == {named}
    assert response.json()["detail"][0]["code"] in ("field.unencodable", "field.nul")
    assert ComplaintEvent.objects.filter(complaint=complaint).count() == events_before
    assert handler_client.get(f"/api/v1/complaints/{complaint.pk}").status_code == 200


def test_correction_reason_and_reply_text_are_refused(handler, handler_client):
    complaint = complaint_in("in_progress", handler=handler)
    events_before = ComplaintEvent.objects.filter(complaint=complaint).count()

    correction = post_json(
        handler_client, f"/api/v1/complaints/{complaint.pk}/corrections",
        raw_body(field='"severity"', value='"urgent"', reason=SURROGATE),
    )
    reply = post_json(handler_client, f"/api/v1/complaints/{complaint.pk}/replies", raw_body(text=SURROGATE))

    assert error_fields(correction) == {"reason"}
    assert error_fields(reply) == {"text"}
    assert ComplaintEvent.objects.filter(complaint=complaint).count() == events_before


def test_new_complaint_with_a_surrogate_in_the_customer_name_names_the_nested_field(handler_client, db):
    make_complaint()
    before = Complaint.objects.count()

    response = post_json(
        handler_client, "/api/v1/complaints",
        '{"channel": "web", "content": "退款没到账", "customer": {"name": "\\udfff", "phone": "13800138000"}}',
    )

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "customer", "name"]
    assert Complaint.objects.count() == before
