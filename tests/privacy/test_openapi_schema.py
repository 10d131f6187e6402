"""Defect 8: every schema the API publishes has a unique name (two ``EventOut`` models made every
complaint-detail response violate the published document), and real responses validate against the
published OpenAPI document."""

from __future__ import annotations

from collections import defaultdict

import jsonschema_rs
import pytest
from pydantic import BaseModel

from kesu.api.main import api
from tests.api.builders import complaint_in, post_json


def _models(annotation, found: set[type[BaseModel]]) -> None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in found:
            return
        found.add(annotation)
        for field in annotation.model_fields.values():
            _models(field.annotation, found)
        return
    for arg in getattr(annotation, "__args__", ()) or ():
        _models(arg, found)


def test_no_two_published_models_share_a_name():
    found: set[type[BaseModel]] = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in (operation.response_models or {}).values():
                    _models(model, found)
                for model in operation.models:
                    _models(model, found)
    by_name: dict[str, set[str]] = defaultdict(set)
    for model in found:
        by_name[model.__name__].add(f"{model.__module__}.{model.__qualname__}")
    clashes = {name: sorted(where) for name, where in by_name.items()
               if len(where) > 1 and not name.startswith(("Response", "ListParams", "Query", "Body", "Path"))
               and "ninja" not in " ".join(where)}
    assert clashes == {}


def _validator(document: dict, path: str, method: str, status: int):
    operation = document["paths"][path][method]
    schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
    return jsonschema_rs.validator_for({**schema, "components": document["components"]})


@pytest.fixture
def document(client):
    return client.get("/api/v1/openapi.json").json()


def test_complaint_detail_list_and_compensation_responses_match_the_published_schema(
    handler, handler_client, document
):
    complaint = complaint_in("in_progress", handler=handler)
    post_json(handler_client, f"/api/v1/complaints/{complaint.pk}/compensation",
              {"amount": "100", "remedy": "coupon", "reason": "late"})
    checks = [
        ("/api/v1/complaints/{complaint_id}", f"/api/v1/complaints/{complaint.pk}"),
        ("/api/v1/complaints", "/api/v1/complaints"),
        ("/api/v1/complaints/{complaint_id}/compensation", f"/api/v1/complaints/{complaint.pk}/compensation"),
        ("/api/v1/customers/{customer_id}", f"/api/v1/customers/{complaint.customer_id}"),
    ]
    for template, path in checks:
        response = handler_client.get(path)
        assert response.status_code == 200, (path, response.content[:200])
        errors = [str(e) for e in _validator(document, template, "get", 200).iter_errors(response.json())]
        assert errors == [], (path, errors[:3])
