"""Reading messages (pure): headers and bodies in the charsets Chinese mail uses, HTML, quoted history,
complaint numbers, automatic replies and bounces."""

from __future__ import annotations

import base64

import pytest

from kesu.channels.imap import folder_encode
from kesu.channels.mail import (
    MailParseError,
    complaint_number_find,
    html_to_text,
    mail_parse,
    quote_trim,
    subject_base,
)
from tests.channels.messages import JPEG, mail, sender


@pytest.mark.parametrize("charset", ["utf-8", "gbk", "gb2312", "gb18030", "big5"])
def test_headers_and_body_in_each_charset(charset):
    body, name = ("退貨處理太慢", "陳小明") if charset == "big5" else ("退货处理太慢", "陈小明")
    parsed = mail_parse(mail(charset=charset, body=body, subject=body, from_=sender(name, charset=charset)))

    assert (parsed.subject, parsed.text, parsed.from_name, parsed.from_address) == (
        body, body, name, "wang.wei@example.cn")


def test_raw_8bit_utf8_and_gbk_headers_are_decoded():
    for codec in ("utf-8", "gbk"):
        raw = ("From: 王伟 <w@example.cn>\r\nSubject: 投诉快递\r\nContent-Type: text/plain; charset=" + codec
               + "\r\n\r\n正文").encode(codec)
        parsed = mail_parse(raw)
        assert (parsed.subject, parsed.from_name, parsed.text) == ("投诉快递", "王伟", "正文")


def test_a_body_with_no_charset_is_guessed():
    raw = b"From: a@example.cn\r\nSubject: x\r\n\r\n" + "没有声明字符集的正文".encode("gbk")
    assert mail_parse(raw).text == "没有声明字符集的正文"


def test_big5_hkscs_characters_survive():
    text = "香港用字：啱"
    raw = b"From: a@example.hk\r\nContent-Type: text/plain; charset=big5\r\n\r\n" + text.encode("big5hkscs")
    assert mail_parse(raw).text == text


def test_html_becomes_text_without_scripts_styles_or_markup():
    html = ("<style>.x{}</style><script>steal()</script><p>第一段</p><p>第二段<br/>换行</p>"
            "<ul><li>一</li><li>二</li></ul><table><tr><td>a</td><td>b</td></tr></table>"
            "<p>&lt;b&gt;不是标签&lt;/b&gt; &amp; &nbsp;</p><img src=x onerror=alert(1)>")
    assert html_to_text(html) == "第一段\n第二段\n换行\n- 一\n- 二\na b\n<b>不是标签</b> &"


def test_the_plain_part_is_preferred_and_html_quotes_are_trimmed():
    both = mail_parse(mail(body="纯文本", html="<p>网页</p>"))
    assert both.text == "纯文本"
    html_only = (b"From: a@example.cn\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
                 + "<div>新的内容</div><blockquote>旧的内容</blockquote>".encode())
    assert mail_parse(html_only).text == "新的内容"


@pytest.mark.parametrize(
    "history",
    [
        "-----Original Message-----\nFrom: 客服\n旧",
        "-----原始邮件-----\n发件人: 客服\n旧",
        "在 2026年3月2日 09:00，客服 <support@centre.example> 写道：\n> 旧",
        "On Mon, 2 Mar 2026 at 09:00, Support <support@centre.\nexample> wrote:\n> old",
        "________________________________\nFrom: Support <s@centre.example>\nSent: Monday, 2 March 2026\n"
        "To: Wang\nSubject: RE: x\n\nold",
        "发件人: 客服中心\n发送时间: 2026年3月2日 9:00\n收件人: 王伟\n主题: 回复\n\n旧",
        "> 旧的一行\n> 另一行",
    ],
)
def test_quoted_history_is_cut(history):
    assert quote_trim(f"新的回复\n第二行\n\n{history}") == "新的回复\n第二行"


def test_inline_answers_keep_the_new_lines_and_an_all_quoted_message_is_kept_whole():
    assert quote_trim("> 问题一\n回答一\n> 问题二\n回答二") == "回答一\n回答二"
    assert quote_trim("> 只有引用") == "> 只有引用"
    # a sentence that merely mentions "From:" is not a quoted header block
    assert quote_trim("From: 北京\n发货太慢") == "From: 北京\n发货太慢"


def test_the_complaint_number_is_found_in_the_subject():
    assert complaint_number_find("Re: [KS-2026-000123] 快递延误") == "KS-2026-000123"
    assert complaint_number_find("回复：ks-2026-000042") == "KS-2026-000042"
    assert complaint_number_find("订单 2026-000123") == ""
    assert subject_base("回复：Re: [KS-2026-000123] 快递延误") == "快递延误"


@pytest.mark.parametrize(
    ("headers", "from_", "subject", "reason"),
    [
        ({"Auto-Submitted": "auto-replied"}, None, "x", "Auto-Submitted: auto-replied"),
        ({"Auto-Submitted": "auto-generated; type=vacation"}, None, "x", "Auto-Submitted: auto-generated"),
        ({"X-Autoreply": "yes"}, None, "x", "X-Autoreply header"),
        ({"X-Autorespond": "vacation"}, None, "x", "X-Autorespond header"),
        ({"Precedence": "junk"}, None, "x", "Precedence: junk"),
        ({"Precedence": "auto_reply"}, None, "x", "Precedence: auto_reply"),
        ({"Return-Path": "<>"}, None, "x", "empty Return-Path"),
        ({}, "Mail Delivery Subsystem <MAILER-DAEMON@mx.example.cn>", "x", "sent by mailer-daemon"),
        ({}, "postmaster@example.cn", "x", "sent by postmaster"),
        ({}, None, "自动回复：休假中", "is an automatic reply"),
        ({}, None, "Automatic reply: away", "is an automatic reply"),
    ],
)
def test_auto_replies_and_bounces_are_recognised(headers, from_, subject, reason):
    parsed = mail_parse(mail(headers=headers, from_=from_, subject=subject))
    assert reason in parsed.auto_reason


@pytest.mark.parametrize(
    ("headers", "subject"),
    [
        ({"Auto-Submitted": "no"}, "x"),
        ({"Precedence": "list"}, "x"),  # a support address run as a mailing list
        ({}, "Undeliverable package 包裹无法投递"),  # a customer's own subject
        ({}, "退信用卡年费"),
    ],
)
def test_a_persons_mail_is_not_taken_for_an_auto_reply(headers, subject):
    assert mail_parse(mail(headers=headers, subject=subject)).auto_reason == ""


def test_a_multipart_report_is_a_bounce():
    raw = (b"From: mail@example.cn\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=b\r\n\r\n"
           b"--b\r\nContent-Type: text/plain\r\n\r\nfailed\r\n--b--\r\n")
    assert mail_parse(raw).auto_reason == "multipart/report (delivery-status)"


def test_threading_ids_and_attachments():
    parsed = mail_parse(mail(
        msgid="<a@x>", in_reply_to="<b@x>", references="<c@x>\r\n <b@x>",
        attachments=[("发票.pdf", b"%PDF-1.4 x", "application/pdf"), ("照片.jpg", JPEG, "image/jpeg")],
    ))
    assert (parsed.message_id, parsed.in_reply_to, parsed.references) == ("a@x", "b@x", ("c@x", "b@x"))
    assert parsed.thread_ids() == ["b@x", "c@x"]
    assert [(a.name, a.content_type, a.data[:4]) for a in parsed.attachments] == [
        ("发票.pdf", "application/pdf", b"%PDF"), ("照片.jpg", "image/jpeg", JPEG[:4])]


def test_an_rfc2047_attachment_name_in_gbk_is_decoded():
    name = "=?GBK?B?" + base64.b64encode("合同.pdf".encode("gbk")).decode() + "?="
    raw = (b"From: a@example.cn\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
           b"Content-Type: text/plain\r\n\r\nhi\r\n--b\r\nContent-Type: application/pdf\r\n"
           b"Content-Disposition: attachment; filename=\"" + name.encode() + b"\"\r\n"
           b"Content-Transfer-Encoding: base64\r\n\r\n" + base64.b64encode(b"%PDF-1.4") + b"\r\n--b--\r\n")
    assert [a.name for a in mail_parse(raw).attachments] == ["合同.pdf"]


def test_a_message_without_message_id_gets_the_same_id_each_time():
    raw = b"From: a@example.cn\r\nSubject: x\r\nDate: Mon, 2 Mar 2026 09:00:00 +0800\r\n\r\nbody"
    first, again = mail_parse(raw), mail_parse(b"Received: by mx2\r\n" + raw)
    assert first.message_id_missing and first.message_id == again.message_id
    assert first.message_id != mail_parse(raw.replace(b"body", b"other")).message_id


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "the message is empty"),
        (b"Subject: x\r\n\r\nno sender", "the message has no sender address (From header)"),
        (b"From: \xe7\x8e\x8b\xe4\xbc\x9f\r\n\r\nx", "the sender '王伟' is not an e-mail address"),
        (b"just some text without any header", "the message has no headers"),
    ],
)
def test_a_message_that_cannot_be_taken_in_says_why(raw, reason):
    with pytest.raises(MailParseError) as error:
        mail_parse(raw)
    assert str(error.value) == reason


def test_folder_names_are_sent_in_imaps_modified_utf7():
    # the example of RFC 3501 §5.1.3
    assert folder_encode("~peter/mail/台北/日本語") == "~peter/mail/&U,BTFw-/&ZeVnLIqe-"
    assert folder_encode("A&B") == "A&-B"
