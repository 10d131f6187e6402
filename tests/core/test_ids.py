"""Ids typed by people: Unicode digits and numbers too large for the database are not ids (they
used to end in a server error when a merge named its primary as "²")."""

from __future__ import annotations

import pytest

from kesu.core.ids import row_id
from tests.factories import make_complaint


@pytest.mark.parametrize(("text", "expected"), [
    ("42", 42), (" 7 ", 7), ("²", None), ("١٢", None), ("9" * 19, None), ("", None), (None, None), ("-3", None),
])
def test_row_id(text, expected):
    assert row_id(text) == expected


@pytest.mark.django_db
@pytest.mark.parametrize("ref", ["²", "9" * 30])
def test_a_merge_naming_an_odd_primary_is_refused_naming_the_field(api_client, ref):
    complaint = make_complaint()
    response = api_client.post(f"/api/v1/complaints/{complaint.pk}/transitions",
                               {"action": "merge", "primary": ref, "reason": "dup"},
                               content_type="application/json")
    assert response.status_code == 422
    assert "primary" in response.content.decode()
