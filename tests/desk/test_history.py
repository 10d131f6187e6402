"""The customer panel's history: what the customer said elsewhere, so the handler does not ask again."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kesu.customers.actions import CustomerHandles
from kesu.desk.selectors import customer_history
from kesu.pipeline.aftercare import survey_answer
from kesu.pipeline.transitions import complaint_transition
from kesu.surveys.actions import survey_token
from kesu.surveys.models import Survey
from tests.factories import T0, make_complaint

pytestmark = pytest.mark.django_db

WANG = CustomerHandles(name="王芳", phone="13600136000", email="wang@example.cn")


def _closed_by_email(handler):
    """An earlier complaint that came by e-mail, was resolved and closed, and whose survey was answered."""
    earlier = make_complaint(by=handler, channel="email", subject="发票开错了", content="发票抬头开错了，要求重开。",
                             customer=WANG)
    for action in ("assign", "start"):
        complaint_transition(complaint=earlier, action=action, assignee="handler1", by=handler, now=T0)
    complaint_transition(complaint=earlier, action="resolve", resolution="已重新开具发票并邮寄。",
                         root_cause="billing_error", by=handler, now=T0 + timedelta(hours=2))
    complaint_transition(complaint=earlier, action="close", by=handler, now=T0 + timedelta(hours=3))
    survey = Survey.objects.get(complaint=earlier)
    survey_answer(token=survey_token(survey.salt), satisfaction=5, nps=9, solved=True, comment="处理很及时，谢谢",
                  now=T0 + timedelta(hours=5))
    return earlier


def test_history_holds_the_earlier_complaint_and_the_survey_answer_newest_first(handler):
    earlier = _closed_by_email(handler)
    current = make_complaint(by=handler, channel="phone", customer=WANG, now=T0 + timedelta(days=1))

    history = customer_history(current.customer, exclude_complaint=current)

    # the answer, the survey invitation e-mailed at closing, the complaint itself
    assert [(entry.kind, entry.number) for entry in history] == [
        ("survey", earlier.number), ("email_out", earlier.number), ("complaint", earlier.number),
    ]
    assert history[1].extra["address"] == "wang@example.cn"
    complaint_entry = history[2]
    assert complaint_entry.text == "已重新开具发票并邮寄。"
    assert complaint_entry.extra["status"] == "closed"
    assert history[0].extra["satisfaction"] == 5 and history[0].text == "处理很及时，谢谢"


def test_the_customer_panel_shows_another_channels_complaint_and_a_survey_answer(handler_client, handler):
    earlier = _closed_by_email(handler)
    current = make_complaint(by=handler, channel="phone", customer=WANG, now=T0 + timedelta(days=1))
    other_customer = make_complaint(by=handler, subject="别人的投诉", customer=CustomerHandles(name="赵磊", phone="13700137000"))
    handler_client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    page = handler_client.get(f"/complaints/{current.pk}/").content.decode()
    panel = page[page.index('id="customer"'):page.index('id="suggestions"')]

    assert f'href="/complaints/{earlier.pk}/">{earlier.number}</a>' in panel
    assert "E-mail" in panel and "发票开错了" in panel
    assert "已重新开具发票并邮寄。" in panel  # its resolution: no need to ask what was done
    assert 'class="badge status-closed"' in panel
    assert "Survey answer" in panel and "Satisfaction 5/5" in panel and "处理很及时，谢谢" in panel
    assert other_customer.number not in panel
    assert current.number not in panel  # the complaint itself is the page, not its history


def test_a_first_contact_says_so(handler_client, handler):
    complaint = make_complaint(by=handler, customer=CustomerHandles(name="新客户", phone="13500135000"))
    handler_client.post("/i18n/setlang/", {"language": "en", "next": "/"})

    page = handler_client.get(f"/complaints/{complaint.pk}/").content.decode()

    assert "Nothing else from this customer: this is the first contact." in page
