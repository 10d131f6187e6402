from __future__ import annotations

import pytest

from tests.api.builders import client_for


@pytest.mark.django_db
def test_the_calls_endpoints_are_documented(handler):
    schema = client_for(handler).get("/api/v1/openapi.json").json()

    body = schema["paths"]["/api/v1/calls"]["post"]["requestBody"]["content"]
    assert set(body) == {"application/json", "multipart/form-data"}
    assert "duration_seconds" in body["application/json"]["schema"]["properties"]
    assert "get" in schema["paths"]["/api/v1/calls"]
    assert "/api/v1/customers/lookup" in schema["paths"]
