"""The OpenAPI document and /healthz."""

from __future__ import annotations

import pytest
from django.test import Client

from kesu.core import health


def test_openapi_is_served_and_lists_the_endpoints(db):
    response = Client().get("/api/v1/openapi.json")

    assert response.status_code == 200
    document = response.json()
    paths = document["paths"]
    assert set(paths["/api/v1/complaints"]) == {"get", "post"}
    assert set(paths["/api/v1/complaints/{complaint_id}"]) == {"get"}
    assert set(paths["/api/v1/complaints/{complaint_id}/transitions"]) == {"post"}
    assert set(paths["/api/v1/complaints/{complaint_id}/attachments"]) == {"post"}
    assert set(paths["/api/v1/customers"]) == {"get"}
    assert set(paths["/api/v1/customers/{customer_id}"]) == {"get"}
    assert "BearerToken" in document["components"]["securitySchemes"]


def test_openapi_documents_the_contract(db):
    document = Client().get("/api/v1/openapi.json").json()
    schemas = document["components"]["schemas"]
    list_params = {p["name"] for p in document["paths"]["/api/v1/complaints"]["get"]["parameters"]}

    assert {
        "status",
        "channel",
        "category",
        "group",
        "assignee",
        "created_from",
        "created_to",
        "q",
        "page",
        "page_size",
    } <= list_params
    assert set(document["paths"]["/api/v1/complaints"]["post"]["responses"]) >= {"200", "201", "409", "422"}
    assert set(document["paths"]["/api/v1/complaints/{complaint_id}/transitions"]["post"]["responses"]) >= {
        "200",
        "404",
        "409",
        "422",
    }
    assert set(schemas["TransitionIn"]["properties"]["action"]["enum"]) == {
        "assign",
        "start",
        "pend",
        "resume",
        "resolve",
        "close",
        "reopen",
        "transfer",
        "merge",
        "note",
        "contact",
        "follow_up",
    }
    # the transfer form, the contact's channel and the follow-up's outcome
    assert {"done", "needed", "coordinator", "accept_minutes", "channel", "outcome"} <= set(
        schemas["TransitionIn"]["properties"]
    )
    assert {"current_status", "allowed_from"} <= set(schemas["TransitionErrorOut"]["properties"])
    assert {"next_due_at", "escalation_level"} <= set(schemas["ComplaintOut"]["properties"])
    assert {"timeline", "sla", "next_due_at", "escalation_level"} <= set(
        schemas["ComplaintDetailOut"]["properties"]
    )
    assert {"policy", "paused", "clocks"} <= set(schemas["SlaOut"]["properties"])
    assert {"clock", "state", "due_at", "overdue"} <= set(schemas["ClockOut"]["properties"])


def test_docs_page_is_served(db):
    assert Client().get("/api/v1/docs").status_code == 200


def test_healthz_reports_database_and_job_store(db):
    response = Client().get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"]["ok"] is True
    assert body["database"]["vendor"] in {"sqlite", "postgresql"}
    assert body["jobs"]["ok"] is True
    assert "pending" in body["jobs"] and "consumer_running" in body["jobs"]


def test_healthz_is_503_when_the_database_is_unreachable(db, monkeypatch):
    monkeypatch.setattr(
        health, "database_check", lambda: {"ok": False, "vendor": "postgresql", "error": "connection refused"}
    )

    response = Client().get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["database"] == {"ok": False, "vendor": "postgresql", "error": "connection refused"}
    assert body["jobs"]["ok"] is False


def test_healthz_is_503_when_the_job_store_is_unreachable(db, monkeypatch):
    class BrokenStore:
        storage = None

        def pending_count(self):
            raise OSError("redis: connection refused")

    monkeypatch.setattr(health, "HUEY", BrokenStore())

    response = Client().get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["database"]["ok"] is True
    assert body["jobs"]["ok"] is False
    assert "connection refused" in body["jobs"]["error"]


@pytest.mark.parametrize("path", ["/healthz", "/api/v1/openapi.json"])
def test_public_endpoints_need_no_token(path, db):
    assert Client().get(path).status_code == 200
