"""Login and sessions in a real browser: the main pages work under the Content-Security-Policy with
no violation in the console, and repeated wrong passwords lock the account with a message that
says for how long."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from kesu.core.roles import Role
from kesu.pipeline.transitions import complaint_transition
from tests.browser.conftest import log_in
from tests.factories import T0, make_complaint, make_group, make_user

PAGES = [
    "/",
    "/complaints/new/",
    "{complaint}",
    "/library/",
    "/compensation/approvals/",
    "/calls/",
    "/calls/new/",
    "/incidents/",
    "/analytics/",
    "/analytics/kpis/",
    "/dashboard/",
    "/operations/forecast/",
    "/operations/simulation/",
    "/customers/",
    "/notifications/",
    "/security/account/",
    "/security/events/",
    "/api/v1/docs",
    "/portal/",
]


def test_the_main_pages_run_under_the_content_security_policy_without_a_violation(page):
    group = make_group("front-desk")
    manager = make_user(Role.ADMIN, "root", groups=[group])
    complaint = make_complaint(by=manager, group=group.code)
    complaint_transition(complaint=complaint, action="assign", assignee="root", by=manager, now=T0)
    problems: list[str] = []
    page.on(
        "console",
        lambda message: (
            problems.append(f"{page.url}: {message.text}")
            if message.type == "error" or "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(f"{page.url}: {error}"))
    violations: list[str] = []
    page.expose_function("kesuViolation", lambda text: violations.append(text))
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => "
        "window.kesuViolation(e.violatedDirective + ' ' + e.blockedURI + ' ' + location.pathname));"
    )

    log_in(page, manager)
    for path in PAGES:
        path = path.format(complaint=f"/complaints/{complaint.pk}/")
        response = page.goto(path)
        assert response is not None and response.status < 400, (path, response and response.status)
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")

    # the scripts did run: the desk's SLA countdown ticks and the Swagger UI drew the operations
    page.goto(f"/complaints/{complaint.pk}/")
    expect(page.locator("time[data-countdown]").first).not_to_be_empty()
    page.goto("/api/v1/docs")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible()
    page.goto("/analytics/")
    page.wait_for_load_state("networkidle")
    csp_problems = [p for p in problems if "Content Security Policy" in p or "Refused to" in p]
    assert violations == [] and csp_problems == [], violations + csp_problems


def test_five_wrong_passwords_lock_the_account_and_the_page_says_until_when(page):
    make_user(Role.HANDLER, "wang")
    page.goto("/login/")
    for _ in range(5):
        page.locator("input[name=username]").fill("wang")
        page.locator("input[name=password]").fill("not-the-password")
        page.locator(".login-card button[type=submit]").click()
        page.wait_for_load_state()
    alert = page.locator(".login-card .alert")
    expect(alert).to_contain_text("账户 wang 登录失败次数过多")
    expect(alert).to_contain_text("15 分钟")

    # the right password does not let them in while the lock lasts
    page.locator("input[name=username]").fill("wang")
    page.locator("input[name=password]").fill("Kq8-mZvT2wL-9x")
    page.locator(".login-card button[type=submit]").click()
    expect(page.locator(".login-card .alert")).to_contain_text("已锁定至")
    expect(page).to_have_url(re.compile(r"/login/"))


def test_log_out_my_other_sessions_from_the_account_page(browser, live_server):
    user = make_user(Role.HANDLER, "li", groups=[make_group("front-desk")])
    contexts = [browser.new_context(locale="zh-CN", base_url=live_server.url) for _ in range(2)]
    laptop, phone = (context.new_page() for context in contexts)
    log_in(laptop, user)
    log_in(phone, user)

    laptop.goto("/security/account/")
    expect(laptop.locator(".session-row")).to_have_count(2)
    laptop.get_by_role("button", name="登出我的其他会话").click()
    expect(laptop.locator(".alert")).to_contain_text("已登出其他 1 个会话")
    expect(laptop.locator(".session-row")).to_have_count(1)

    phone.goto("/")
    expect(phone).to_have_url(re.compile(r"/login/"))
    for context in contexts:
        context.close()
    from django.db import connections

    connections.close_all()
