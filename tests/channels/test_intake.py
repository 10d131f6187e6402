"""Mail in, through a real IMAP server (dovecot started by the tests): each message becomes a
complaint or a message on one, once; automatic mail and broken mail never become complaints, and
nothing is lost."""

from __future__ import annotations

import base64
from datetime import timedelta

import pytest

from kesu.channels.actions import channels_poll, mailbox_poll
from kesu.channels.models import InboundMessage
from kesu.channels.selectors import failed_intakes
from kesu.complaints.models import Complaint, EventKind
from kesu.core.roles import Role
from kesu.customers.actions import CustomerHandles, customer_find_or_create
from kesu.notifications.models import Notification
from kesu.pipeline.transitions import complaint_assign, complaint_pend, complaint_start
from tests.channels.conftest import mailbox_make
from tests.channels.messages import CUSTOMER, JPEG, mail, message_id, sender
from tests.factories import T0, make_complaint, make_group, make_user

pytestmark = pytest.mark.django_db(transaction=False)

LATER = T0 + timedelta(minutes=5)


def _poll(mailbox, now=LATER):
    result = mailbox_poll(mailbox=mailbox, now=now)
    assert not result.error, result.error
    return result


def _messages(complaint) -> list[dict]:
    return [event.data for event in complaint.events.filter(kind=EventKind.CUSTOMER_MESSAGE)]


def test_a_new_email_creates_a_complaint_for_the_customer_found_by_address(dovecot, mailbox):
    # given a customer we know by their e-mail address (and phone)
    known = customer_find_or_create(handles=CustomerHandles(name="王伟", phone="13800138000", email=CUSTOMER), now=T0)
    dovecot.append(mailbox.username, mail(subject="快递延误投诉", body="快递三天没到，要求退款。"))

    # when the mailbox is polled
    result = _poll(mailbox)

    # then one complaint exists, on the e-mail channel, for that customer
    complaint = Complaint.objects.get()
    assert (complaint.channel, complaint.customer, complaint.subject) == ("email", known, "快递延误投诉")
    assert complaint.content == "快递三天没到，要求退款。"
    assert result.outcomes["created"] == 1
    inbound = InboundMessage.objects.get()
    assert (inbound.outcome, inbound.complaint, inbound.from_address) == ("created", complaint, CUSTOMER)
    assert _messages(complaint)[0]["from"] == CUSTOMER


def test_an_unknown_sender_becomes_a_customer_with_their_name_and_address(dovecot, mailbox):
    dovecot.append(mailbox.username, mail(from_=sender("李娜", "Li.Na@Example.cn")))

    _poll(mailbox)

    customer = Complaint.objects.get().customer
    assert customer.name == "李娜"
    assert list(customer.identities.values_list("kind", "value")) == [("email", "li.na@example.cn")]


def test_the_same_message_sent_again_is_a_duplicate_not_a_second_complaint(dovecot, mailbox):
    raw = mail(msgid="<resent-1@example.cn>")
    dovecot.append(mailbox.username, raw)
    _poll(mailbox)
    dovecot.append(mailbox.username, raw)  # the customer's mail program sends it again

    result = _poll(mailbox, now=LATER + timedelta(minutes=1))

    assert Complaint.objects.count() == 1
    assert result.outcomes["ignored_duplicate"] == 1
    duplicate = InboundMessage.objects.get(outcome="ignored_duplicate")
    assert duplicate.complaint == Complaint.objects.get()
    assert "same Message-ID" in duplicate.reason


def test_the_same_message_delivered_to_two_mailboxes_is_taken_in_once(dovecot, mailbox, monkeypatch):
    other = mailbox_make(dovecot, dovecot.user_add("complaints-desk"), name="complaints")
    raw = mail(msgid="<cc-both@example.cn>", to="support@centre.example, complaints@centre.example")
    dovecot.append(mailbox.username, raw)
    dovecot.append(other.username, raw)

    results = channels_poll(now=LATER)

    assert [r.error for r in results] == ["", ""]
    assert Complaint.objects.count() == 1
    assert sorted(InboundMessage.objects.values_list("outcome", flat=True)) == ["created", "ignored_duplicate"]


def test_a_forwarded_copy_with_the_number_in_the_subject_lands_on_that_complaint(dovecot, mailbox):
    complaint = make_complaint(channel="email", customer=CustomerHandles(name="王伟", email=CUSTOMER))
    forwarded = mail(subject=f"Fwd: [{complaint.number}] 快递延误投诉", body="再次反映：还是没有收到。")
    dovecot.append(mailbox.username, forwarded)

    result = _poll(mailbox)

    assert Complaint.objects.count() == 1
    assert result.outcomes["replied"] == 1
    (message,) = _messages(complaint)
    assert (message["text"], message["threaded_by"], message["known_sender"]) == (
        "再次反映：还是没有收到。", "subject_number", True)


def test_a_reply_to_our_message_lands_on_its_complaint_and_resumes_it(dovecot, mailbox, group):
    # given a complaint taken in by e-mail, being handled, and waiting for the customer
    dovecot.append(mailbox.username, mail(msgid="<first@example.cn>", subject="退款"))
    _poll(mailbox)
    complaint = Complaint.objects.get()
    handler = make_user(Role.HANDLER, groups=[group])
    complaint_assign(complaint=complaint, assignee=handler, by=None, now=LATER)
    complaint_start(complaint=complaint, by=handler, now=LATER)
    complaint_pend(complaint=complaint, by=handler, now=LATER, reason="请提供订单号")

    # when the customer answers our e-mail (without the number in the subject)
    dovecot.append(mailbox.username, mail(
        subject="Re: 退款", body="订单号是 123456。\n\n在 2026年3月2日 客服 写道：\n> 请提供订单号",
        in_reply_to="<first@example.cn>", references="<first@example.cn>",
    ))
    _poll(mailbox, now=LATER + timedelta(hours=1))

    # then the message is on the complaint, the clocks run again, and the handler is told
    complaint.refresh_from_db()
    assert complaint.status == "in_progress"
    assert [m["text"] for m in _messages(complaint)] == ["快递三天没到，客服态度很差，要求退款。", "订单号是 123456。"]
    assert _messages(complaint)[1]["threaded_by"] == "in_reply_to"
    assert complaint.events.filter(kind=EventKind.RESUMED).count() == 1
    notice = Notification.objects.get(recipient=handler, kind="customer_message")
    assert complaint.number in notice.title and "123456" in notice.body
    assert Complaint.objects.count() == 1


def test_a_reply_matched_only_by_references_lands_on_the_complaint(dovecot, mailbox):
    dovecot.append(mailbox.username, mail(msgid="<root@example.cn>"))
    _poll(mailbox)
    dovecot.append(mailbox.username, mail(subject="补充", body="补充照片", references="<root@example.cn> <x@elsewhere>",
                                          in_reply_to="<unknown@elsewhere>"))

    _poll(mailbox, now=LATER + timedelta(minutes=1))

    assert Complaint.objects.count() == 1
    assert _messages(Complaint.objects.get())[1]["threaded_by"] == "references"


@pytest.mark.parametrize(
    ("charset", "body", "subject", "name"),
    [
        ("gbk", "商品有质量问题，屏幕碎了，镕要求换货。", "质量投诉：屏幕碎裂", "王喆"),
        ("gb2312", "物流太慢，一周还没到。", "物流投诉", "张伟"),
        ("big5", "退貨處理太慢了，我要投訴。", "退貨投訴", "陳大文"),
        ("gb18030", "网点服务态度恶劣。", "服务态度", "刘洋"),
    ],
)
def test_chinese_charsets_give_the_right_text(dovecot, mailbox, charset, body, subject, name):
    dovecot.append(mailbox.username, mail(charset=charset, body=body, subject=subject,
                                          from_=sender(name, charset=charset)))

    _poll(mailbox)

    complaint = Complaint.objects.get()
    assert (complaint.content, complaint.subject, complaint.customer.name) == (body, subject, name)


def test_gbk_text_labelled_gb2312_is_read_as_gbk(dovecot, mailbox):
    # "镕" and "喆" are not in GB2312; mail programs label such GBK text gb2312 anyway
    body = "朱镕基 喆 投诉".encode("gbk")
    subject = "=?gb2312?B?" + base64.b64encode("喆的投诉".encode("gbk")).decode() + "?="  # labelled gb2312
    raw = (f"From: a@example.cn\r\nTo: support@centre.example\r\nSubject: {subject}\r\nMessage-ID: {message_id()}\r\n"
           "Content-Type: text/plain; charset=gb2312\r\nContent-Transfer-Encoding: 8bit\r\n\r\n").encode() + body
    dovecot.append(mailbox.username, raw)

    _poll(mailbox)

    complaint = Complaint.objects.get()
    assert (complaint.subject, complaint.content) == ("喆的投诉", "朱镕基 喆 投诉")


def test_an_html_only_message_becomes_safe_text(dovecot, mailbox):
    html = ("<html><head><style>p {color:red}</style><script>alert('x')</script></head><body>"
            "<p>您好，</p><div>订单 <b>123</b> 没有发货<br>请尽快处理 &amp; 回复</div>"
            "<p>&lt;script&gt; 不是代码</p></body></html>")
    raw = (f"From: {sender()}\r\nTo: support@centre.example\r\nSubject: html\r\nMessage-ID: {message_id()}\r\n"
           "Content-Type: text/html; charset=utf-8\r\n\r\n").encode() + html.encode()
    dovecot.append(mailbox.username, raw)

    _poll(mailbox)

    assert Complaint.objects.get().content == "您好，\n订单 123 没有发货\n请尽快处理 & 回复\n<script> 不是代码"


def test_quoted_history_is_trimmed(dovecot, mailbox):
    body = ("好的，我等你们的处理结果。\n\n-----Original Message-----\nFrom: 客服 <support@centre.example>\n"
            "Sent: 2026-03-02\n\n请耐心等待")
    dovecot.append(mailbox.username, mail(body=body))

    _poll(mailbox)

    assert Complaint.objects.get().content == "好的，我等你们的处理结果。"


@pytest.mark.parametrize(
    ("headers", "from_"),
    [
        ({"Auto-Submitted": "auto-replied"}, None),
        ({"X-Autoreply": "yes"}, None),
        ({"Precedence": "bulk"}, None),
        ({}, "MAILER-DAEMON@mx.example.cn"),
        ({"Return-Path": "<>"}, None),
    ],
)
def test_auto_replies_and_bounces_create_nothing(dovecot, mailbox, headers, from_):
    dovecot.append(mailbox.username, mail(subject="自动回复：我正在休假", headers=headers, from_=from_))

    result = _poll(mailbox)

    assert not Complaint.objects.exists()
    assert result.outcomes["ignored_auto"] == 1
    assert InboundMessage.objects.get().reason.startswith("automatic reply or bounce")


def test_a_delivery_report_for_our_reply_is_ignored_but_linked_to_the_complaint(dovecot, mailbox):
    dovecot.append(mailbox.username, mail(msgid="<orig@example.cn>"))
    _poll(mailbox)
    report = (b"From: Mail Delivery System <MAILER-DAEMON@mx.example.cn>\r\nTo: support@centre.example\r\n"
              b"Subject: Undelivered Mail Returned to Sender\r\nMessage-ID: <bounce-1@mx.example.cn>\r\n"
              b"References: <orig@example.cn>\r\n"
              b"Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n"
              b"--b\r\nContent-Type: text/plain\r\n\r\nmailbox full\r\n"
              b"--b\r\nContent-Type: message/delivery-status\r\n\r\nStatus: 5.2.2\r\n--b--\r\n")
    dovecot.append(mailbox.username, report)

    _poll(mailbox, now=LATER + timedelta(minutes=1))

    bounce = InboundMessage.objects.get(outcome="ignored_auto")
    assert bounce.complaint == Complaint.objects.get()
    assert Complaint.objects.get().events.filter(kind=EventKind.CUSTOMER_MESSAGE).count() == 1


def test_a_broken_message_is_listed_as_failed_with_its_reason_and_kept(dovecot, mailbox):
    broken = b"Subject: no sender\r\nX-Junk: \xff\xfe\r\n\r\n\xfe\xff\x01 binary garbage"
    dovecot.append(mailbox.username, broken)
    dovecot.append(mailbox.username, mail(body="正常的投诉"))

    result = _poll(mailbox)

    # the broken one is in the failed list with its reason and its raw bytes; the next one went in
    (failed,) = failed_intakes()
    assert failed.reason == "the message has no sender address (From header)"
    with failed.raw.open("rb") as kept:
        assert kept.read().replace(b"\r\n", b"\n") == broken.replace(b"\r\n", b"\n")
    assert (result.outcomes["failed"], result.outcomes["created"]) == (1, 1)
    assert Complaint.objects.get().content == "正常的投诉"


def test_a_message_the_complaint_cannot_be_made_from_is_failed_not_dropped(dovecot, mailbox):
    # "someone@localhost" is not an address a customer can be found by
    dovecot.append(mailbox.username, mail(from_="Someone <someone@localhost>"))

    _poll(mailbox)

    failed = InboundMessage.objects.get()
    assert failed.outcome == "failed"
    assert "the complaint could not be written" in failed.reason and "email" in failed.reason
    assert failed.raw and not Complaint.objects.exists()


def test_a_dangerous_attachment_is_refused_with_the_reason_but_the_message_is_kept(dovecot, mailbox):
    dovecot.append(mailbox.username, mail(attachments=[
        ("照片.jpg", JPEG, "image/jpeg"),
        ("invoice.exe", b"MZ\x90\x00 program", "application/octet-stream"),
        ("fake.pdf", b"MZ\x90\x00 program", "application/pdf"),
    ]))

    _poll(mailbox)

    complaint = Complaint.objects.get()
    assert [a.original_name for a in complaint.attachments.all()] == ["照片.jpg"]
    (message,) = _messages(complaint)
    assert message["attachments"] == ["照片.jpg"]
    refused = {r["name"]: r["reason"]["code"] for r in message["refused"]}
    assert (refused["invoice.exe"], refused["fake.pdf"]) == ("files.type", "attachment.program")
    inbound = InboundMessage.objects.get()
    assert inbound.outcome == "created" and "invoice.exe refused" in inbound.reason


def test_a_message_above_the_size_limit_is_not_fetched_and_is_listed(dovecot, mailbox):
    mailbox.max_message_bytes = 2048
    mailbox.save()
    dovecot.append(mailbox.username, mail(attachments=[("big.jpg", JPEG + b"\x00" * 4000, "image/jpeg")]))

    _poll(mailbox)

    (failed,) = failed_intakes()
    assert "the limit of this mailbox is" in failed.reason and "still in the mailbox" in failed.reason
    assert not Complaint.objects.exists()


def test_two_polls_fetch_each_message_once(dovecot, mailbox):
    dovecot.append(mailbox.username, mail(body="第一封"))
    dovecot.append(mailbox.username, mail(body="第二封"))

    first = _poll(mailbox)
    second = _poll(mailbox, now=LATER + timedelta(minutes=1))
    dovecot.append(mailbox.username, mail(body="第三封"))
    third = _poll(mailbox, now=LATER + timedelta(minutes=2))

    assert (first.fetched, second.fetched, third.fetched) == (2, 0, 1)
    assert InboundMessage.objects.count() == 3
    assert sorted(Complaint.objects.values_list("content", flat=True)) == ["第一封", "第三封", "第二封"]
    mailbox.refresh_from_db()
    assert mailbox.last_uid == 3 and mailbox.last_polled_at == LATER + timedelta(minutes=2)


def test_a_renumbered_folder_is_read_again_without_duplicates(dovecot, mailbox):
    dovecot.append(mailbox.username, mail(msgid="<keep@example.cn>"))
    _poll(mailbox)
    # as if it had been read under an older UIDVALIDITY, before the server rebuilt the folder's UIDs
    InboundMessage.objects.update(uid_validity=1)
    mailbox.refresh_from_db()
    mailbox.uid_validity = 1
    mailbox.save()

    result = _poll(mailbox, now=LATER + timedelta(minutes=1))

    assert result.outcomes["ignored_duplicate"] == 1 and Complaint.objects.count() == 1


def test_new_complaints_go_to_the_mailbox_group(dovecot, mail_user, monkeypatch, db):
    monkeypatch.setenv("KESU_MAILBOX_TEST_PASSWORD", dovecot.PASSWORD)
    logistics = make_group("logistics")
    box = mailbox_make(dovecot, mail_user, group=logistics)
    dovecot.append(mail_user, mail())

    _poll(box)

    assert Complaint.objects.get().group == logistics


def test_one_failing_mailbox_never_stops_the_others(dovecot, mailbox, monkeypatch):
    # given a mailbox whose password variable is not set and one whose server refuses the login
    mailbox_make(dovecot, "nobody-here", name="a-broken", password_env="KESU_MAILBOX_UNSET_PASSWORD")
    monkeypatch.delenv("KESU_MAILBOX_UNSET_PASSWORD", raising=False)
    mailbox_make(dovecot, "ghost", name="b-refused")
    dovecot.append(mailbox.username, mail())

    results = {r.mailbox: r for r in channels_poll(now=LATER)}

    assert "KESU_MAILBOX_UNSET_PASSWORD" in results["a-broken"].error
    assert "login as ghost refused" in results["b-refused"].error
    assert results["support"].outcomes["created"] == 1
    broken = type(mailbox).objects.get(name="a-broken")
    assert broken.last_error == results["a-broken"].error and broken.last_error_at == LATER


def test_an_unreachable_server_is_an_error_not_a_crash(db, monkeypatch):
    from tests.channels.servers import free_port

    monkeypatch.setenv("KESU_MAILBOX_TEST_PASSWORD", "x")
    from kesu.channels.actions import mailbox_save

    box = mailbox_save(mailbox=None, by=None, now=T0, name="dead", host="127.0.0.1", port=free_port(),
                       security="none", username="x", password_env="KESU_MAILBOX_TEST_PASSWORD")

    result = mailbox_poll(mailbox=box, now=LATER)

    assert "cannot be reached" in result.error
    box.refresh_from_db()
    assert box.polling_until is None  # the next poll is not held up


def test_tls_and_starttls_with_the_centres_own_ca(dovecot, mail_user, monkeypatch, db):
    if not dovecot.tls:
        pytest.skip("openssl is missing: no certificate for the TLS test")
    monkeypatch.setenv("KESU_MAILBOX_TEST_PASSWORD", dovecot.PASSWORD)
    imaps = mailbox_make(dovecot, mail_user, name="imaps", security="ssl", port=dovecot.tls_port,
                         ca_file=str(dovecot.cert))
    starttls = mailbox_make(dovecot, mail_user, name="starttls", security="starttls", port=dovecot.port,
                            ca_file=str(dovecot.cert))
    untrusted = mailbox_make(dovecot, mail_user, name="untrusted", security="ssl", port=dovecot.tls_port)
    dovecot.append(mail_user, mail(msgid="<tls@example.cn>"))

    results = {r.mailbox: r for r in channels_poll(now=LATER)}

    assert results["imaps"].outcomes["created"] == 1
    assert results["starttls"].outcomes["ignored_duplicate"] == 1  # same folder, read over STARTTLS
    assert "TLS" in results["untrusted"].error or "certificate" in results["untrusted"].error
    assert Complaint.objects.count() == 1
    assert imaps.pk and starttls.pk and untrusted.pk


def test_a_folder_with_a_chinese_name_is_read_and_a_missing_one_named(dovecot, mail_user, monkeypatch, db):
    monkeypatch.setenv("KESU_MAILBOX_TEST_PASSWORD", dovecot.PASSWORD)
    dovecot.folder_create(mail_user, "&YpWLyQ-")  # 投诉, in IMAP's modified UTF-7
    dovecot.append(mail_user, mail(body="放在投诉文件夹里的邮件"), folder="&YpWLyQ-")
    complaints = mailbox_make(dovecot, mail_user, name="complaints-folder", folder="投诉")
    missing = mailbox_make(dovecot, mail_user, name="missing-folder", folder="建议")

    assert _poll(complaints).outcomes["created"] == 1
    assert Complaint.objects.get().content == "放在投诉文件夹里的邮件"
    assert "folder '建议' cannot be opened" in mailbox_poll(mailbox=missing, now=LATER).error


def test_a_poll_already_running_is_not_started_twice(dovecot, mailbox):
    type(mailbox).objects.filter(pk=mailbox.pk).update(polling_until=LATER + timedelta(minutes=5))
    dovecot.append(mailbox.username, mail())

    held = mailbox_poll(mailbox=mailbox, now=LATER)
    after_the_lease = mailbox_poll(mailbox=mailbox, now=LATER + timedelta(minutes=10))

    assert held.skipped and held.fetched == 0
    assert after_the_lease.outcomes["created"] == 1


def test_the_minute_job_polls_the_enabled_mailboxes(dovecot, mailbox, mail_user):
    from kesu.channels.tasks import mailboxes_poll

    mailbox_make(dovecot, mail_user, name="disabled", enabled=False)
    dovecot.append(mailbox.username, mail())

    mailboxes_poll.call_local()

    assert Complaint.objects.count() == 1  # read once, by the enabled mailbox only
    assert InboundMessage.objects.get().mailbox == mailbox


def test_control_characters_hidden_in_encoded_headers_do_not_stop_the_mailbox(dovecot, mailbox):
    # a NUL in an encoded word (PostgreSQL cannot store NUL: the message would fail on every poll)
    subject = "=?utf-8?B?" + base64.b64encode("投\x00诉\x07".encode()).decode() + "?="
    name = base64.b64encode("王\x00伟".encode()).decode()
    raw = (f"From: =?utf-8?B?{name}?= <w@example.cn>\r\n"
           f"Subject: {subject}\r\nMessage-ID: <nul\x01@example.cn>\r\n\r\n正文").encode()
    dovecot.append(mailbox.username, raw)
    dovecot.append(mailbox.username, mail(body="下一封"))

    result = _poll(mailbox)

    assert result.outcomes["created"] == 2
    complaint = Complaint.objects.get(content="正文")
    assert (complaint.subject, complaint.customer.name) == ("投诉", "王伟")
