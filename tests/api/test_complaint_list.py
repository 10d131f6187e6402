"""GET /api/v1/complaints: each filter narrows, pagination, newest first, a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kesu.complaints.models import Status
from kesu.customers.actions import CustomerHandles
from kesu.pipeline import transitions as actions
from tests.api.builders import complaint_in, error_fields
from tests.factories import T0, make_complaint

URL = "/api/v1/complaints"
HOUR = timedelta(hours=1)


@pytest.fixture
def seeded(handler, handler2, group, other_group):
    """Six complaints an hour apart (Shanghai 09:00 … 14:00 on 2026-03-02), each different."""
    c = {}
    c["phone"] = complaint_in(
        Status.ASSIGNED,
        handler=handler,
        now=T0,
        channel="phone",
        category="service-attitude",
        group=group.code,
        order_number="JD-778899",
    )
    c["email"] = complaint_in(
        Status.NEW,
        handler=handler,
        now=T0 + HOUR,
        channel="email",
        category="logistics-delay",
        group=other_group.code,
    )
    c["web"] = complaint_in(
        Status.IN_PROGRESS,
        handler=handler2,
        now=T0 + 2 * HOUR,
        channel="web",
        category="product-quality",
        content="冰箱漏水，地板泡坏了",
        customer=CustomerHandles(name="李娜", phone="13912345678"),
    )
    c["damage"] = complaint_in(
        Status.RESOLVED,
        handler=handler,
        now=T0 + 3 * HOUR,
        channel="chat",
        category="logistics-damage",
        group=group.code,
        subject="外箱破损",
    )
    c["parent"] = complaint_in(
        Status.NEW, handler=handler, now=T0 + 4 * HOUR, channel="sms", category="logistics"
    )
    # no category given and no category keyword in the text, so triage leaves it uncategorised
    c["plain"] = complaint_in(
        Status.PENDING_CUSTOMER,
        handler=handler,
        now=T0 + 5 * HOUR,
        channel="social",
        content="请尽快回电处理。",
    )
    assert c["plain"].category_id is None
    return c


def _numbers(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["number"] for item in response.json()["items"]]


def _of(seeded, *names) -> list[str]:
    """Numbers of the named complaints, newest first (the list's order)."""
    chosen = [seeded[n] for n in names]
    return [c.number for c in sorted(chosen, key=lambda c: (c.created_at, c.pk), reverse=True)]


def test_unfiltered_list_is_everything_newest_first(handler_client, seeded):
    response = handler_client.get(URL)

    assert _numbers(response) == _of(seeded, *seeded)
    assert response.json()["count"] == 6


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "new"}, ["email", "parent"]),
        ({"status": "new,assigned"}, ["phone", "email", "parent"]),
        ({"status": "pending_customer"}, ["plain"]),
        ({"status": "closed"}, []),
        ({"channel": "email"}, ["email"]),
        ({"channel": "phone,web"}, ["phone", "web"]),
        ({"category": "logistics"}, ["email", "damage", "parent"]),
        ({"category": "logistics-delay"}, ["email"]),
        ({"category": "service"}, ["phone"]),
        ({"group": "front-desk"}, ["phone", "damage"]),
        ({"group": "back-office"}, ["email"]),
        ({"assignee": "handler1"}, ["phone", "damage", "plain"]),
        ({"assignee": "handler2"}, ["web"]),
        ({"assignee": "none"}, ["email", "parent"]),
        ({"created_from": "2026-03-02T03:00:00Z"}, ["web", "damage", "parent", "plain"]),
        ({"created_to": "2026-03-02T03:00:00Z"}, ["phone", "email"]),
        ({"created_from": "2026-03-02T02:00:00Z", "created_to": "2026-03-02T04:00:00Z"}, ["email", "web"]),
        # a time without a zone is Shanghai local time: 11:00 local = 03:00Z
        ({"created_from": "2026-03-02T11:00:00"}, ["web", "damage", "parent", "plain"]),
        ({"created_from": "2026-03-02T11:00:00+08:00", "created_to": "2026-03-02T12:00:00+08:00"}, ["web"]),
        ({"q": "漏水"}, ["web"]),
        ({"q": "破损"}, ["damage"]),
        ({"q": "13912345678"}, ["web"]),
        ({"q": "+86 139-1234-5678"}, ["web"]),
        ({"q": "李娜"}, ["web"]),
        ({"q": "JD-778899"}, ["phone"]),
        ({"q": "没有这种内容"}, []),
        ({"status": "new", "channel": "sms", "category": "logistics"}, ["parent"]),
    ],
)
def test_each_filter_narrows(params, expected, handler_client, seeded):
    response = handler_client.get(URL, params)

    assert _numbers(response) == _of(seeded, *expected)
    assert response.json()["count"] == len(expected)


def test_q_finds_a_complaint_by_its_number_in_any_case(handler_client, seeded):
    number = seeded["damage"].number

    assert _numbers(handler_client.get(URL, {"q": number})) == [number]
    assert _numbers(handler_client.get(URL, {"q": number.lower()})) == [number]


def test_customer_filter(handler_client, seeded):
    customer_id = seeded["web"].customer_id

    assert _numbers(handler_client.get(URL, {"customer_id": customer_id})) == [seeded["web"].number]


def test_pagination_counts_and_slices(handler_client, seeded):
    everything = _of(seeded, *seeded)

    pages = [handler_client.get(URL, {"page_size": 4, "page": p}).json() for p in (1, 2, 3)]

    assert [(p["count"], p["pages"], p["page"], p["page_size"]) for p in pages] == [
        (6, 2, 1, 4),
        (6, 2, 2, 4),
        (6, 2, 3, 4),
    ]
    assert [i["number"] for i in pages[0]["items"] + pages[1]["items"]] == everything
    assert pages[2]["items"] == []


def test_an_empty_list_has_no_pages(handler_client):
    assert handler_client.get(URL).json() == {"count": 0, "page": 1, "page_size": 25, "pages": 0, "items": []}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page_size": 0}, "page_size"),
        ({"page_size": 101}, "page_size"),
        ({"page_size": -1}, "page_size"),
        ({"page": 0}, "page"),
        ({"page": "two"}, "page"),
        ({"created_from": "yesterday"}, "created_from"),
        ({"customer_id": "abc"}, "customer_id"),
        ({"q": "a\x00b"}, "q"),
    ],
)
def test_bad_list_parameters_are_422_naming_them(params, field, handler_client):
    assert error_fields(handler_client.get(URL, params)) == {field}


def test_page_size_100_is_allowed(handler_client):
    assert handler_client.get(URL, {"page_size": 100}).status_code == 200


def test_same_second_complaints_come_newest_id_first(handler_client, db):
    first, second = make_complaint(now=T0), make_complaint(now=T0)

    assert _numbers(handler_client.get(URL)) == [second.number, first.number]


# --- query counts -------------------------------------------------------------------------------------


def _varied_complaints(count: int, *, handler, group, manager) -> None:
    """Complaints with every relation the list shows: customer, category, group, assignee, merged_into."""
    primary = make_complaint(now=T0, group=group.code, category="service-attitude")
    for i in range(1, count):
        complaint = make_complaint(
            now=T0 + i * timedelta(minutes=1),
            category=["logistics-delay", "product-quality", ""][i % 3],
            group=group.code if i % 2 else "",
            customer=CustomerHandles(name=f"客户{i}", phone=f"1380000{i:04d}"),
        )
        if i % 4 == 1:
            actions.complaint_assign(complaint=complaint, assignee=handler, by=None, now=T0 + HOUR)
        if i % 4 == 2:
            actions.complaint_merge(duplicate=complaint, primary=primary, by=manager, now=T0 + HOUR)


def _queries_for_list(client, params) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(URL, {"page_size": 100, **params})
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("params", [{}, {"q": "快递"}, {"status": "new,assigned", "category": "logistics"}])
def test_list_query_count_does_not_grow_with_the_page(
    params, handler_client, handler, group, manager, django_assert_num_queries
):
    # given 5 complaints
    _varied_complaints(5, handler=handler, group=group, manager=manager)
    # then: the token, the count, the page
    with django_assert_num_queries(3):
        handler_client.get(URL, {"page_size": 100, **params})
    small = _queries_for_list(handler_client, params)

    # given 40 complaints
    _varied_complaints(35, handler=handler, group=group, manager=manager)
    with django_assert_num_queries(3):
        response = handler_client.get(URL, {"page_size": 100, **params})
    assert response.json()["count"] >= 1

    assert _queries_for_list(handler_client, params) == small
