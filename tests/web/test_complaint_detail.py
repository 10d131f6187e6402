from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine

from kesu.complaints.lifecycle import ACTIONS
from kesu.complaints.models import Complaint, ComplaintEvent, Status
from kesu.core.roles import Role
from kesu.customers.actions import CustomerHandles
from kesu.pipeline.transitions import complaint_transition
from tests.factories import T0, domain_kinds, make_complaint, make_group, make_user


def _post(client, complaint, action, **fields):
    data = {"action": action, **{f"{action}-{name}": value for name, value in fields.items()}}
    return client.post(f"/complaints/{complaint.pk}/transition/", data)


@pytest.mark.django_db
def test_detail_shows_fields_customer_and_timeline(handler_client, handler, group):
    # given a complaint that went through several steps
    other_group = make_group("complaints-desk")
    complaint = make_complaint(
        by=handler, subject="包裹破损", order_number="JD-778899", amount_claimed="199.50", group=group.code
    )
    for action, fields in [
        ("assign", {"assignee": "handler1"}),
        ("note", {"text": "已致电客户，约定明天回访"}),
        ("start", {}),
        ("pend", {"reason": "等待客户提供照片"}),
        ("resume", {"note": "照片已收到"}),
        ("transfer", {"group": other_group.code, "reason": "需要二线核实"}),
    ]:
        complaint_transition(complaint=complaint, action=action, by=handler, now=T0, **fields)

    # when the detail page is opened
    page = handler_client.get(f"/complaints/{complaint.pk}/").content.decode()

    # then the header, fields and customer panel are there
    assert complaint.number in page
    assert 'class="badge status-awaiting">待接收<' in page  # transferred: waiting for the group to accept
    assert "包裹破损" in page
    assert "JD-778899" in page
    assert "¥199.50" in page
    assert "张伟" in page
    assert "13800138000" in page
    assert f"/?customer_id={complaint.customer_id}" in page
    # and each event reads as a sentence
    assert "通过电话受理" in page
    assert "分派给 handler1" in page
    assert "已致电客户，约定明天回访" in page
    assert "已开始处理" in page
    assert "等待客户提供照片" in page
    assert "照片已收到" in page
    assert f"由处理组 {group.name} 转至 {other_group.name}" in page
    assert "需要二线核实" in page
    assert "处理中 → 新建" in page


@pytest.mark.django_db
def test_timeline_of_resolve_close_reopen_and_merge(handler_client, handler, manager):
    primary = make_complaint(by=handler)
    duplicate = make_complaint(by=handler)
    for action, fields in [
        ("assign", {"assignee": "handler1"}),
        ("start", {}),
        ("resolve", {"resolution": "已补发商品", "root_cause": "logistics"}),
        ("close", {"note": "客户确认"}),
        ("reopen", {"reason": "补发的商品也坏了"}),
    ]:
        complaint_transition(complaint=primary, action=action, by=handler, now=T0, **fields)
    complaint_transition(
        complaint=duplicate, action="merge", primary=primary.number, reason="同一订单", by=manager, now=T0
    )

    page = handler_client.get(f"/complaints/{primary.pk}/").content.decode()
    assert "已补发商品" in page
    assert "客户确认" in page
    assert "补发的商品也坏了" in page
    assert "退回给原处理人 handler1" in page
    assert "合并了重复投诉" in page
    assert f'href="/complaints/{duplicate.pk}/"' in page

    page = handler_client.get(f"/complaints/{duplicate.pk}/").content.decode()
    assert "作为重复投诉合并至" in page
    assert f'href="/complaints/{primary.pk}/"' in page
    assert "同一订单" in page


@pytest.mark.django_db
def test_unknown_complaint_is_404(handler_client):
    assert handler_client.get("/complaints/999999/").status_code == 404


def _offered(page: str) -> set[str]:
    return {a for a in ACTIONS if f'name="action" value="{a}"' in page}


@pytest.mark.django_db
def test_only_the_allowed_transitions_are_offered(handler_client, handler):
    complaint = make_complaint(by=handler)

    page = handler_client.get(f"/complaints/{complaint.pk}/").content.decode()

    # new: assign and transfer (a handler may not merge), plus a note
    assert _offered(page) == {"assign", "transfer"}
    assert 'name="action" value="note"' in page
    assert '<option value="handler1">' in page  # assignable handlers


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("steps", "offered"),
    [
        (["assign"], {"assign", "start", "transfer", "contact"}),
        (["assign", "start"], {"assign", "pend", "resolve", "transfer", "contact"}),
        (["assign", "start", "resolve", "close"], {"reopen", "follow_up"}),
    ],
)
def test_contact_and_follow_up_are_offered_where_they_apply(handler_client, handler, steps, offered):
    complaint = make_complaint(by=handler)
    fields = {"assignee": "handler1", "resolution": "已退款", "root_cause": "billing_error"}
    for action in steps:
        complaint_transition(complaint=complaint, action=action, by=handler, now=T0, **fields)

    page = handler_client.get(f"/complaints/{complaint.pk}/").content.decode()

    assert _offered(page) == offered


@pytest.mark.django_db
def test_resolving_a_new_complaint_names_the_current_status_and_changes_nothing(handler_client, handler):
    # given a new complaint
    complaint = make_complaint(by=handler)
    events_before = ComplaintEvent.objects.filter(complaint=complaint).count()

    # when someone posts "resolve" (e.g. from a stale page)
    response = _post(handler_client, complaint, "resolve", resolution="已处理", root_cause="other")

    # then the page says why, naming the current status, and nothing changed
    assert (response.status_code, response["Location"]) == (302, f"/complaints/{complaint.pk}/")
    response = handler_client.get(response["Location"])
    assert "无法对此投诉执行“解决”：当前状态为“新建”。" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == Status.NEW
    assert ComplaintEvent.objects.filter(complaint=complaint).count() == events_before


@pytest.mark.django_db
def test_assign_start_resolve_through_the_forms(handler_client, handler):
    complaint = make_complaint(by=handler)

    # assign
    response = _post(handler_client, complaint, "assign", assignee="handler1")
    assert response.status_code == 302
    assert response["Location"] == f"/complaints/{complaint.pk}/"
    page = handler_client.get(response["Location"]).content.decode()
    assert "操作成功：分派" in page
    assert 'class="badge status-assigned">已分派<' in page

    # start
    _post(handler_client, complaint, "start")
    # resolve
    response = _post(handler_client, complaint, "resolve", resolution="已退款 199 元", root_cause="billing_error")
    assert response.status_code == 302

    complaint.refresh_from_db()
    assert complaint.status == Status.RESOLVED
    assert complaint.resolution == "已退款 199 元"
    assert domain_kinds(complaint) == ["created", "triaged", "assigned", "started", "resolved"]
    page = handler_client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert "已退款 199 元" in page
    assert 'name="action" value="close"' in page
    assert 'name="action" value="reopen"' in page


@pytest.mark.django_db
def test_a_missing_resolution_is_shown_inline_and_keeps_nothing_half_done(handler_client, handler):
    complaint = make_complaint(by=handler)
    for action in ("assign", "start"):
        complaint_transition(complaint=complaint, action=action, assignee="handler1", by=handler, now=T0)

    response = _post(handler_client, complaint, "resolve", resolution="   ", root_cause="other")

    # the refusal is shown on the complaint's page (post / redirect / get), not at the form's address
    assert (response.status_code, response["Location"]) == (302, f"/complaints/{complaint.pk}/")
    response = handler_client.get(response["Location"])
    page = response.content.decode()
    assert '<details class="action" open data-shortcut="e"' in page
    assert "此项为必填项。" in page
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_PROGRESS


@pytest.mark.django_db
def test_a_bad_merge_target_keeps_what_was_typed(client, handler):
    manager = make_user(Role.MANAGER, "manager2")
    client.force_login(manager)
    complaint = make_complaint(by=handler)

    response = _post(client, complaint, "merge", primary="KS-1999-000001", reason="重复")

    # the refusal is shown on the complaint's page (post / redirect / get), not at the form's address
    assert (response.status_code, response["Location"]) == (302, f"/complaints/{complaint.pk}/")
    response = client.get(response["Location"])
    page = response.content.decode()
    assert "不存在投诉“KS-1999-000001”。" in page
    assert 'value="KS-1999-000001"' in page
    assert "重复</textarea>" in page


@pytest.mark.django_db
def test_an_analyst_sees_no_actions_and_may_not_post(analyst_client, handler):
    complaint = make_complaint(by=handler)

    page = analyst_client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert complaint.number in page
    assert 'name="action"' not in page
    assert 'enctype="multipart/form-data"' not in page
    assert "新建投诉" not in page  # no "new complaint" link either

    response = _post(analyst_client, complaint, "assign", assignee="handler1")
    assert response.status_code == 403
    complaint.refresh_from_db()
    assert complaint.status == Status.NEW
    assert analyst_client.get("/complaints/new/").status_code == 403


@pytest.mark.django_db
def test_a_handler_who_may_not_merge_gets_403(handler_client, handler):
    complaint = make_complaint(by=handler)
    primary = make_complaint(by=handler)

    response = _post(handler_client, complaint, "merge", primary=primary.number)

    assert response.status_code == 403
    assert Complaint.objects.get(pk=complaint.pk).merged_into_id is None


# session, user, complaint, events with actors, attachments, customer handles,
# handlers for the assign form, groups for the transfer form, categories for the triage panel,
# repeat links both ways, handlers again for the transfer form's coordinator, the bell's unread count: 13
# (the SLA panel reads the events already loaded; its policies and calendars are cached)
# + the desk (desk/selectors.py): the customer's other complaints, e-mails in, e-mails out, survey
#   answers, calls; solution-library search (one more to load the articles when any match); similar
#   resolved complaints (the newest of the same category, the newest of any); feedback already given;
#   the response templates: 10
# + the compensation panel (limits, senior handler, proposals, matrix rules): 4; the calls panel: 1
DETAIL_QUERIES = 31  # 28 + the incident (incidents panel) + the expected resolution (stored quantiles) + the access log line


@pytest.mark.django_db
def test_the_detail_page_costs_the_same_however_long_the_timeline_and_the_history(
    handler_client, handler, django_assert_num_queries
):
    complaint = make_complaint(by=handler)
    complaint_transition(complaint=complaint, action="assign", assignee="handler1", by=handler, now=T0)

    with django_assert_num_queries(DETAIL_QUERIES):
        handler_client.get(f"/complaints/{complaint.pk}/")

    # and the same with 20 more events and earlier complaints of the same customer
    for i in range(20):
        complaint_transition(complaint=complaint, action="note", text=f"第{i}次回访", by=handler, now=T0)
    for i in range(3):
        earlier = make_complaint(by=handler, channel="email", subject=f"早先的投诉{i}",
                                 customer=CustomerHandles(name="张伟", phone="13800138000"))
        for action in ("assign", "start"):
            complaint_transition(complaint=earlier, action=action, assignee="handler1", by=handler, now=T0)
        complaint_transition(complaint=earlier, action="resolve", resolution=f"已处理{i}", root_cause="logistics",
                             by=handler, now=T0)
    with django_assert_num_queries(DETAIL_QUERIES):
        page = handler_client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert "第19次回访" in page
    assert "早先的投诉2" in page


def _english(client):
    """The desk's new wording is checked in English: its Chinese is merged into the catalogue later."""
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    return client


@pytest.mark.django_db
def test_resolve_requires_a_root_cause_and_shows_it(handler_client, handler):
    complaint = make_complaint(by=handler)
    for action in ("assign", "start"):
        complaint_transition(complaint=complaint, action=action, assignee="handler1", by=handler, now=T0)
    _english(handler_client)

    # without a root cause: the resolve form stays open, says what is missing, keeps the summary
    response = _post(handler_client, complaint, "resolve", resolution="已补发商品")
    # the refusal is shown on the complaint's page (post / redirect / get), not at the form's address
    assert (response.status_code, response["Location"]) == (302, f"/complaints/{complaint.pk}/")
    response = handler_client.get(response["Location"])
    page = response.content.decode()
    assert '<details class="action" open data-shortcut="e"' in page
    assert re.search(r'<label for="id_resolve-root_cause">Root cause</label>\s*<select[^>]*aria-invalid="true"', page)
    assert "This field is required." in page
    assert "已补发商品</textarea>" in page
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_PROGRESS

    # an unknown root cause is named
    response = _post(handler_client, complaint, "resolve", resolution="已补发商品", root_cause="weather")
    # the refusal is shown on the complaint's page (post / redirect / get), not at the form's address
    assert (response.status_code, response["Location"]) == (302, f"/complaints/{complaint.pk}/")
    response = handler_client.get(response["Location"])
    assert "Unknown value “weather”; choose one of product_defect" in response.content.decode()

    # with one: stored on the complaint and in the event, and shown
    response = _post(handler_client, complaint, "resolve", resolution="已补发商品", root_cause="logistics")
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert (complaint.status, complaint.root_cause) == (Status.RESOLVED, "logistics")
    event = complaint.events.get(kind="resolved")
    assert event.data["root_cause"] == "logistics"
    page = handler_client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert '<span class="label">Root cause</span> <span class="tag">Logistics</span>' in page


@pytest.mark.django_db
def test_the_sla_panel_counts_down_to_the_due_instant(handler_client, handler):
    complaint = make_complaint(by=handler)
    _english(handler_client)

    with time_machine.travel(T0 + timedelta(minutes=5), tick=False):
        page = handler_client.get(f"/complaints/{complaint.pk}/").content.decode()

    complaint.refresh_from_db()
    due = min(datetime.fromisoformat(c["due_at"]) for c in complaint.sla["clocks"] if c.get("due_at"))
    local = due.astimezone(ZoneInfo("Asia/Shanghai")).isoformat()
    minutes_left = int((due - (T0 + timedelta(minutes=5))).total_seconds() // 60)
    hours, minutes = divmod(minutes_left, 60)
    shown = f"{hours} h {minutes} min left" if hours else f"{minutes} min left"
    assert re.search(rf'data-countdown datetime="{re.escape(local)}"[^>]*>{shown}</time>', page)
    # desk.js refreshes it with the same words, which the page carries in its language
    assert 'data-left="{time} left" data-over="overdue {time}"' in page
    assert "kesu/desk.js" in page


@pytest.mark.django_db
def test_keyboard_shortcuts_are_annotated(handler_client, handler):
    complaint = make_complaint(by=handler)
    complaint_transition(complaint=complaint, action="assign", assignee="handler1", by=handler, now=T0)
    complaint_transition(complaint=complaint, action="start", by=handler, now=T0)

    page = handler_client.get(f"/complaints/{complaint.pk}/").content.decode()

    for key in ("r", "n", "t", "e", "p"):
        assert f'data-shortcut="{key}"' in page, key
    assert re.search(r'<textarea name="reply-text" id="reply-text"[^>]*data-shortcut="r"', page)


@pytest.mark.django_db
def test_reloading_after_a_refused_form_posts_nothing_again(handler_client, handler):
    """Issue 17 §4.1: an empty note is refused on the complaint's own page; a reload shows the page
    without the error and posts nothing."""
    complaint = make_complaint(by=handler)
    events = ComplaintEvent.objects.filter(complaint=complaint).count()

    response = _post(handler_client, complaint, "note", text="   ")

    assert (response.status_code, response["Location"]) == (302, f"/complaints/{complaint.pk}/")
    first = handler_client.get(response["Location"]).content.decode()
    assert "此项为必填项。" in first
    again = handler_client.get(response["Location"]).content.decode()
    assert "此项为必填项。" not in again
    assert ComplaintEvent.objects.filter(complaint=complaint).count() == events
