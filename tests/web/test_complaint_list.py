from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from kesu.core.roles import Role
from kesu.customers.actions import CustomerHandles
from kesu.pipeline.transitions import complaint_transition
from tests.factories import T0, make_complaint, make_group, make_user


def _numbers(page: str, *complaints) -> list[str]:
    return [c.number for c in complaints if c.number in page]


@pytest.mark.django_db
def test_the_list_shows_complaints_with_their_columns(handler_client, handler, group):
    # given a complaint assigned to the handler in a group, with a category
    complaint = make_complaint(
        by=handler,
        subject="",
        content="快递三天没到，客服态度很差，要求退款。后面还有更多的描述文字，超过四十个字符的部分不显示。",
        category="logistics-delay",
        group=group.code,
        severity="urgent",
        priority="P1",
    )
    complaint_transition(complaint=complaint, action="assign", assignee="handler1", by=handler, now=T0)

    # when the list is opened
    page = handler_client.get("/").content.decode()

    # then the row shows number, local time, customer, channel, category, severity, priority, status …
    assert f'href="/complaints/{complaint.pk}/"' in page
    assert complaint.number in page
    assert '2026-03-02 <span class="muted">09:00</span>' in page  # 01:00 UTC shown in Asia/Shanghai
    assert "张伟" in page
    assert "电话" in page
    assert "物流延误" in page
    assert "紧急" in page
    assert "P1" in page
    assert 'class="badge status-assigned">已分派<' in page
    assert group.name in page
    # … and without a subject, the start of the content
    assert "快递三天没到" in page
    assert "超过四十个字符的部分不显示" not in page


@pytest.mark.django_db
def test_filters_narrow_the_list(handler_client, handler):
    # given three complaints, one of them in progress
    parcel = make_complaint(by=handler, subject="包裹丢失", content="我的包裹丢了")
    refund = make_complaint(by=handler, subject="退款未到账", content="退款一直没到")
    rude = make_complaint(by=handler, subject="客服态度差", content="接线员挂我电话", channel="chat")
    for action in ("assign", "start"):
        complaint_transition(complaint=refund, action=action, assignee="handler1", by=handler, now=T0)
    everything = (parcel, refund, rude)

    # status
    page = handler_client.get("/", {"status": "in_progress"}).content.decode()
    assert _numbers(page, *everything) == [refund.number]

    # text
    page = handler_client.get("/", {"q": "包裹"}).content.decode()
    assert _numbers(page, *everything) == [parcel.number]

    # channel
    page = handler_client.get("/", {"channel": "chat"}).content.decode()
    assert _numbers(page, *everything) == [rude.number]

    # assignee
    page = handler_client.get("/", {"assignee": "handler1"}).content.decode()
    assert _numbers(page, *everything) == [refund.number]

    # the form keeps what was chosen
    page = handler_client.get("/", {"status": "in_progress", "q": "退款"}).content.decode()
    assert '<option value="in_progress" selected>' in page
    assert 'value="退款"' in page


@pytest.mark.django_db
def test_category_and_group_filters_use_the_rows(handler_client, handler, group):
    other = make_group("complaints-desk")
    late = make_complaint(by=handler, category="logistics-delay", group=group.code)
    rude = make_complaint(by=handler, category="service-attitude", group=other.code)

    page = handler_client.get("/").content.decode()
    assert '<option value="logistics-delay">物流问题 / 物流延误</option>' in page
    assert f'<option value="{other.code}">{other.name}</option>' in page

    # a parent category matches its children
    page = handler_client.get("/", {"category": "logistics"}).content.decode()
    assert _numbers(page, late, rude) == [late.number]
    page = handler_client.get("/", {"group": other.code}).content.decode()
    assert _numbers(page, late, rude) == [rude.number]


@pytest.mark.django_db
def test_date_filters_are_days_in_the_local_time_zone(handler_client, handler):
    # 2 March in Shanghai runs from 1 March 16:00 UTC to 2 March 16:00 UTC
    before = make_complaint(by=handler, now=datetime(2026, 3, 1, 15, 59, tzinfo=UTC))
    early = make_complaint(by=handler, now=datetime(2026, 3, 1, 16, 0, tzinfo=UTC))
    late = make_complaint(by=handler, now=datetime(2026, 3, 2, 15, 59, tzinfo=UTC))
    after = make_complaint(by=handler, now=datetime(2026, 3, 2, 16, 0, tzinfo=UTC))

    page = handler_client.get(
        "/", {"created_from": "2026-03-02", "created_to": "2026-03-02"}
    ).content.decode()

    assert _numbers(page, before, early, late, after) == [early.number, late.number]


@pytest.mark.django_db
def test_a_bad_date_is_shown_and_ignored(handler_client, handler):
    complaint = make_complaint(by=handler)

    page = handler_client.get("/", {"created_from": "not-a-day"}).content.decode()

    assert complaint.number in page
    assert 'class="field-error"' in page


@pytest.mark.django_db
def test_an_unknown_status_in_the_address_is_named_not_a_crash(handler_client, handler):
    make_complaint(by=handler)

    for partial in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = handler_client.get("/", {"status": "bogus"}, HTTP_ACCEPT_LANGUAGE="en", **partial)
        assert response.status_code == 200
    page = handler_client.get("/", {"status": "bogus"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'class="field-error"' in page and "bogus" in page


@pytest.mark.django_db
def test_customer_filter_from_the_detail_page(handler_client, handler):
    mine = make_complaint(by=handler)
    other = make_complaint(by=handler, customer=CustomerHandles(name="李娜", phone="13900139000"))

    page = handler_client.get("/", {"customer_id": mine.customer_id}).content.decode()

    assert mine.number in page
    assert other.number not in page
    assert "仅显示客户" in page


@pytest.mark.django_db
def test_htmx_filter_returns_only_the_table(handler_client, handler):
    complaint = make_complaint(by=handler)

    response = handler_client.get("/", {"status": "new"}, headers={"HX-Request": "true"})

    page = response.content.decode()
    assert complaint.number in page
    assert "<table" in page
    assert "<html" not in page
    assert "<form" not in page
    assert "HX-Request" in response["Vary"]
    # a history restore asks for the whole page
    restore = handler_client.get("/", headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in restore.content.decode()


@pytest.mark.django_db
def test_the_list_is_paginated_by_50(handler_client, handler):
    complaints = [make_complaint(by=handler, now=T0 + timedelta(minutes=i)) for i in range(51)]

    first = handler_client.get("/").content.decode()
    second = handler_client.get("/", {"page": 2}).content.decode()

    assert complaints[50].number in first  # newest first
    assert complaints[0].number not in first
    assert complaints[0].number in second
    assert "共 51 条投诉" in first
    assert "第 1 页，共 2 页" in first
    assert "?page=2" in first


def _many_complaints(count: int, handler, group) -> None:
    specialist = make_user(Role.SPECIALIST, groups=[group])
    for i in range(count):
        complaint = make_complaint(
            by=handler,
            now=T0 + timedelta(minutes=i),
            category="logistics-delay" if i % 2 else "service-attitude",
            group=group.code,
            customer=CustomerHandles(name=f"客户{i}", phone=f"1380000{i:04d}"),
        )
        if i % 3 == 0:
            assignee = "handler1" if i % 2 else specialist.username
            complaint_transition(complaint=complaint, action="assign", assignee=assignee, by=handler, now=T0)


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [3, 30])
def test_the_number_of_queries_does_not_grow_with_rows(
    handler_client, handler, group, django_assert_num_queries, rows
):
    # given complaints with customers, categories, groups and assignees
    _many_complaints(rows, handler, group)

    # when the list is opened, it costs: session, user, categories, groups, the user's groups, every
    # queue's count with the list's (one query), the saved views, the bulk bar's people with their
    # load, one page of rows, the bell's count of unread notifications, and the groups whose rows the
    # handler sees unmasked (issue 15)
    with django_assert_num_queries(11):
        response = handler_client.get("/")
    assert response.content.decode().count('class="badge status-') == rows

    # a queue costs the same
    with django_assert_num_queries(11):
        handler_client.get("/", {"queue": "group", "sort": "due"})

    # and the htmx refresh of the table skips the select options and the sidebar: session, user,
    # the count and the rows (and the user's groups when a queue is chosen)
    with django_assert_num_queries(5):
        handler_client.get("/", {"status": "assigned"}, headers={"HX-Request": "true"})
    with django_assert_num_queries(5):  # their own rows: no group needed to decide the masking
        handler_client.get("/", {"queue": "mine"}, headers={"HX-Request": "true"})


@pytest.mark.django_db
def test_the_queue_sidebar_counts_and_opens_a_queue(handler_client, handler, group):
    # given one complaint assigned to the handler and two nobody took, in the handler's group
    mine = make_complaint(by=handler, group=group.code, subject="我的投诉")
    complaint_transition(complaint=mine, action="assign", assignee="handler1", by=handler, now=T0)
    waiting = [make_complaint(by=handler, group=group.code, subject=f"待分派{i}") for i in range(2)]

    # when the handler opens "my complaints"
    page = handler_client.get("/", {"queue": "mine"}).content.decode()

    # then the sidebar shows each queue with its count, the current one marked …
    assert '<a class="queue-link" href="/?queue=mine" data-queue="mine" aria-current="page"' in page
    assert _count(page, "mine") == "1"
    assert _count(page, "unassigned") == "2"
    assert _count(page, "group") == "3"
    # … and the list holds their complaint only, the queue kept for the filters
    assert _numbers(page, mine, *waiting) == [mine.number]
    assert '<input type="hidden" name="queue" value="mine"' in page


def _count(page: str, queue: str) -> str:
    start = page.index(f'data-queue="{queue}"')
    count = page.index('class="queue-count', start)
    return page[page.index(">", count) + 1 : page.index("</span>", count)]


@pytest.mark.django_db
def test_the_list_sorts(handler_client, handler):
    old = make_complaint(by=handler, now=T0, priority="P3")
    urgent = make_complaint(by=handler, now=T0 + timedelta(minutes=1), priority="P1")
    new = make_complaint(by=handler, now=T0 + timedelta(minutes=2), priority="P4")

    def order(sort: str) -> list[str]:
        page = handler_client.get("/", {"sort": sort}).content.decode()
        return sorted((page.index(c.number), c.number) for c in (old, urgent, new))

    assert [n for _, n in order("")] == [new.number, urgent.number, old.number]
    assert [n for _, n in order("oldest")] == [old.number, urgent.number, new.number]
    assert [n for _, n in order("priority")] == [urgent.number, old.number, new.number]
    page = handler_client.get("/", {"sort": "oldest"}).content.decode()
    assert '<option value="oldest" selected>' in page


@pytest.mark.django_db
def test_a_long_list_is_not_counted_to_the_end(handler_client, handler, monkeypatch):
    # given more complaints than the count goes (the cap is 999; here 3)
    monkeypatch.setattr("kesu.queues.page.COUNT_CAP", 3)
    complaints = [make_complaint(by=handler, now=T0 + timedelta(minutes=i)) for i in range(5)]

    page = handler_client.get("/").content.decode()
    assert "超过 3 条投诉" in page or "More than 3 complaints" in page
    assert all(c.number in page for c in complaints)


@pytest.mark.django_db
def test_no_count_reads_every_complaint(handler_client, handler, monkeypatch):
    """On a million complaints a COUNT(*) of the list would cost more than the page: every count
    the page runs stops at the cap (a LIMITed subquery), and past it the pager goes by "next"."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    monkeypatch.setattr("kesu.queues.page.COUNT_CAP", 3)
    monkeypatch.setattr("kesu.web.views.PAGE_SIZE", 2)
    complaints = [make_complaint(by=handler, now=T0 + timedelta(minutes=i)) for i in range(7)]

    with CaptureQueriesContext(connection) as captured:
        page = handler_client.get("/", {"page": 2}).content.decode()

    # (the bulk bar's load per person counts only the running complaints each of them holds)
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"] and "complaints_complaint" in q["sql"]
              and not q["sql"].lstrip().startswith('SELECT DISTINCT "core_user"')]
    assert counts and all("LIMIT 4" in sql for sql in counts)
    # page 2 of "more than 3": the rows, a way back and a way on, no "of N" and no last page
    assert _numbers(page, *complaints) == [complaints[3].number, complaints[4].number]
    assert "?page=1" in page and "?page=3" in page
    assert "第 2 页" in page or "Page 2" in page
    assert "共" not in page.split('class="pager-pos">')[1].split("</span>")[0]
