"""The one-page desk in a real browser: the handler answers with a template whose variables are filled
in from the complaint, sends it, sees it on the timeline, then transfers the complaint with the
transfer form to another group.

Existing wording is read in Chinese; the desk's new wording is not relied on (its Chinese reaches the
catalogue when the translations are merged)."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from kesu.channels.models import OutboundMessage
from kesu.core.roles import Role
from kesu.customers.actions import CustomerHandles
from kesu.desk.models import ResponseTemplate
from kesu.pipeline.transitions import complaint_transition
from tests.factories import T0, make_complaint, make_group, make_user


def test_reply_with_a_template_then_transfer_to_another_group(as_user):
    front = make_group("front-desk")
    second = make_group("second-line", layer="second_line")
    handler = make_user(Role.HANDLER, "wang", display_name="王芳", groups=[front])
    complaint = make_complaint(
        by=handler, channel="email", subject="退款迟迟未到账", group=front.code,
        customer=CustomerHandles(name="李娜", email="li.na@example.cn"),
        content="上周申请的退款到现在还没到账，客服说三个工作日，已经过去七天了。",
    )
    for action in ("assign", "start"):
        complaint_transition(complaint=complaint, action=action, assignee="wang", by=handler, now=T0)
    complaint.refresh_from_db()

    # given: the handler on the complaint's page
    page = as_user(handler)
    page.goto(f"/complaints/{complaint.pk}/")

    # the SLA panel counts down in the browser: a due instant 2 h 15 min (and a few seconds) away
    countdown = page.locator("time[data-countdown]").first
    expect(countdown).to_have_text(re.compile(r"^(已超时|overdue) "))  # T0 is long past
    page.evaluate("""() => {
        const due = new Date(Date.now() + (135 * 60 + 20) * 1000);
        document.querySelector("time[data-countdown]").setAttribute("datetime", due.toISOString());
        window.kesuCountdowns();
    }""")
    expect(countdown).to_have_text(re.compile(r"^(剩余 2小时15分|2 h 15 min left)$"))

    # when: "r" goes to the reply, and a template of the complaint's cell is picked
    page.keyboard.press("r")
    reply = page.locator("#reply-text")
    expect(reply).to_be_focused()
    reply.blur()
    select = page.locator("#id_reply-template")
    first = select.locator("option").nth(1)
    template = ResponseTemplate.objects.get(pk=first.get_attribute("value"))
    assert (template.severity, template.language) == (complaint.severity, "zh-hans")
    select.select_option(index=1)

    # then: the text is the template with the customer's name and the number filled in
    expect(reply).to_have_value(re.compile(rf"尊敬的李娜您好.*{complaint.number}", re.S))
    expect(reply).not_to_have_value(re.compile(r"\{\w+\}"))

    # when: the handler adds a line and sends
    reply.press("End")
    reply.type("\n退款已于今日重新发起。")
    page.locator("#composer button[type=submit]").click()

    # then: the page shows the reply on the timeline, and it went out by e-mail
    expect(page.locator(".timeline .event-reply_sent")).to_contain_text("尊敬的李娜您好")
    expect(page.locator(".timeline .event-reply_sent")).to_contain_text("退款已于今日重新发起。")
    outbound = OutboundMessage.objects.get(complaint=complaint)
    assert outbound.to == "li.na@example.cn" and complaint.number in outbound.body
    template.refresh_from_db()
    assert template.use_count == 1

    # when: "t" opens the transfer form, which is filled in and sent
    page.keyboard.press("t")
    transfer = page.locator('details[data-shortcut="t"]')
    expect(transfer).to_have_attribute("open", "")
    transfer.locator("select[name=transfer-group]").select_option(second.code)
    transfer.locator("textarea[name=transfer-reason]").fill("需要二线核实退款流水")
    transfer.locator("textarea[name=transfer-done]").fill("已回复客户并重新发起退款")
    transfer.locator("textarea[name=transfer-needed]").fill("请财务确认到账时间")
    transfer.locator("button[type=submit]").click()

    # then: the complaint is in the other group, and the timeline says why
    group_field = page.locator("dl.fields dt", has_text="处理组").locator("xpath=following-sibling::dd[1]")
    expect(group_field).to_have_text(second.name)
    expect(page.locator(".timeline")).to_contain_text("需要二线核实退款流水")
    expect(page.locator(".timeline")).to_contain_text(f"由处理组 {front.name} 转至 {second.name}")
