"""The private tracking page: what a customer sees of their complaint, what they can add, and that a
token opens its own complaint and nothing else."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from kesu.channels.replies import complaint_reply_send
from kesu.complaints.models import Attachment, Complaint, EventKind
from kesu.core.roles import Role
from kesu.pipeline.transitions import (
    complaint_assign,
    complaint_close,
    complaint_note_add,
    complaint_pend,
    complaint_resolve,
    complaint_resume,
    complaint_start,
)
from kesu.portal.actions import tracking_link_create
from kesu.portal.models import TrackingLink
from tests.factories import T0, make_complaint, make_user

pytestmark = pytest.mark.django_db

EN = {"Accept-Language": "en"}
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def officer(group):
    return make_user(Role.HANDLER, "wang.officer", groups=[group], display_name="王芳")


def _submit(client, **fields) -> tuple[Complaint, str]:
    data = {"name": "张伟", "phone": "13800138000", "content": "快递三天没到，要求退款。"}
    data.update(fields)
    page = client.post("/portal/", data, follow=True).content.decode()
    token = re.search(r"/portal/t/([A-Za-z0-9_-]+)/", page).group(1)
    return Complaint.objects.get(number=re.search(r"KS-\d{4}-\d{6}", page).group(0)), f"/portal/t/{token}/"


def _handle(complaint, officer, *, minutes=10):
    complaint = complaint_assign(complaint=complaint, assignee=officer, by=officer, now=T0 + timedelta(minutes=minutes))
    return complaint_start(complaint=complaint, by=officer, now=T0 + timedelta(minutes=minutes + 1))


def test_the_page_shows_the_public_timeline_and_hides_the_inside(client, at_t0, officer):
    # given a complaint sent on the portal, handled with an internal note, then waiting for the customer
    complaint, url = _submit(client)
    complaint = _handle(complaint, officer)
    complaint_note_add(complaint=complaint, by=officer, now=T0 + timedelta(minutes=12), text="内部备注：此客户投诉频繁")
    complaint_pend(complaint=complaint, by=officer, now=T0 + timedelta(minutes=15), reason="请提供快递单号的截图")
    at_t0.move_to(T0 + timedelta(minutes=20))

    # when the customer opens their link
    response = client.get(url)

    # then they see the number, the status in plain words and the public steps
    assert response.status_code == 200
    page = response.content.decode()
    assert complaint.number in page
    assert "等待您的回复" in page
    for title in ("我们已收到您的投诉", "您的投诉正在处理中", "我们请您补充信息"):
        assert title in page
    assert "请提供快递单号的截图" in page
    assert "我们正在等待您的回复" in page
    # and nothing of the inside: notes, staff, group, triage, routing or SLA bookkeeping (the page's
    # own links carry the random token, which may hold "P3" by chance: it is taken out first)
    page = page.replace(url.strip("/").rsplit("/", 1)[-1], "")
    assert complaint.events.filter(kind=EventKind.NOTE).exists()
    assert complaint.events.filter(kind__startswith="sla_").exists()
    for hidden in ("内部备注", "此客户投诉频繁", "wang.officer", "王芳", complaint.group.name if
                   complaint.group else "组 front-desk", "时限", "SLA", "分诊", "triage", "优先级", "P3", "紧急"):
        assert hidden not in page, hidden


def test_the_page_speaks_english_too(client, at_t0, officer):
    complaint, url = _submit(client)
    _handle(complaint, officer)

    page = client.get(url, headers=EN).content.decode()

    assert '<html lang="en">' in page
    for words in ("Being handled", "We received your complaint", "Your complaint is being handled", "Next step",
                  "Add information"):
        assert words in page
    assert "我们已收到您的投诉" not in page


def _due(complaint, clock: str) -> str:
    """A clock's due time as the page shows it (Beijing time)."""
    complaint.refresh_from_db()
    (due,) = [c["due_at"] for c in complaint.sla["clocks"] if c["clock"] == clock]
    return due[:16].replace("T", " ")


def test_the_next_step_and_its_expected_time_are_shown_in_beijing_time(client, at_t0):
    # given a complaint just received (Monday 09:00): the first thing due is its assignment
    complaint, url = _submit(client)
    assignment_due = _due(complaint, "assignment")

    page = client.get(url, headers=EN).content.decode()

    assert "A handler takes up your complaint" in page
    assert f'<time datetime="{assignment_due[:10]}T{assignment_due[11:]}:00+08:00"><strong>{assignment_due}</strong>' \
        in page
    assert "taking longer than planned" not in page


def test_a_late_step_is_owned_up_to_and_the_next_one_shown(client, at_t0):
    # given nobody took the complaint up in time
    complaint, url = _submit(client)
    contact_due = _due(complaint, "first_contact")
    at_t0.move_to(T0 + timedelta(hours=4))

    page = client.get(url).content.decode()

    assert "处理时间比预期长，抱歉让您久等" in page
    assert "我们与您联系" in page and contact_due in page


def test_while_waiting_for_the_customer_no_time_is_promised(client, at_t0, officer):
    complaint, url = _submit(client)
    complaint = _handle(complaint, officer)
    complaint_pend(complaint=complaint, by=officer, now=T0 + timedelta(minutes=15), reason="请提供订单号")

    page = client.get(url, headers=EN).content.decode()

    assert "We are waiting for your reply." in page
    assert "Expected by:" not in page


def test_adding_information_to_a_complaint_waiting_for_the_customer_resumes_it_and_its_clocks(
    client, at_t0, officer
):
    # given a complaint waiting for the customer
    complaint, url = _submit(client)
    complaint = _handle(complaint, officer)
    complaint_pend(complaint=complaint, by=officer, now=T0 + timedelta(minutes=15), reason="请提供快递单号")
    at_t0.move_to(T0 + timedelta(hours=2))

    # when the customer adds the information, with a photo
    response = client.post(url, {"text": "快递单号 SF123456789", "file": SimpleUploadedFile("单号.png", PNG)})

    # then the complaint is in progress again, the clocks run, and the message is on the timeline
    assert response.status_code == 302 and response["Location"] == url
    complaint.refresh_from_db()
    assert complaint.status == "in_progress"
    message = complaint.events.get(kind=EventKind.CUSTOMER_MESSAGE)
    assert message.data["text"] == "快递单号 SF123456789" and message.actor is None
    assert complaint.events.filter(kind=EventKind.RESUMED, at=T0 + timedelta(hours=2)).exists()
    assert complaint.events.filter(kind=EventKind.SLA_RESUMED, at=T0 + timedelta(hours=2)).exists()
    assert Attachment.objects.filter(complaint=complaint, original_name="单号.png").exists()
    # and the handler is told
    assert officer.notifications.filter(kind="customer_message").exists()
    page = client.get(url).content.decode()
    assert "谢谢，您补充的信息已添加到投诉中。" in page
    assert "您的留言" in page and "快递单号 SF123456789" in page and "单号.png" in page
    assert "正在处理" in page


def test_information_on_a_complaint_being_handled_does_not_change_its_status(client, at_t0, officer):
    complaint, url = _submit(client)
    _handle(complaint, officer)

    client.post(url, {"text": "补充：快递员电话打不通"})

    complaint.refresh_from_db()
    assert complaint.status == "in_progress"
    assert complaint.events.filter(kind=EventKind.CUSTOMER_MESSAGE).count() == 1
    assert not complaint.events.filter(kind=EventKind.RESUMED).exists()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"text": "  "}, "此项为必填项。"),
        ({"text": "见附件", "file": SimpleUploadedFile("run.exe", b"MZ\x90\x00" + b"\x00" * 60)}, "不接受“.exe”类型的文件"),
    ],
)
def test_bad_information_is_refused_with_the_reason_and_nothing_is_added(client, at_t0, data, expected):
    complaint, url = _submit(client)

    response = client.post(url, data)

    assert response.status_code == 422
    assert expected in response.content.decode()
    assert not complaint.events.filter(kind=EventKind.CUSTOMER_MESSAGE).exists()
    assert not Attachment.objects.filter(complaint=complaint).exists()


def test_the_resolution_our_reply_and_the_closing_are_shown(client, at_t0, officer):
    complaint, url = _submit(client)
    complaint = _handle(complaint, officer)
    complaint_reply_send(complaint=complaint, by=officer, text="您好，我们已联系快递公司。", now=T0 + timedelta(minutes=30))
    complaint = complaint_resolve(complaint=complaint, by=officer, now=T0 + timedelta(hours=1),
                                  resolution="已为您全额退款 58 元。")
    complaint_close(complaint=complaint, by=officer, now=T0 + timedelta(hours=2), note="内部：结案审核通过")
    at_t0.move_to(T0 + timedelta(hours=3))

    page = client.get(url).content.decode()

    assert "我们的回复" in page and "您好，我们已联系快递公司。" in page
    assert "已为您全额退款 58 元。" in page
    assert "您的投诉已处理完毕。" in page
    assert "内部：结案审核通过" not in page


def test_tracking_pages_are_private(client, at_t0):
    _complaint, url = _submit(client)

    response = client.get(url)

    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]
    assert "no-store" in response["Cache-Control"]
    assert TrackingLink.objects.get().last_seen_at == T0


def test_the_form_works_from_a_browser_that_sends_origin_null(at_t0):
    # a no-referrer page makes the browser post with "Origin: null"; the token in the URL is the proof
    browser = Client(enforce_csrf_checks=True)
    complaint = make_complaint(channel="web")
    url = f"/portal/t/{tracking_link_create(complaint=complaint, now=T0)}/"

    response = browser.post(url, {"text": "补充信息"}, headers={"Origin": "null"})

    assert response.status_code == 302
    assert complaint.events.filter(kind=EventKind.CUSTOMER_MESSAGE).exists()


def test_an_unknown_or_garbled_token_gives_the_same_404_page(client, at_t0):
    complaint = make_complaint(channel="web")
    real = tracking_link_create(complaint=complaint, now=T0)
    wrong = ["A" * 43, real[:-1] + ("A" if real[-1] != "A" else "B"), real[:10], "not a token!", "%00",
             complaint.number, real.upper() if real.upper() != real else real.lower(), "x" * 300]

    pages = [client.get(f"/portal/t/{token}/") for token in wrong]

    assert {response.status_code for response in pages} == {404}
    bodies = {response.content for response in pages}
    assert len(bodies) == 1
    assert "此链接无法打开投诉".encode() in bodies.pop()
    assert client.post(f"/portal/t/{'A' * 43}/", {"text": "x"}).status_code == 404
    assert not complaint.events.filter(kind=EventKind.CUSTOMER_MESSAGE).exists()


def test_one_customers_token_never_reveals_another_complaint(client, at_t0):
    # given two customers' complaints
    mine, my_url = _submit(client, name="张伟", phone="13800138000", content="我的快递丢了")
    theirs, their_url = _submit(client, name="李娜", phone="13900139000", content="她的洗衣机坏了")

    # my link shows mine only
    page = client.get(my_url).content.decode()
    assert mine.number in page and theirs.number not in page
    assert "她的洗衣机坏了" not in page and "李娜" not in page and "13900139000" not in page
    # what I write goes to my complaint only
    client.post(my_url, {"text": "补充"})
    assert mine.events.filter(kind=EventKind.CUSTOMER_MESSAGE).count() == 1
    assert not theirs.events.filter(kind=EventKind.CUSTOMER_MESSAGE).exists()
    # and a guessed complaint number opens nothing
    assert client.get(f"/portal/t/{theirs.number}/").status_code == 404
    assert client.get(f"/portal/t/{theirs.number}-{theirs.pk:032d}/").status_code == 404


def test_merging_tells_the_customer_without_naming_the_other_complaint(client, at_t0, officer):
    from kesu.pipeline.transitions import complaint_merge

    primary = make_complaint(content="别人的投诉内容")
    duplicate, url = _submit(client)
    complaint_merge(duplicate=duplicate, primary=primary, by=None, now=T0 + timedelta(minutes=5))

    page = client.get(url).content.decode()

    assert "已与同一事项的另一投诉合并处理" in page
    assert primary.number not in page and "别人的投诉内容" not in page


def test_the_language_switch_keeps_the_customer_on_their_page(client, at_t0):
    _complaint, url = _submit(client)

    response = client.get("/portal/language/", {"language": "en", "next": url})

    assert response.status_code == 302 and response["Location"] == url
    assert "Next step" in client.get(url).content.decode()
    elsewhere = client.get("/portal/language/", {"language": "zh-hans", "next": "https://evil.example/"})
    assert elsewhere["Location"] == "/portal/"
    assert "下一步" in client.get(url).content.decode()


def _queries(client, url) -> int:
    client.get(url)  # the flash message of the last post is shown (and the session updated) here
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_page_costs_a_fixed_number_of_queries(client, at_t0, officer):
    complaint, url = _submit(client)
    _handle(complaint, officer)
    client.post(url, {"text": "补充 1", "file": SimpleUploadedFile("a.png", PNG)})
    short = _queries(client, url)
    for n in range(2, 8):
        client.post(url, {"text": f"补充 {n}", "file": SimpleUploadedFile(f"{n}.png", PNG)})

    # the link, its last visit and the events (read once for the timeline and the clocks), the
    # customer (the SLA policy's tier), the resolved complaints the expected resolution is estimated
    # from (one query), and the session (its idle / absolute timeout is checked on every request)
    assert short <= 6
    assert _queries(client, url) == short


def test_a_closed_complaint_offers_its_satisfaction_survey(client, at_t0, officer):
    surveys = pytest.importorskip("kesu.surveys.selectors")
    survey_actions = pytest.importorskip("kesu.surveys.actions")
    if not hasattr(surveys, "survey_url") or not hasattr(survey_actions, "survey_send"):
        pytest.skip("the surveys app does not provide survey_url / survey_send yet")
    complaint, url = _submit(client)
    complaint = _handle(complaint, officer)
    assert "评价我们的处理" not in client.get(url).content.decode()  # nothing to rate while it is handled
    complaint = complaint_resolve(complaint=complaint, by=officer, now=T0 + timedelta(hours=1), resolution="已退款。")
    complaint = complaint_close(complaint=complaint, by=officer, now=T0 + timedelta(hours=2))
    survey_actions.survey_send(complaint=complaint, now=T0 + timedelta(hours=2))

    page = client.get(url).content.decode()

    link = surveys.survey_url(complaint)
    assert link
    assert f'href="{link}"' in page and "评价我们的处理" in page


def test_a_flood_of_messages_on_one_link_is_held_back(client, at_t0):
    from kesu.portal.actions import MAX_MESSAGES_PER_HOUR

    complaint, url = _submit(client)
    for n in range(MAX_MESSAGES_PER_HOUR):
        at_t0.move_to(T0 + timedelta(minutes=1 + n))
        assert client.post(url, {"text": f"补充 {n}"}).status_code == 302

    refused = client.post(url, {"text": "再补充"})

    assert refused.status_code == 429
    assert "请在 41 分钟后再试" in refused.content.decode()
    assert complaint.events.filter(kind=EventKind.CUSTOMER_MESSAGE).count() == MAX_MESSAGES_PER_HOUR


def test_information_on_a_merged_complaint_lands_on_its_primary(client, at_t0, officer):
    from kesu.pipeline.transitions import complaint_merge

    duplicate, url = _submit(client)
    primary = _handle(make_complaint(content="同一事项"), officer)
    complaint_merge(duplicate=duplicate, primary=primary, by=None, now=T0 + timedelta(minutes=15))

    client.post(url, {"text": "补充：快递单号 SF123"})

    assert list(primary.events.filter(kind=EventKind.CUSTOMER_MESSAGE).values_list("data__text", flat=True)) == [
        "补充：快递单号 SF123"]
    assert not duplicate.events.filter(kind=EventKind.CUSTOMER_MESSAGE).exists()
    assert officer.notifications.filter(kind="customer_message", complaint=primary).exists()


def test_the_handlers_notice_is_in_the_desks_language_not_the_visitors(client, at_t0, officer, settings):
    settings.LANGUAGE_CODE = "zh-hans"
    complaint, url = _submit(client)
    _handle(complaint, officer)

    client.post(url, {"text": "补充信息"}, headers=EN)  # the customer reads the portal in English

    notice = officer.notifications.get(kind="customer_message")
    assert notice.title == f"{complaint.number}：客户来信"


def test_the_next_step_follows_the_handling_and_the_original_text_is_shown(client, at_t0, officer):
    # given a complaint assigned to a handler who replied before pressing "start"
    complaint, url = _submit(client, content="快递三天没到，要求退款。订单 A-77。")
    complaint = complaint_assign(complaint=complaint, assignee=officer, by=officer, now=T0 + timedelta(minutes=10))
    complaint_reply_send(complaint=complaint, by=officer, text="您好，我们已联系快递公司。", now=T0 + timedelta(minutes=12))
    at_t0.move_to(T0 + timedelta(minutes=310))

    page = client.get(url, headers=EN).content.decode()

    # then the next step is the resolution, not "a handler takes up your complaint"
    assert "Your complaint is resolved" in page
    assert "A handler takes up your complaint" not in page
    assert "We contact you" not in page
    # and the customer sees what they wrote
    assert "What you wrote" in page
    assert "快递三天没到，要求退款。订单 A-77。" in page


def _resolved(client, officer):
    complaint, url = _submit(client)
    complaint = _handle(complaint, officer)
    complaint = complaint_resolve(complaint=complaint, by=officer, now=T0 + timedelta(hours=1),
                                  resolution="已为您全额退款 58 元。")
    return complaint, url


def test_the_customer_accepts_the_resolution_before_it_closes(client, at_t0, officer):
    complaint, url = _resolved(client, officer)
    at_t0.move_to(T0 + timedelta(hours=2))
    assert "Is the problem solved?" in client.get(url, headers=EN).content.decode()

    response = client.post(url + "verdict/", {"solved": "yes"}, headers=EN)

    assert response.status_code == 302 and response["Location"] == url
    complaint.refresh_from_db()
    assert (complaint.status, complaint.reopen_count) == ("resolved", 0)
    verdict = complaint.events.get(kind=EventKind.CUSTOMER_VERDICT)
    assert verdict.data["solved"] is True
    page = client.get(url, headers=EN).content.decode()
    assert "You confirmed that the problem is solved." in page
    assert "Is the problem solved?" not in page  # answered once
    assert client.post(url + "verdict/", {"solved": "no"}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.reopen_count == 0  # a second answer changes nothing


def test_not_solved_reopens_to_the_same_handler_and_is_counted(client, at_t0, officer):
    complaint, url = _resolved(client, officer)
    at_t0.move_to(T0 + timedelta(hours=2))

    client.post(url + "verdict/", {"solved": "no", "text": "钱还没到账"})

    complaint.refresh_from_db()
    assert (complaint.status, complaint.assignee, complaint.reopen_count) == ("assigned", officer, 1)
    assert complaint.events.filter(kind=EventKind.REOPENED).count() == 1
    assert officer.notifications.filter(kind="portal_not_solved").exists()
    page = client.get(url).content.decode()
    assert "钱还没到账" in page


def test_a_verdict_needs_a_resolved_complaint_and_a_choice(client, at_t0, officer):
    complaint, url = _submit(client)

    assert client.post(url + "verdict/", {"solved": "maybe"}).status_code == 422
    response = client.post(url + "verdict/", {"solved": "no"}, follow=True, headers=EN)
    assert "Only a resolved complaint" in response.content.decode()
    assert not complaint.events.filter(kind=EventKind.CUSTOMER_VERDICT).exists()


def _lookup(client, number, contact, **headers):
    return client.post("/portal/find/", {"number": number, "contact": contact}, REMOTE_ADDR="198.51.100.4",
                       headers=headers)


def _code(mailbox) -> str:
    return re.findall(r"\b(\d{6})\b", mailbox[-1].body)[-1]  # after the number's digits


def test_a_customer_who_lost_the_link_gets_a_new_one_with_a_code_sent_by_email(
    client, at_t0, mailoutbox, django_capture_on_commit_callbacks
):
    complaint, old_url = _submit(client, phone="", email="li.na@example.cn")

    # when they give the number and their e-mail
    with django_capture_on_commit_callbacks(execute=True):
        response = _lookup(client, complaint.number.lower(), "Li.Na@example.cn", **EN)
    assert (response.status_code, response["Location"]) == (303, "/portal/find/code/")
    page = client.get("/portal/find/code/", headers=EN).content.decode()
    assert "l***@example.cn" in page and "li.na@example.cn" not in page

    # then a code arrives by e-mail, and the right code opens a new private link
    assert mailoutbox[-1].to == ["li.na@example.cn"] and complaint.number in mailoutbox[-1].body
    response = client.post("/portal/find/code/", {"code": _code(mailoutbox)}, follow=True, headers=EN)
    page = response.content.decode()
    assert "Here is a new link to your complaint" in page
    new_url = re.search(r'href="http://testserver(/portal/t/[A-Za-z0-9_-]+/)"', page).group(1)
    assert new_url != old_url and complaint.number in client.get(new_url).content.decode()
    assert TrackingLink.objects.filter(complaint=complaint).count() == 2
    # and the code is used up
    assert client.post("/portal/find/code/", {"code": _code(mailoutbox)}).status_code == 302


def test_a_wrong_code_or_a_contact_that_does_not_match_opens_nothing(
    client, at_t0, mailoutbox, django_capture_on_commit_callbacks
):
    complaint, _ = _submit(client)

    with django_capture_on_commit_callbacks(execute=True):
        _lookup(client, complaint.number, "13900000000")  # not the customer's phone
    assert mailoutbox == []  # nothing sent, and the page reads the same
    response = client.post("/portal/find/code/", {"code": "123456"}, headers=EN)
    assert response.status_code == 422 and "The code is wrong or has expired" in response.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        _lookup(client, complaint.number, "+86 138-0013-8000")
    assert len(mailoutbox) == 0  # the phone's code goes by SMS (not configured here: logged)
    for _attempt in range(5):
        assert client.post("/portal/find/code/", {"code": "000000"}).status_code == 422
    assert TrackingLink.objects.filter(complaint=complaint).count() == 1


def test_the_lookup_names_bad_fields_and_is_limited_per_address(client, at_t0, settings):
    response = _lookup(client, "", "not a phone", **EN)
    page = response.content.decode()
    assert response.status_code == 422
    assert "This field must not be empty." in page or "required" in page.lower()

    for _attempt in range(5):
        assert _lookup(client, "KS-2026-000001", "13800138000").status_code == 303
    response = _lookup(client, "KS-2026-000001", "13800138000")
    assert response.status_code == 429 and response["Retry-After"]


def test_the_code_expires(client, at_t0, mailoutbox, django_capture_on_commit_callbacks):
    complaint, _ = _submit(client, email="zhang@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        _lookup(client, complaint.number, "zhang@example.cn")
    at_t0.move_to(T0 + timedelta(minutes=16))

    assert client.post("/portal/find/code/", {"code": _code(mailoutbox)}).status_code == 422


def _predict(complaint, *, next_activity: str, next_at, events: int | None = None):
    """What the prediction job (workforce.process_predictions) stores for an open complaint."""
    from kesu.complaints.models import ComplaintEvent
    from kesu.workforce.models import ProcessPrediction
    from kesu.workforce.page_data import LIFECYCLE

    if events is None:
        events = ComplaintEvent.objects.filter(complaint=complaint, kind__in=LIFECYCLE).count()
    ProcessPrediction.objects.update_or_create(complaint=complaint, defaults={
        "last_activity": EventKind.STARTED, "events": events, "next_activity": next_activity,
        "remaining_days": 2.0, "expected_end": next_at, "computed_at": T0 + timedelta(minutes=20),
        "next_at": next_at})


def test_the_next_step_is_the_process_models_estimate_while_it_is_fresh(client, at_t0, officer):
    # given a complaint being handled, and the model's estimate: resolved on Wednesday 15:30 in Beijing
    complaint, url = _submit(client)
    complaint = _handle(complaint, officer)
    _predict(complaint, next_activity=EventKind.RESOLVED, next_at=T0 + timedelta(days=2, hours=6, minutes=30))
    at_t0.move_to(T0 + timedelta(minutes=30))

    page = client.get(url, headers=EN).content.decode()

    # then the customer reads it in their words and Beijing time, as an estimate, never the step's id
    assert "Your complaint is resolved" in page
    assert '<time datetime="2026-03-04T15:30:00+08:00"><strong>2026-03-04 15:30</strong>' in page
    assert "an estimate from how similar complaints went" in page
    assert ">resolved<" not in page and "predicted-step" in page
    zh = client.get(url).content.decode()
    assert "您的投诉得到解决" in zh and "预计在：" in zh and "2026-03-04 15:30" in zh

    # when the handler takes steps the model did not know about (asks, gets the answer): no stale promise
    complaint = complaint_note_add(complaint=complaint, by=officer, text="内部备注", now=T0 + timedelta(minutes=40))
    assert "2026-03-04 15:30" in client.get(url, headers=EN).content.decode()  # a note is not a step
    complaint = complaint_pend(complaint=complaint, by=officer, reason="请提供订单截图", now=T0 + timedelta(minutes=50))
    complaint_resume(complaint=complaint, by=officer, now=T0 + timedelta(minutes=55))
    at_t0.move_to(T0 + timedelta(hours=1))
    page = client.get(url, headers=EN).content.decode()
    assert "2026-03-04 15:30" not in page and "predicted-step" not in page
    assert "Expected by:" in page  # the service level's next step, as before


def _next_step_shown(page: str) -> str:
    """The next step's card: what and when."""
    return page.split("</section>", 1)[0].rsplit("<h2>", 1)[-1]


def test_a_stale_or_past_estimate_falls_back_to_the_service_level_step(client, at_t0, officer):
    # given a complaint being handled, and the next step the service level promises
    complaint, url = _submit(client)
    complaint = _handle(complaint, officer)
    promised = _next_step_shown(client.get(url, headers=EN).content.decode())
    assert "Expected by:" in promised

    # an estimate made before the handler started (one step fewer) is out of date: the promise stays
    _predict(complaint, next_activity=EventKind.RESOLVED, next_at=T0 + timedelta(days=1), events=2)
    assert _next_step_shown(client.get(url, headers=EN).content.decode()) == promised

    # a fresh estimate whose time has gone by is not shown as a promise in the past
    _predict(complaint, next_activity=EventKind.RESOLVED, next_at=T0 + timedelta(minutes=30))
    at_t0.move_to(T0 + timedelta(minutes=31))
    page = client.get(url, headers=EN).content.decode()
    assert "predicted-step" not in page and "2026-03-02 09:30" not in page
    assert _next_step_shown(page) == promised

    # an internal step (a transfer) is not promised either
    _predict(complaint, next_activity=EventKind.TRANSFERRED, next_at=T0 + timedelta(days=1))
    assert _next_step_shown(client.get(url, headers=EN).content.decode()) == promised
