"""JSON nested deeper than Python's stack: ``POST /api/v1/calls`` with ``[[[[…]]]]`` (100,000 levels) was
a 500 (RecursionError while decoding); other operations answered a bare 400 "Cannot parse request body",
and a body nested a few hundred levels (decodable) could overflow the checks after it. Now: 422 naming the body with a
message id — ``api.not_json`` when it cannot be read, ``api.too_deep`` past 64 levels."""

from __future__ import annotations

import pytest

from kesu.core.roles import Role
from tests.factories import make_token, make_user

UNREADABLE = "[" * 100_000 + "]" * 100_000
DEEP_RULE = '{"name": "x", "conditions": ' + "[" * 200 + "]" * 200 + ', "actions": []}'


@pytest.fixture
def bearer(db):
    return {"HTTP_AUTHORIZATION": f"Bearer {make_token(make_user(Role.ADMIN))}"}


@pytest.mark.parametrize("path", ["/api/v1/complaints", "/api/v1/calls", "/api/v1/routing/rules"])
def test_json_nested_past_the_stack_is_422_not_json(client, bearer, path):
    response = client.post(path, UNREADABLE, content_type="application/json", **bearer)

    assert response.status_code == 422, response.content
    assert response.json()["detail"][0]["code"] == "api.not_json"


@pytest.mark.parametrize("path", ["/api/v1/routing/rules", "/api/v1/calls"])
def test_json_nested_past_64_levels_is_422_too_deep(client, bearer, path):
    response = client.post(path, DEEP_RULE, content_type="application/json", **bearer)

    assert response.status_code == 422, response.content
    (error,) = response.json()["detail"]
    assert error["code"] == "api.too_deep"
    assert error["params"] == {"limit": 64}
    assert error["loc"][0] == "body" and error["loc"][1].startswith("conditions")


def test_a_settings_json_field_nested_past_the_stack_is_a_form_error():
    from django.core.exceptions import ValidationError

    from kesu.settings_ui.forms import JSONText

    with pytest.raises(ValidationError):
        JSONText().clean(UNREADABLE)
