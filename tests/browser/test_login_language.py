"""Logging in and switching the language, in a real browser."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from kesu.core.roles import Role
from tests.browser.conftest import log_in
from tests.factories import make_complaint, make_user


def test_a_wrong_password_is_refused_and_the_right_one_lets_the_handler_in(page):
    handler = make_user(Role.HANDLER, "wang")
    page.goto("/login/")
    page.locator("input[name=username]").fill("wang")
    page.locator("input[name=password]").fill("not-the-password")
    page.locator(".login-card button[type=submit]").click()
    expect(page.locator(".login-card")).to_contain_text("用户名")  # the error names the fields, in Chinese
    expect(page).to_have_url(re.compile(r"/login/"))

    log_in(page, handler)
    expect(page.locator(".user-name")).to_have_text(str(handler))


def test_switching_language_turns_the_page_to_english_and_back(page):
    handler = make_user(Role.HANDLER, "li")
    complaint = make_complaint(by=handler)
    log_in(page, handler)
    page.goto(f"/complaints/{complaint.pk}/")
    expect(page.locator("h2", has_text="时限")).to_be_visible()

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(rf"/complaints/{complaint.pk}/$"))
    expect(page.locator(".mainnav")).to_contain_text("Complaints")

    page.get_by_role("button", name="中文").click()
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(page.locator(".mainnav")).to_contain_text("投诉")
