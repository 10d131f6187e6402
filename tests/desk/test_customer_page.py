"""The customer list with search and the customer's 360° page (issue 17 §3)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kesu.calls.actions import call_log
from kesu.compensation.actions import proposal_create
from kesu.core.roles import Role
from kesu.customers.actions import CustomerHandles
from kesu.customers.models import Customer
from kesu.pipeline.transitions import complaint_assign, complaint_reopen, complaint_resolve, complaint_start
from tests.factories import T0, make_complaint, make_user

pytestmark = pytest.mark.django_db
EN = {"Accept-Language": "en"}


@pytest.fixture
def zhang(handler):
    """A customer with two complaints (one by phone, one by e-mail, one reopened), a call and compensation."""
    first = make_complaint(now=T0)
    make_complaint(now=T0 + timedelta(days=1), channel="email", content="发票开错了，请重开。",
                   customer=CustomerHandles(name="张伟", phone="13800138000", email="zhang.wei@example.cn"))
    first = complaint_assign(complaint=first, assignee=handler, by=handler, now=T0 + timedelta(minutes=5))
    first = complaint_start(complaint=first, by=handler, now=T0 + timedelta(minutes=6))
    first = complaint_resolve(complaint=first, by=handler, now=T0 + timedelta(hours=2), resolution="已退款 58 元。")
    complaint_reopen(complaint=first, by=None, now=T0 + timedelta(hours=3), reason="not solved")
    call_log(direction="inbound", number="13800138000", started_at=T0 + timedelta(hours=4), duration_seconds=90,
             transcript="客户来电询问退款进度", by=handler, now=T0 + timedelta(hours=4))
    proposal_create(complaint=first, by=handler, amount="20", remedy="话费补偿", now=T0 + timedelta(hours=5))
    make_complaint(now=T0, customer=CustomerHandles(name="李娜", phone="13900139000"))
    return Customer.objects.get(name="张伟")


def test_the_list_finds_a_customer_by_name_phone_or_email(client, handler, zhang):
    client.force_login(handler)

    for q in ("张", "138-0013-8000", "zhang.wei@"):
        page = client.get("/customers/", {"q": q}).content.decode()
        assert "张伟" in page and "李娜" not in page, q
    page = client.get("/customers/", headers=EN).content.decode()
    assert "张伟" in page and "李娜" in page and "2 customers" in page
    assert f'href="/customers/{zhang.pk}/"' in page


def test_the_customer_page_shows_every_complaint_call_and_compensation_with_a_timeline(client, handler, zhang):
    client.force_login(handler)

    page = client.get(f"/customers/{zhang.pk}/", headers=EN).content.decode()

    for number in zhang.complaints.values_list("number", flat=True):
        assert number in page
    assert "zhang.wei@example.cn" in page and "13800138000" in page
    assert "Regular" in page and "Age group" in page
    assert 'data-figure="complaints">2<' in page
    assert 'data-figure="reopened">1<' in page
    assert 'data-figure="calls">1<' in page
    assert 'data-figure="compensation">20.00<' in page
    for kind in ("history-complaint", "history-call", "history-compensation"):
        assert kind in page
    assert "话费补偿" in page and "客户来电询问退款进度" in page
    assert "Timeline across channels" in page


def test_the_customer_page_speaks_chinese_by_default(client, handler, zhang):
    client.force_login(handler)

    page = client.get(f"/customers/{zhang.pk}/").content.decode()

    assert "跨渠道时间线" in page and "年龄段" in page


def test_the_customer_page_costs_the_same_queries_for_many_complaints(client, handler, zhang):
    client.force_login(handler)
    with CaptureQueriesContext(connection) as few:
        client.get(f"/customers/{zhang.pk}/")
    for day in range(10):
        make_complaint(now=T0 + timedelta(days=2 + day))
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"/customers/{zhang.pk}/").status_code == 200

    assert len(many) == len(few)


def test_unknown_customers_and_roles_without_customer_access(client, handler):
    client.force_login(handler)
    assert client.get("/customers/999999/").status_code == 404
    client.force_login(make_user(Role.DECISION, "boss"))
    assert client.get("/customers/").status_code in (200, 403)


def test_the_menu_leads_to_the_customers(client, handler):
    client.force_login(handler)

    assert 'href="/customers/"' in client.get("/").content.decode()


def test_a_long_history_is_paged_and_the_figures_count_all_of_it(client, handler, zhang, settings):
    from kesu.desk import customer_page

    client.force_login(handler)
    for day in range(3):
        make_complaint(now=T0 + timedelta(days=2 + day))
    original = customer_page.COMPLAINTS_PER_PAGE
    customer_page.COMPLAINTS_PER_PAGE = 2
    try:
        first = client.get(f"/customers/{zhang.pk}/", headers=EN).content.decode()
        last = client.get(f"/customers/{zhang.pk}/", {"page": 3}, headers=EN).content.decode()
    finally:
        customer_page.COMPLAINTS_PER_PAGE = original

    assert 'data-figure="complaints">5<' in first and "Page 1 of 3" in first
    numbers = list(zhang.complaints.order_by("-created_at", "-id").values_list("number", flat=True))
    assert numbers[0] in first and numbers[-1] not in first.split("Timeline across channels")[0]
    assert numbers[-1] in last
