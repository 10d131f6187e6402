"""GET /api/v1/notifications and POST /api/v1/notifications/{id}/read: the caller's own notices."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from kesu.core.messages import Message
from kesu.core.roles import Role
from kesu.notifications.actions import notify
from tests.factories import T0, make_complaint, make_token, make_user

pytestmark = pytest.mark.django_db

URL = "/api/v1/notifications"
MINUTE = timedelta(minutes=1)
NOW = T0 + timedelta(hours=2)


@pytest.fixture(autouse=True)
def _api_clock():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def api(client, handler):
    client.defaults["HTTP_AUTHORIZATION"] = f"Bearer {make_token(handler)}"
    return client


def _tell(user, count: int, *, complaint=None, start=T0):
    return [
        notify(recipients=[user], kind="escalated", title=Message("notification.text", text=f"升级 {n}"),  key=f"e:{start}:{n}",
               now=start + n * MINUTE, complaint=complaint)[0]
        for n in range(count)
    ]


def test_the_list_holds_the_callers_notices_newest_first(api, handler):
    complaint = make_complaint()
    first, second = _tell(handler, 2, complaint=complaint)
    _tell(make_user(Role.HANDLER, "other"), 3)

    body = api.get(URL).json()

    assert (body["count"], body["unread"], body["pages"]) == (2, 2, 1)
    assert [item["id"] for item in body["items"]] == [second.pk, first.pk]
    item = body["items"][0]
    assert item["title"] == "升级 1" and item["kind"] == "escalated"
    assert item["complaint_id"] == complaint.pk and item["complaint_number"] == complaint.number
    assert item["read_at"] is None and item["urgent"] is False


def test_the_unread_filter_and_pages(api, handler):
    notices = _tell(handler, 5)
    api.post(f"{URL}/{notices[0].pk}/read")

    unread = api.get(URL, {"unread": "true", "page_size": 2, "page": 2}).json()

    assert (unread["count"], unread["unread"], unread["pages"], unread["page"]) == (4, 4, 2, 2)
    assert [item["id"] for item in unread["items"]] == [notices[2].pk, notices[1].pk]
    assert api.get(URL).json()["unread"] == 4


def test_a_bad_page_is_a_422_naming_the_field(api):
    response = api.get(URL, {"page_size": 1000})

    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "page_size"]


def test_marking_read(api, handler):
    (notice,) = _tell(handler, 1)

    response = api.post(f"{URL}/{notice.pk}/read")

    assert response.status_code == 200
    assert response.json()["read_at"].startswith(NOW.isoformat()[:19])
    notice.refresh_from_db()
    assert notice.read_at == NOW


def test_another_persons_notice_is_not_found(api):
    (theirs,) = _tell(make_user(Role.HANDLER, "someone"), 1)

    response = api.post(f"{URL}/{theirs.pk}/read")

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_all_read(api, handler):
    _tell(handler, 3)

    assert api.post(f"{URL}/read-all").json() == {"marked": 3}
    assert api.get(URL).json()["unread"] == 0


def test_without_a_token_the_list_is_refused(client):
    assert client.get(URL).status_code == 401


def test_the_list_costs_a_fixed_number_of_queries(api, handler, django_assert_num_queries):
    complaint = make_complaint()
    _tell(handler, 2, complaint=complaint)
    # token → user, count, page (with complaints), unread count
    with django_assert_num_queries(4):
        api.get(URL)

    _tell(handler, 30, complaint=complaint, start=T0 + timedelta(days=1))
    with django_assert_num_queries(4):
        assert len(api.get(URL).json()["items"]) == 25
