"""The triage panel, the correction form, the triage events in the timeline and the list markers."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kesu.complaints.models import Complaint, ComplaintEvent, EventKind
from kesu.customers.actions import CustomerHandles
from kesu.pipeline.transitions import complaint_transition
from kesu.triage.actions import complaint_triage
from tests.factories import T0, make_complaint
from tests.web.test_complaint_detail import DETAIL_QUERIES

RED_TEXT = "孩子用你们的热水壶烫伤了手，我要投诉到12315，还要找媒体曝光！！！垃圾公司"
ANGRY_REPEAT = "快递三天没到，包裹破损，客服态度很差，我要投诉到12315！！！"


def _page(client, complaint) -> str:
    response = client.get(f"/complaints/{complaint.pk}/")
    assert response.status_code == 200
    return response.content.decode()


def _correct(client, complaint, **fields):
    return client.post(
        f"/complaints/{complaint.pk}/correct/", {f"correct-{name}": value for name, value in fields.items()}
    )


@pytest.mark.django_db
def test_a_red_channel_complaint_shows_its_evidence_in_a_red_box(handler_client, handler):
    # given a complaint that threatens the regulator and the media after an injury
    complaint = make_complaint(by=handler, content=RED_TEXT)

    # when its page is opened
    page = _page(handler_client, complaint)

    # then the triage panel shows the red channel first, each piece of evidence with its kind
    assert 'class="red-box"' in page
    assert "红色预警" in page
    assert '<span class="red-kind">人身安全</span> “烫伤”' in page
    assert '<span class="red-kind">监管投诉</span> “12315”' in page
    assert '<span class="red-kind">媒体曝光</span> “曝光”' in page
    # and triage's reasons, stored as message ids, are rendered in Chinese
    assert "红色预警：人身安全、媒体曝光、监管投诉" in page
    assert "辱骂“垃圾”" in page
    assert 'class="thermo hot"' in page
    assert "需资深处理人" in page


@pytest.mark.django_db
def test_the_panel_renders_the_same_result_in_english(client, handler):
    complaint = make_complaint(by=handler, content=RED_TEXT)
    client.force_login(handler)
    client.cookies["django_language"] = "en"
    page = client.get(f"/complaints/{complaint.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "red channel: Personal safety, Media exposure, Regulator complaint" in page
    assert "abuse “垃圾”" in page


@pytest.mark.django_db
def test_terms_the_red_channel_did_not_count_are_shown_with_why(handler_client, handler):
    complaint = make_complaint(by=handler, content="催收人员威胁要起诉我，我每个月都按时还款，请核实。")
    page = _page(handler_client, complaint)
    assert 'class="red-box"' not in page
    assert "1 个红色预警词语经判断未计入" in page
    assert "“起诉”" in page and "是对方的行为，不是客户的" in page


@pytest.mark.django_db
def test_the_panel_shows_the_stored_severity_and_why_it_differs(handler_client, handler, manager):
    from kesu.triage.actions import complaint_correct

    # given a calm complaint that triage found general, and a manager who raised it to urgent
    complaint = make_complaint(by=handler, content="快递三天没到，请尽快处理。")
    complaint_correct(complaint=complaint, by=manager, now=T0 + timedelta(minutes=5), severity="urgent",
                      reason="VIP 投诉")

    page = _page(handler_client, complaint)

    # then the panel shows what the complaint holds, and that the correction changed it
    assert '<span class="sev sev-urgent">紧急</span>' in page
    assert "分拣判断为 一般；由 manager1 更正: VIP 投诉" in page


@pytest.mark.django_db
def test_keyword_tags_category_and_quality_check(handler_client, handler):
    # given a complaint about a late parcel, without an order number
    complaint = make_complaint(by=handler, content="快递一周了还没收到，物流信息也不更新。")

    page = _page(handler_client, complaint)

    # then triage's category (by keywords, with its confidence), the tags as chips and the missing field
    assert "物流延误" in page
    assert "（关键词 · 置信度 100%）" in page
    assert "关键词“快递”" in page
    assert '<span class="chip" title="命中“快递”">物流慢</span>' in page
    assert '<span class="label">缺少：</span>' in page
    assert '<span class="tag warn">订单号</span>' in page
    assert 'class="thermo"' in page  # calm: not red


@pytest.mark.django_db
def test_a_complete_complaint_passes_the_quality_check(handler_client, handler):
    complaint = make_complaint(by=handler, content="快递一周了还没收到。", order_number="JD-1001")

    page = _page(handler_client, complaint)

    assert '<span class="ok">完整</span>' in page


@pytest.mark.django_db
def test_the_category_alternatives_are_listed(handler_client, handler):
    complaint = make_complaint(by=handler, content="快递到了，包裹破损，要求退款。")

    page = _page(handler_client, complaint)

    # three tags point to three categories, one vote each: the first wins, the other two are listed
    assert "物流延误</strong>" in page
    assert "（关键词 · 置信度 33%）" in page
    assert '<span class="label">备选：</span>' in page
    assert '<span class="alternative">运输破损 <span class="num">33%</span></span>' in page
    assert '<span class="alternative">解决方案/补偿 <span class="num">33%</span></span>' in page


@pytest.mark.django_db
def test_a_repeat_links_to_the_earlier_complaint_and_back(handler_client, handler):
    # given the same customer complains twice about the same parcel
    first = make_complaint(by=handler, content=ANGRY_REPEAT)
    second = make_complaint(by=handler, now=T0 + timedelta(days=2), content=ANGRY_REPEAT + "又等了两天")

    # then the later one names the earlier one, with the similarity and the count
    page = _page(handler_client, second)
    assert "重复此前的投诉：" in page
    assert f'<a class="mono" href="/complaints/{first.pk}/">{first.number}</a>' in page
    assert "（相似度 1.0" in page  # the second text contains the first
    assert "重复 ×1" in page
    # and the earlier one names the one that repeats it
    page = _page(handler_client, first)
    assert "被后续投诉重复：" in page
    assert f'<a class="mono" href="/complaints/{second.pk}/">{second.number}</a>' in page


@pytest.mark.django_db
def test_the_triaged_event_reads_as_a_sentence_in_both_languages(handler_client, handler):
    complaint = make_complaint(by=handler, content="快递一周了还没收到。")
    result = complaint.events.get(kind=EventKind.TRIAGED).data["result"]
    emotion = result["emotion"]["score"]

    page = _page(handler_client, complaint)
    assert f"智能分拣：类别 物流延误（关键词），严重程度 一般，优先级 P3，情绪 {emotion}" in page

    handler_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = _page(handler_client, complaint)
    assert (
        f"Triage: category Logistics delay (keywords), severity General, priority P3, emotion {emotion}" in page
    )
    assert "keyword “快递”" in page
    assert "Missing:" in page
    assert "Order number" in page


@pytest.mark.django_db
def test_a_failed_triage_says_so(handler_client, handler, monkeypatch):
    # given triage breaks while a complaint is recorded
    def broken(*args, **kwargs):
        raise RuntimeError("the model file is missing")

    monkeypatch.setattr("kesu.triage.actions.triage_run", broken)
    complaint = make_complaint(by=handler)

    # then the complaint is there and its page says why triage has nothing to show
    page = _page(handler_client, complaint)
    assert "智能分拣失败：RuntimeError: the model file is missing" in page
    assert 'class="red-box"' not in page


@pytest.mark.django_db
def test_a_handler_corrects_the_category_and_severity(handler_client, handler):
    # given triage took a late parcel for a logistics delay
    complaint = make_complaint(by=handler, content="快递一周了还没收到。")
    assert complaint.category.code == "logistics-delay"
    assert not complaint.category_confirmed

    # when the handler corrects it to product quality, urgent
    response = _correct(
        handler_client, complaint, category="product-quality", severity="urgent", reason="其实是商品故障"
    )

    # then the page comes back (PRG) with a message, and the complaint carries the correction
    assert response.status_code == 302
    assert response["Location"] == f"/complaints/{complaint.pk}/"
    complaint.refresh_from_db()
    assert complaint.category.code == "product-quality"
    assert complaint.severity == "urgent"
    assert complaint.category_confirmed
    event = complaint.events.get(kind=EventKind.CORRECTED)
    assert event.data["changes"] == {
        "category": ["logistics-delay", "product-quality"],
        "severity": ["general", "urgent"],
    }
    # and the timeline shows what changed, from what to what, and why
    page = handler_client.get(response["Location"]).content.decode()
    assert "分拣结果已纠正。" in page
    assert '<span class="event-kind">分拣已纠正</span>' in page
    assert "类别：物流延误 → 产品质量" in page
    assert "严重程度：一般 → 紧急" in page
    assert "其实是商品故障" in page
    assert '<span class="tag ok" title="由人工设定或确认">已确认</span>' in page

    # and in English too
    handler_client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = _page(handler_client, complaint)
    assert "Category: Logistics delay → Product quality" in page
    assert "Severity: General → Urgent" in page


@pytest.mark.django_db
def test_choosing_triages_category_confirms_it(handler_client, handler):
    complaint = make_complaint(by=handler, content="快递一周了还没收到。")

    _correct(handler_client, complaint, category="logistics-delay")

    complaint.refresh_from_db()
    assert complaint.category_confirmed
    assert "类别已确认：物流延误" in _page(handler_client, complaint)


@pytest.mark.django_db
def test_the_correction_form_offers_the_category_tree(handler_client, handler):
    complaint = make_complaint(by=handler)

    page = _page(handler_client, complaint)

    assert f'action="/complaints/{complaint.pk}/correct/"' in page
    assert '<option value="" selected>（不变）</option>' in page
    assert '<option value="logistics">物流问题</option>' in page
    assert '<option value="logistics-delay">\u00a0\u00a0\u00a0\u00a0物流延误</option>' in page
    assert page.index('value="logistics"') < page.index('value="logistics-delay"') < page.index(
        'value="billing"'
    )


@pytest.mark.django_db
def test_a_correction_without_a_change_is_shown_inline(handler_client, handler):
    complaint = make_complaint(by=handler)
    events_before = complaint.events.count()

    response = _correct(handler_client, complaint, category="", severity="", reason="看错了")

    assert response.status_code == 422
    page = response.content.decode()
    assert '<details class="correct" open>' in page
    assert "请选择要纠正的类别或严重程度。" in page
    assert "看错了</textarea>" in page
    assert complaint.events.count() == events_before


@pytest.mark.django_db
def test_an_analyst_sees_no_correction_form_and_may_not_post_one(analyst_client, handler):
    complaint = make_complaint(by=handler, content="快递一周了还没收到。")

    page = _page(analyst_client, complaint)
    assert "智能分拣" in page  # the panel is there
    assert "/correct/" not in page

    response = _correct(analyst_client, complaint, category="product-quality")
    assert response.status_code == 403
    complaint.refresh_from_db()
    assert complaint.category.code == "logistics-delay"
    assert not ComplaintEvent.objects.filter(complaint=complaint, kind=EventKind.CORRECTED).exists()


@pytest.mark.django_db
def test_the_new_complaint_form_leaves_severity_priority_and_category_to_triage(handler_client):
    # the form offers "triage decides" first, and it is the default
    page = handler_client.get("/complaints/new/").content.decode()
    assert page.count('<option value="" selected>（由智能分拣判定）</option>') == 3

    # when an angry red-channel complaint is recorded without severity, priority or category
    response = handler_client.post(
        "/complaints/new/",
        {"channel": "phone", "customer_name": "李娜", "phone": "13900139000", "content": RED_TEXT,
         "severity": "", "priority": "", "category": ""},
    )

    # then triage decided: major, P1
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.severity == "major"
    assert complaint.priority == "P1"
    assert complaint.red_channel


@pytest.mark.django_db
def test_what_the_person_chose_at_intake_stays(handler_client):
    handler_client.post(
        "/complaints/new/",
        {"channel": "phone", "customer_name": "李娜", "phone": "13900139000", "content": RED_TEXT,
         "severity": "general", "priority": "P4", "category": "other"},
    )

    complaint = Complaint.objects.get()
    assert (complaint.severity, complaint.priority, complaint.category.code) == ("general", "P4", "other")
    assert complaint.category_confirmed
    assert complaint.red_channel  # triage still flags it


@pytest.mark.django_db
def test_the_list_marks_red_channel_repeats_senior_and_heat(handler_client, handler):
    # given a calm complaint and an angry red-channel repeat of the same customer
    calm = make_complaint(
        by=handler, content="请问如何办理退货？", customer=CustomerHandles(name="王芳", phone="13700137000")
    )
    first = make_complaint(by=handler, content=RED_TEXT)
    repeat = make_complaint(by=handler, now=T0 + timedelta(days=1), content=RED_TEXT)
    assert repeat.repeat_count == 1 and repeat.emotion >= 70

    page = handler_client.get("/").content.decode()

    # then the repeat's row carries every marker
    row = _row(page, repeat)
    assert '<tr class="row-red">' in row
    assert '<span class="tag red">红色预警</span>' in row
    assert '<span class="tag warn">重复 ×1</span>' in row
    assert '<span class="tag senior">资深</span>' in row
    assert f"情绪 {repeat.emotion}" in row
    assert "重复 ×" not in _row(page, first)
    # and the calm one carries none
    assert 'class="markers"' not in _row(page, calm)


def _row(page: str, complaint) -> str:
    start = page.rindex("<tr", 0, page.index(f">{complaint.number}</a>"))
    return page[start : page.index("</tr>", start)]


@pytest.mark.django_db
def test_the_list_costs_the_same_with_markers(handler_client, handler, django_assert_num_queries):
    for day in range(5):
        make_complaint(by=handler, now=T0 + timedelta(days=day), content=RED_TEXT)

    # session, user, categories, groups, the user's groups, every queue's count with the list's (one
    # query), the saved views, the bulk bar's people with their load, one page of rows, the bell's unread count
    with django_assert_num_queries(10):
        page = handler_client.get("/").content.decode()
    assert page.count('<span class="tag red">') == 5


@pytest.mark.django_db
def test_the_detail_page_costs_the_same_however_many_events_and_repeats(
    handler_client, handler, django_assert_num_queries
):
    # given a complaint that repeats one earlier complaint, is repeated by a later one, and has a
    # few events: created, triaged, assigned, notes, a correction and a second triage
    earlier = make_complaint(by=handler, content=ANGRY_REPEAT)
    complaint = make_complaint(by=handler, now=T0 + timedelta(days=1), content=ANGRY_REPEAT)
    make_complaint(by=handler, now=T0 + timedelta(days=2), content=ANGRY_REPEAT)
    complaint_transition(complaint=complaint, action="assign", assignee="handler1", by=handler, now=T0)
    complaint_transition(complaint=complaint, action="note", text="已致电", by=handler, now=T0)
    _correct(handler_client, complaint, category="logistics-damage")
    complaint_triage(complaint=Complaint.objects.get(pk=complaint.pk), by=handler, now=T0 + timedelta(days=3))

    # session, user, complaint, events with actors, attachments, customer handles, categories
    # (names for the panel and timeline, and the correction select), repeats, repeated by,
    # handlers for the assign form, groups for the transfer form, handlers again for the transfer
    # form's coordinator, the bell's unread count; then the desk's panels (DETAIL_QUERIES), plus the
    # compensation matrix of the now-known category
    with django_assert_num_queries(DETAIL_QUERIES + 1):
        page = _page(handler_client, complaint)
    assert earlier.number in page

    # when more events and more repeats pile up
    for i in range(10):
        complaint_transition(complaint=complaint, action="note", text=f"第{i}次回访", by=handler, now=T0)
    for day in (3, 4, 5):
        make_complaint(by=handler, now=T0 + timedelta(days=day), content=ANGRY_REPEAT)
    _correct(handler_client, complaint, severity="urgent")

    # then the page costs the same
    with django_assert_num_queries(DETAIL_QUERIES + 1):
        page = _page(handler_client, complaint)
    assert "第9次回访" in page
    assert page.count("相似度") == 5
