"""Logging a phone call in a real browser: the number finds the customer, the call opens a complaint."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from kesu.calls.models import Call
from kesu.complaints.models import Complaint
from kesu.core.roles import Role
from tests.factories import make_complaint, make_user


def test_a_handler_logs_a_call_from_a_known_customer_as_a_new_complaint(as_user):
    handler = make_user(Role.HANDLER, "zhou")
    earlier = make_complaint(by=handler, subject="退款迟迟未到账")  # 张伟, 13800138000
    page = as_user(handler)

    page.goto("/calls/new/")
    page.get_by_label("电话号码").press_sequentially("+86 138-0013-8000", delay=20)

    customer = page.locator("#call-customer")
    expect(customer).to_contain_text("张伟")
    expect(customer).to_contain_text(earlier.number)
    expect(customer).to_contain_text("退款迟迟未到账")
    expect(customer.get_by_label("关联到此投诉")).to_be_visible()

    page.get_by_label("外呼").check()
    page.get_by_label("通话时长（分:秒 或 秒数）").fill("4:05")
    page.get_by_label("通话文本").fill("客户：上次的退款还没到，今天又发现商品有质量问题，要求换货。")
    page.get_by_label("话后小结").fill("已登记换货诉求，承诺明天回电")
    page.get_by_label("根据本次通话新建投诉").check()
    page.get_by_label("标题").fill("商品质量问题，要求换货")
    page.get_by_role("button", name="保存通话记录").click()

    new = Complaint.objects.exclude(pk=earlier.pk).get()
    expect(page).to_have_url(re.compile(rf"/complaints/{new.pk}/$"))
    expect(page.locator(".messages")).to_contain_text(new.number)
    panel = page.locator(".calls-panel")
    expect(panel).to_contain_text("外呼")
    expect(panel).to_contain_text("13800138000")
    expect(panel).to_contain_text("4:05")
    expect(panel).to_contain_text("已登记换货诉求，承诺明天回电")
    panel.get_by_text("通话文本").click()
    expect(panel).to_contain_text("今天又发现商品有质量问题")
    call = Call.objects.get()
    assert call.complaint == new and call.customer == earlier.customer and new.channel == "phone"


def test_a_bad_duration_is_shown_next_to_the_field(as_user):
    handler = make_user(Role.HANDLER, "qian")
    page = as_user(handler)

    page.goto("/calls/new/")
    page.get_by_label("电话号码").fill("13912345678")
    page.get_by_label("通话时长（分:秒 或 秒数）").fill("三分钟")
    page.get_by_label("通话文本").fill("客户咨询发票问题")
    page.get_by_role("button", name="保存通话记录").click()

    expect(page.locator(".field.has-error")).to_contain_text("不是有效的时长")
    expect(page.get_by_label("电话号码")).to_have_value("13912345678")
    expect(page.locator("#call-customer")).to_contain_text("新客户")
    assert not Call.objects.exists()
