"""Issue 15: "huge numbers … must give a 4xx with a reason, never a 500". SQLite's INTEGER and
PostgreSQL's bigint hold 64 bits; a larger whole number reaching a query or a row was a 500
(OverflowError on SQLite, DataError on PostgreSQL): ``GET /api/v1/complaints?customer_id=2**63``,
``POST /api/v1/queues/bulk {"ids": [2**63]}``, ``POST /api/v1/incidents {"suggestion_id": 2**63}``.

Every integer the published document describes — in a path, a query or a JSON body — is tried here with
numbers past 64 bits, so a parameter added later is covered too; ``NaN`` and ``1e999`` (infinity) in a
body are refused as well (they cannot be written back as JSON)."""

from __future__ import annotations

import json

import pytest

from kesu.core.roles import Role
from tests.api.builders import error_fields
from tests.factories import make_complaint, make_token, make_user

TOO_LARGE = [2**63, -(2**63) - 1, 10**30]


@pytest.fixture
def bearer(db):
    return {"HTTP_AUTHORIZATION": f"Bearer {make_token(make_user(Role.ADMIN, 'numbers'))}"}


def _document():
    from kesu.api.main import api

    return api.get_openapi_schema(path_prefix="/api/v1/")


def _resolved(document, schema):
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def _is_integer(schema) -> bool:
    return schema.get("type") == "integer" or any(s.get("type") == "integer" for s in schema.get("anyOf", []))


def _integer_inputs():
    """(method, path, where, name) for every integer parameter and JSON body property published."""
    document = _document()
    found = []
    for path, item in document["paths"].items():
        for method, operation in item.items():
            for parameter in operation.get("parameters", []):
                if _is_integer(parameter.get("schema", {})):
                    found.append((method, path, parameter["in"], parameter["name"]))
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body:
                for name, schema in _resolved(document, body["schema"]).get("properties", {}).items():
                    schema = _resolved(document, schema)
                    if _is_integer(schema) or _is_integer(schema.get("items", {})):
                        found.append((method, path, "body", name))
    return found


INTEGER_INPUTS = _integer_inputs()


def test_the_published_document_has_integer_inputs_to_try():
    assert {where for _m, _p, where, _n in INTEGER_INPUTS} == {"path", "query", "body"}
    assert len(INTEGER_INPUTS) > 30


@pytest.mark.parametrize(("method", "path", "where", "name"), INTEGER_INPUTS)
def test_a_whole_number_past_64_bits_is_refused_never_a_server_error(client, bearer, method, path, where, name):
    # given: a complaint (#1 … for the other path parameters) and the number in one place
    complaint = make_complaint()
    for number in TOO_LARGE:
        url = path
        query, body = {}, {}
        for other in ("complaint_id", "customer_id", "incident_id", "article_id", "rule_id", "proposal_id",
                      "call_id", "notification_id", "subscriber_id"):
            url = url.replace("{" + other + "}", str(number) if (where == "path" and other == name) else str(complaint.pk))
        url = url.replace("{code}", "g").replace("{name}", "mine").replace("{token}", "t").replace("{kpi}", "fcr")
        url = url.replace("{source}", "s")
        if where == "query":
            query[name] = str(number)
        elif where == "body":
            body[name] = [number] if name == "ids" else number

        # when
        if method == "get":
            response = client.get(url, query, **bearer)
        else:
            url += "?" + "&".join(f"{key}={value}" for key, value in query.items()) if query else ""
            response = getattr(client, method)(url, json.dumps(body), content_type="application/json", **bearer)

        # then: refused (4xx) with a reason, never a 500
        assert 400 <= response.status_code < 500, (method, url, name, number, response.status_code, response.content[:300])
        if response.status_code == 422:
            assert all(error["code"] and error["message"] for error in response.json()["detail"]), response.content


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/v1/queues/bulk", {"action": "close", "ids": [1, 2**63]}, "ids"),
        ("/api/v1/incidents", {"title": "光缆中断", "kind": "outage", "scope": {"regions": ["浙江省/杭州市"]},
                               "announcement": {"zh-hans": "正在抢修", "en": "Repairing"}, "suggestion_id": 2**63},
         "suggestion_id"),
        ("/api/v1/complaints", {"channel": "phone", "content": "话费多扣", "customer_id": 10**30}, "customer_id"),
    ],
)
def test_a_body_number_past_64_bits_is_422_naming_the_field(client, bearer, path, body, field):
    response = client.post(path, json.dumps(body), content_type="application/json", **bearer)

    assert field in error_fields(response) or any(
        error["loc"][1] == field for error in response.json()["detail"]
    ), response.content
    assert response.json()["detail"][0]["code"] == "field.out_of_range"


def test_a_query_number_past_64_bits_is_422_naming_the_field(client, bearer):
    response = client.get("/api/v1/complaints", {"customer_id": str(2**63)}, **bearer)

    assert error_fields(response) == {"customer_id"}
    error = response.json()["detail"][0]
    assert error["code"] == "field.out_of_range"
    assert error["params"]["high"] == 2**63 - 1


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_a_number_json_cannot_carry_back_is_422(client, bearer, number):
    body = '{"target": ' + number + ', "amber": 0.8, "red": 0.7}'  # what Python's json reads, not JSON

    response = client.put("/api/v1/analytics/targets/fcr", body, content_type="application/json", **bearer)

    assert error_fields(response) == {"target"}
    assert response.json()["detail"][0]["code"] == "field.invalid_value"


def test_an_ordinary_id_still_answers(client, bearer):
    response = client.get("/api/v1/complaints", {"customer_id": "12"}, **bearer)

    assert response.status_code == 200
