"""Replying from the desk's composer: on the complaint's channel, with a template whose use is counted."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
import time_machine

from kesu.channels.models import OutboundMessage
from kesu.complaints.models import ComplaintEvent, EventKind
from kesu.customers.actions import CustomerHandles
from kesu.desk.actions import reply_with_template
from kesu.desk.models import ResponseTemplate
from tests.factories import T0, make_complaint

pytestmark = pytest.mark.django_db

NOW = T0 + timedelta(hours=1)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(NOW, tick=False):
        yield


def _template(severity="general", service_type="after_sale", language="zh-hans") -> ResponseTemplate:
    return ResponseTemplate.objects.get(severity=severity, service_type=service_type, language=language)


def _reply(client, complaint, **fields):
    return client.post(f"/desk/complaints/{complaint.pk}/reply/",
                       {f"reply-{name}": value for name, value in fields.items()})


def test_a_templated_reply_on_an_email_complaint_is_sent_and_the_use_counted(handler_client, handler):
    complaint = make_complaint(channel="email", subject="退款", customer=CustomerHandles(name="李娜", email="li@example.cn"))
    template = _template()

    response = _reply(handler_client, complaint, template=template.pk, text="李娜您好，退款已处理。")

    assert response.status_code == 302
    (outbound,) = OutboundMessage.objects.filter(complaint=complaint)
    assert (outbound.to, outbound.body) == ("li@example.cn", "李娜您好，退款已处理。")
    template.refresh_from_db()
    assert template.use_count == 1
    event = ComplaintEvent.objects.get(complaint=complaint, kind=EventKind.REPLY_SENT)
    assert event.data["sent"] is True
    page = handler_client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert "李娜您好，退款已处理。" in page  # on the timeline


def test_a_reply_on_a_phone_complaint_is_recorded_with_the_note(handler_client, handler):
    complaint = make_complaint(by=handler)  # channel: phone
    template = _template()
    handler_client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    response = _reply(handler_client, complaint, template=template.pk, text="已电话告知客户处理结果")

    assert response.status_code == 302
    assert not OutboundMessage.objects.filter(complaint=complaint).exists()
    event = ComplaintEvent.objects.get(complaint=complaint, kind=EventKind.REPLY_SENT)
    assert event.data["sent"] is False
    assert "not sent by kesu" in event.data["note"]
    page = handler_client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert "Reply recorded. kesu cannot send on the Phone channel: pass it on to the customer there." in page
    template.refresh_from_db()
    assert template.use_count == 1


def test_the_use_is_counted_once_per_send_and_not_when_the_send_fails(handler, handler_client):
    email = make_complaint(channel="email", customer=CustomerHandles(name="王芳", email="wang@example.cn"))
    no_address = make_complaint(channel="email", customer=CustomerHandles(name="无邮箱"))
    template = _template()

    reply_with_template(complaint=email, by=handler, text="第一次", now=NOW, template=template)
    reply_with_template(complaint=email, by=handler, text="第二次", now=NOW, template=None)  # written freely
    response = _reply(handler_client, no_address, template=template.pk, text="发不出去")

    template.refresh_from_db()
    assert template.use_count == 1
    assert response.status_code == 422
    assert not ComplaintEvent.objects.filter(complaint=no_address, kind=EventKind.REPLY_SENT).exists()


def test_an_empty_reply_is_refused_next_to_the_text(handler_client, handler):
    complaint = make_complaint(by=handler)

    response = _reply(handler_client, complaint, template="", text="   ")

    assert response.status_code == 422
    page = response.content.decode()
    assert "此项为必填项。" in page
    assert 'id="reply-text" rows="8" data-shortcut="r"' in page and 'aria-invalid="true"' in page
    assert not ComplaintEvent.objects.filter(complaint=complaint, kind=EventKind.REPLY_SENT).exists()


def test_the_preview_fills_in_the_customer_and_number(handler_client, handler):
    complaint = make_complaint(by=handler)
    template = _template()

    response = handler_client.get(f"/desk/complaints/{complaint.pk}/template-preview/",
                                  {"reply-template": template.pk})

    assert response.status_code == 200
    text = response.content.decode()
    assert "尊敬的张伟您好" in text
    assert complaint.number in text
    assert "{" not in text.split('<template class="preview-text">')[1]


def test_a_template_with_an_unknown_variable_is_not_previewed(handler_client, handler):
    complaint = make_complaint(by=handler)
    broken = ResponseTemplate.objects.create(name="坏模板", severity="general", service_type="after_sale",
                                             body="您好 {custmer_name}", updated_at=T0)
    handler_client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    response = handler_client.get(f"/desk/complaints/{complaint.pk}/template-preview/",
                                  {"reply-template": broken.pk})

    assert response.status_code == 422
    assert "The template uses an unknown variable {custmer_name}" in response.content.decode()


def test_the_composer_offers_the_templates_of_the_complaints_cell(handler_client, handler):
    complaint = make_complaint(by=handler, severity="major", category="product-quality")

    page = handler_client.get(f"/complaints/{complaint.pk}/").content.decode()

    major_technical = _template("major", "technical")
    assert f'<option value="{major_technical.pk}">重大·技术故障专项处理</option>' in page
    assert "一般·售后问题受理" not in page


def test_an_analyst_sees_no_composer_and_may_not_reply(analyst, client, handler):
    complaint = make_complaint(by=handler)
    client.force_login(analyst)

    assert 'id="reply-text"' not in client.get(f"/complaints/{complaint.pk}/").content.decode()
    assert _reply(client, complaint, text="hi").status_code == 403


@pytest.mark.parametrize(("email", "said", "mailed"), [
    ("li.na@example.cn", "Reply shown on the customer's tracking page and sent by e-mail to li.na@example.cn.", True),
    ("", "Reply shown on the customer's tracking page (the customer gave no e-mail address).", False),
])
def test_a_reply_on_a_portal_complaint_says_where_it_went_and_uses_the_customers_email(
    handler_client, handler, email, said, mailed
):
    # given a complaint from the portal (web form), with or without an e-mail address
    complaint = make_complaint(by=handler, channel="web", customer=CustomerHandles(
        name="李娜", phone="13900139000", email=email))
    handler_client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    response = _reply(handler_client, complaint, template="", text="您好，退款已处理。")

    # then the desk says what actually happened: shown on the tracking page, and e-mailed when it can be
    assert response.status_code == 302
    page = html.unescape(handler_client.get(f"/complaints/{complaint.pk}/").content.decode())
    assert said in page
    assert "cannot send" not in page
    assert OutboundMessage.objects.filter(complaint=complaint, to=email or "-").exists() is mailed
    event = ComplaintEvent.objects.get(complaint=complaint, kind=EventKind.REPLY_SENT)
    assert event.data["portal"] is True and event.data["sent"] is mailed
