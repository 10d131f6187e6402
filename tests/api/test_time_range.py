"""A time or day near year 1 or 9999 is refused with 422 naming the field (API) or shown as a bad filter
(pages) — before, the conversion to UTC or "30 days earlier" overflowed: a 500 (the fuzzer's find:
``/api/v1/privacy/access-log?until=1661-01-22T14:27:03+21:41``, SQLite)."""

from __future__ import annotations

import json

import pytest

from kesu.core.roles import Role
from tests.api.builders import error_fields
from tests.factories import make_token, make_user


@pytest.fixture
def admin(db):
    return make_user(Role.ADMIN)


@pytest.fixture
def bearer(admin):
    return {"HTTP_AUTHORIZATION": f"Bearer {make_token(admin)}"}


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/api/v1/privacy/access-log?until=1661-01-22T14%3A27%3A03.583%2B21%3A41", "until"),
        ("/api/v1/privacy/access-log.csv?since=9999-12-31T23%3A27%3A03-21%3A41", "since"),
        ("/api/v1/complaints?created_from=0001-01-01T00%3A27%3A03", "created_from"),
        ("/api/v1/analytics/kpis?to=0001-01-05", "to"),
        ("/api/v1/surveys/metrics?from=0001-01-01T00%3A00%2B08%3A00", "from"),
    ],
)
def test_a_time_outside_1900_to_2999_is_422_naming_the_field(client, bearer, path, field):
    response = client.get(path, **bearer)

    assert error_fields(response) == {field}
    assert response.json()["detail"][0]["code"] == "field.datetime_range"


def test_an_ordinary_time_filter_still_answers(client, bearer):
    response = client.get("/api/v1/privacy/access-log?until=2026-01-22T14%3A27%3A03%2B08%3A00", **bearer)

    assert response.status_code == 200, response.content


@pytest.mark.parametrize("starts_at", ["0001-01-01T00:00:00+08:00", "2026-13-01T00:00:00+08:00"])
def test_an_incident_starting_at_no_usable_time_is_422(client, bearer, starts_at):
    body = {"title": "光缆中断", "kind": "outage", "scope": {"regions": ["浙江省/杭州市"]},
            "announcement": {"zh-hans": "正在抢修", "en": "Repairing"}, "starts_at": starts_at}

    response = client.post("/api/v1/incidents", json.dumps(body), content_type="application/json", **bearer)

    assert "starts_at" in error_fields(response)


@pytest.mark.parametrize(
    "path",
    [
        "/security/events/?since=2026-13-40&until=9999-12-31",
        "/privacy/access-log/?from=0001-01-01&to=9999-12-31",
        "/analytics/?to=0001-01-01",
    ],
)
def test_a_page_filtered_by_an_impossible_day_answers(client, admin, path):
    client.force_login(admin)

    response = client.get(path)

    assert response.status_code in (200, 400), response.status_code


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/complaints?created_from=2026-01-01T00%3A00%3A00%2B23%3A59",
        "/api/v1/complaints?created_to=2999-12-31T23%3A59%3A59-23%3A59",
        "/api/v1/privacy/access-log?since=1900-01-01T00%3A00%3A00%2B23%3A59",
    ],
)
def test_an_offset_past_15_hours_is_read_in_utc(client, bearer, path):
    """PostgreSQL refuses an offset past ±15:59 ("time zone displacement out of range", a 500); Python
    accepts up to ±23:59. The time is the same instant in UTC."""
    response = client.get(path, **bearer)

    assert response.status_code == 200, response.content
