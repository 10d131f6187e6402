"""Authorization: Bearer <token>. 401 without a valid token, 403 when the role may not."""

from __future__ import annotations

import pytest
from django.test import Client

from kesu.complaints.models import Complaint, EventKind
from kesu.core.models import ApiToken, token_digest
from kesu.core.roles import Role
from tests.api.builders import client_for, post_json
from tests.api.conftest import NOW
from tests.factories import domain_kinds, make_complaint, make_token, make_user

BODY = {"channel": "phone", "content": "电话一直打不通", "customer": {"phone": "13700137000"}}


@pytest.fixture
def complaint(db):
    return make_complaint()


def _every_endpoint(complaint) -> list[tuple[str, str, dict | None]]:
    return [
        ("get", "/api/v1/complaints", None),
        ("post", "/api/v1/complaints", BODY),
        ("get", f"/api/v1/complaints/{complaint.pk}", None),
        ("post", f"/api/v1/complaints/{complaint.pk}/transitions", {"action": "note", "text": "hi"}),
        ("post", f"/api/v1/complaints/{complaint.pk}/corrections", {"category": "service-attitude"}),
        ("get", "/api/v1/customers", None),
        ("get", f"/api/v1/customers/{complaint.customer_id}", None),
    ]


def _call(client: Client, method: str, path: str, body):
    return post_json(client, path, body) if method == "post" else client.get(path)


@pytest.mark.parametrize(
    "authorization",
    [None, "", "Bearer", "Bearer ", "Bearer ks_not-a-real-token", "Token ks_whatever", "ks_whatever"],
)
def test_without_a_valid_token_every_endpoint_is_401(authorization, complaint, handler):
    make_token(handler)  # a real token exists, but the request does not carry it
    client = Client() if authorization is None else Client(HTTP_AUTHORIZATION=authorization)

    for method, path, body in _every_endpoint(complaint):
        response = _call(client, method, path, body)
        assert response.status_code == 401, (method, path, response.content)
    assert Complaint.objects.count() == 1


def test_a_revoked_token_is_401(handler, complaint):
    raw = make_token(handler)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/v1/complaints").status_code == 200

    ApiToken.objects.filter(digest=token_digest(raw)).update(revoked_at=NOW)  # no revoke action exists yet

    assert client.get("/api/v1/complaints").status_code == 401
    assert post_json(client, "/api/v1/complaints", BODY).status_code == 401


def test_a_token_of_a_deactivated_user_is_401(handler, complaint):
    client = client_for(handler)
    handler.is_active = False
    handler.save()

    assert client.get("/api/v1/complaints").status_code == 401


def test_only_the_digest_of_a_token_is_stored(handler):
    raw = make_token(handler)

    stored = ApiToken.objects.get(user=handler)
    assert stored.digest == token_digest(raw) != raw
    assert raw.startswith(stored.prefix)
    assert not ApiToken.objects.filter(digest=raw).exists()


@pytest.mark.parametrize("role", [Role.ANALYST, Role.DECISION])
def test_read_only_roles_read_but_may_not_write(role, complaint):
    client = client_for(make_user(role))
    events = list(complaint.events.values_list("pk", "kind"))

    for method, path, body in _every_endpoint(complaint):
        response = _call(client, method, path, body)
        expected = 403 if method == "post" else 200
        assert response.status_code == expected, (method, path, response.content)
        if expected == 403:
            body = response.json()
            assert (body["code"], body["params"]["role"]) == ("permission.denied", {"code": f"role.{role}", "params": {}})
    assert Complaint.objects.count() == 1
    assert list(complaint.events.values_list("pk", "kind")) == events
    assert domain_kinds(complaint) == [EventKind.CREATED, EventKind.TRIAGED]


@pytest.mark.parametrize("role", [Role.HANDLER, Role.SPECIALIST, Role.MANAGER, Role.ADMIN])
def test_handling_roles_may_create_and_transition(role, complaint):
    client = client_for(make_user(role))

    assert post_json(client, "/api/v1/complaints", BODY).status_code == 201
    note = post_json(
        client, f"/api/v1/complaints/{complaint.pk}/transitions", {"action": "note", "text": "跟进"}
    )
    assert note.status_code == 200


def test_the_actor_of_an_api_change_is_the_token_owner(handler, handler_client):
    response = post_json(handler_client, "/api/v1/complaints", BODY)

    complaint = Complaint.objects.get(pk=response.json()["id"])
    assert complaint.created_by == handler
    assert complaint.events.get(kind=EventKind.CREATED).actor == handler
    assert complaint.events.get(kind=EventKind.TRIAGED).actor is None  # triage at intake is the system's
