"""Found by schemathesis (issue 15): the API answers 401, 403, 404, 409, 422 and 429 through shared
handlers, but the published OpenAPI document listed only each operation's own statuses, so a client
generated from it met undocumented responses (a missing token on any operation, a 422 on
``GET /complaints?page_size=x``). Every operation now documents the refusals, with the error shape."""

from __future__ import annotations

import jsonschema_rs
import pytest

from tests.factories import make_token, make_user

REFUSALS = {"400", "401", "403", "404", "409", "413", "422", "429"}


@pytest.fixture
def document(client):
    return client.get("/api/v1/openapi.json").json()


def _validator(document, path, method, status):
    schema = document["paths"][path][method]["responses"][status]["content"]["application/json"]["schema"]
    return jsonschema_rs.validator_for({**schema, "components": document["components"]})


def test_every_operation_publishes_the_refusals(document):
    missing = {
        f"{method.upper()} {path}": sorted(REFUSALS - set(operation["responses"]))
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if REFUSALS - set(operation["responses"])
    }
    assert missing == {}


def test_a_missing_token_and_a_bad_page_size_answer_as_published(db, client, document):
    unauthenticated = client.get("/api/v1/complaints")
    assert unauthenticated.status_code == 401
    _validator(document, "/api/v1/complaints", "get", "401").validate(unauthenticated.json())

    token = make_token(make_user())
    bad_page = client.get("/api/v1/complaints?page_size=x", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert bad_page.status_code == 422
    assert bad_page.json()["detail"][0]["loc"][-1] == "page_size"
    _validator(document, "/api/v1/complaints", "get", "422").validate(bad_page.json())


def test_an_operations_own_error_schema_is_kept(document):
    """Where an operation documents a refusal itself, its own schema stays (nothing is overwritten)."""
    own = document["paths"]["/api/v1/knowledge/articles"]["get"]["responses"]["422"]
    assert own["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}
    assert document["components"]["schemas"]["ErrorOut"]["properties"]["code"] != {"type": "string"}


def test_the_published_document_has_no_duplicated_key(client):
    """An operation's own 422 (an int key) and an added "422" were both written: Swagger UI refused the
    document ("duplicated mapping key") while Python's json kept the last one silently."""
    import json

    def unique(pairs):
        keys = [key for key, _value in pairs]
        assert len(keys) == len(set(keys)), sorted(key for key in keys if keys.count(key) > 1)
        return dict(pairs)

    json.loads(client.get("/api/v1/openapi.json").content, object_pairs_hook=unique)
