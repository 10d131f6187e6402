"""A NUL character in a query parameter or a path segment: PostgreSQL cannot compare it (a DataError,
a 500: ``GET /api/v1/knowledge/articles?category=%00``, ``/api/v1/incidents?state=%00``,
``/api/v1/analytics/kpis?group=%00``). It is refused before any view runs, naming the parameter — 422
in the API's shape, the refusal page for pages."""

from __future__ import annotations

import pytest

from kesu.core.roles import Role
from tests.factories import make_token, make_user


@pytest.fixture
def admin(db):
    return make_user(Role.ADMIN)


@pytest.fixture
def bearer(admin):
    return {"HTTP_AUTHORIZATION": f"Bearer {make_token(admin)}"}


@pytest.mark.parametrize(
    ("path", "where", "field"),
    [
        ("/api/v1/knowledge/articles?category=%00", "query", "category"),
        ("/api/v1/incidents?state=a%00b", "query", "state"),
        ("/api/v1/analytics/kpis?group=%00", "query", "group"),
        ("/api/v1/customers/lookup?phone=138%00", "query", "phone"),
        ("/api/v1/queues/mine%00", "path", "name"),
    ],
)
def test_a_nul_in_the_query_or_path_is_422_naming_it(client, bearer, path, where, field):
    response = client.get(path, **bearer)

    assert response.status_code == 422, response.content
    (error,) = response.json()["detail"]
    assert error["loc"] == [where, field]
    assert error["code"] == "field.nul"
    assert error["message"]


def test_a_nul_in_a_pages_filter_is_refused_with_a_reason(client, admin):
    client.force_login(admin)

    response = client.get("/?category=%00")

    assert response.status_code == 422
    assert response.content.strip()


def test_an_ordinary_query_still_answers(client, bearer):
    response = client.get("/api/v1/knowledge/articles?category=billing", **bearer)

    assert response.status_code == 200
