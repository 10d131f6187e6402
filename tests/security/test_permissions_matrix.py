"""Issue 15, "In CI": who may do what, as ONE table of endpoint × role → expected HTTP status.

Each cell is its own test: a fresh database with one user per role (the handler works in the
complaint's group and is its assignee), the API called with the role's bearer token, pages with the
role's session. 200/201 means allowed, 403 refused, 302 a page that sends the user elsewhere (the
admin site to its login: only administrators and managers are staff), 422 an allowed call whose body
the table leaves invalid on purpose (the domain's check runs after the permission's)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from kesu.core.roles import Role
from tests.api.builders import complaint_in
from tests.factories import make_group, make_token, make_user

ROLES = ["handler", "specialist", "manager", "analyst", "decision", "admin", "dpo"]

NEW_COMPLAINT = {
    "channel": "phone",
    "content": "快递三天没到，要求退款。",
    "customer": {"name": "李雷", "phone": "13900139000"},
}

# endpoint                                          handler spec. manager analyst decision admin dpo
TABLE = """
GET  /api/v1/complaints                             200  200  200  200  200  200  200
GET  /api/v1/complaints/{complaint}                 200  200  200  200  200  200  200
POST /api/v1/complaints                             201  201  201  403  403  201  403
POST /api/v1/complaints/{complaint}/transitions     200  200  200  403  403  200  403
POST /api/v1/complaints/{complaint}/transitions?resolve 200 403 200 403 403 200 403
GET  /api/v1/customers                              200  200  200  200  200  200  200
GET  /api/v1/customers/{customer}                   200  200  200  200  200  200  200
GET  /api/v1/routing/rules                          403  403  200  403  403  200  403
GET  /api/v1/routing/groups                         403  403  200  403  403  200  403
GET  /api/v1/notifications                          200  200  200  200  200  200  200
GET  /api/v1/knowledge/articles                     200  200  200  200  200  200  200
POST /api/v1/knowledge/articles                     403  403  201  403  403  201  403
GET  /api/v1/compensation/queue                     200  200  200  200  200  200  200
GET  /api/v1/calls                                  200  200  200  403  403  200  403
GET  /api/v1/queues                                 200  200  200  200  200  200  200
POST /api/v1/queues/bulk                            422  422  422  403  403  422  403
GET  /api/v1/incidents                              200  200  200  200  200  200  200
POST /api/v1/incidents                              403  403  422  403  403  422  403
GET  /api/v1/analytics/kpis                         403  403  200  200  200  200  403
PUT  /api/v1/analytics/targets/first_response_timeliness 403 403 403 403 200 200 403
GET  /api/v1/privacy/access-log                     403  403  403  403  403  200  200
GET  /                                              200  200  200  200  200  200  200
GET  /complaints/{complaint}/                       200  200  200  200  200  200  200
GET  /library/                                      200  200  200  200  200  200  200
GET  /compensation/approvals/                       200  200  200  200  200  200  200
GET  /incidents/                                    200  200  200  200  200  200  200
GET  /analytics/                                    403  403  200  200  200  200  403
GET  /operations/risk/                              403  403  200  200  200  200  403
GET  /settings/                                     403  403  200  403  403  200  403
GET  /privacy/access-log/                           403  403  403  403  403  200  200
GET  /security/events/                              403  403  403  403  403  200  200
GET  /admin/                                        302  302  200  302  302  200  302
"""

BODIES = {
    "POST /api/v1/complaints": NEW_COMPLAINT,
    # a note is for every handling role (the second line adds what it found)
    "POST /api/v1/complaints/{complaint}/transitions": {"action": "note", "text": "已致电客户，约定明天回访"},
    # resolving is for the assignee, their group's people and the management layer (defect 3)
    "POST /api/v1/complaints/{complaint}/transitions?resolve": {
        "action": "resolve",
        "resolution": "已补发并致歉",
        "root_cause": "other",
    },
    "POST /api/v1/knowledge/articles": {"title": "退款流程", "body": "核对订单后原路退回。"},
    # allowed roles reach the domain's check (422: no complaint chosen), the others are refused first
    "POST /api/v1/queues/bulk": {"action": "close", "ids": [], "note": ""},
    "POST /api/v1/incidents": {},
    "PUT /api/v1/analytics/targets/first_response_timeliness": {"target": 0.9, "amber": 0.8, "red": 0.7},
}


def _cells():
    for line in TABLE.strip().splitlines():
        method, path, *statuses = line.split()
        assert len(statuses) == len(ROLES), line
        for role, status in zip(ROLES, statuses, strict=True):
            yield pytest.param(method, path, role, int(status), id=f"{role}:{method} {path}")


@pytest.fixture
def world(db):
    group = make_group("front-desk")
    users = {
        role: make_user(role, f"m-{role}", groups=[group] if role == Role.HANDLER else []) for role in ROLES
    }
    complaint = complaint_in("in_progress", handler=users["handler"])
    return users, complaint


@pytest.mark.parametrize(("method", "path", "role", "expected"), list(_cells()))
def test_permissions_matrix(world, method, path, role, expected):
    users, complaint = world
    url = path.split("?")[0].format(complaint=complaint.pk, customer=complaint.customer_id)
    client = Client()
    headers = {}
    if path.startswith("/api/"):
        headers["HTTP_AUTHORIZATION"] = f"Bearer {make_token(users[role])}"
    else:
        client.force_login(users[role])
    body = BODIES.get(f"{method} {path}")
    if method == "GET":
        response = client.get(url, **headers)
    else:
        response = client.generic(
            method,
            url,
            json.dumps(body if body is not None else {}),
            content_type="application/json",
            **headers,
        )
    assert response.status_code == expected, response.content[:300]
