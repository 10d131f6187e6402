"""The solution library in a real browser: search in Chinese, open an article, say it helped.

The new wording is read in English (switched with the language buttons) until its Chinese is merged."""

from __future__ import annotations

from playwright.sync_api import expect

from kesu.core.roles import Role
from kesu.knowledge.models import Article
from tests.browser.conftest import log_in
from tests.factories import T0, make_user
from tests.knowledge.conftest import article


def test_search_open_and_say_it_helped(page):
    manager = make_user(Role.MANAGER, "zhao")
    handler = make_user(Role.HANDLER, "wang")
    article(manager, title="包裹显示已签收但客户未收到", body="先核实签收人，再联系快递网点。",
            steps=["核实签收人", "联系快递网点"], category="logistics-delay", now=T0)
    article(manager, title="退款流程", body="退款原路退回。", now=T0)

    log_in(page, handler)
    page.goto("/library/")
    page.get_by_role("button", name="English").click()
    page.get_by_label("Search").first.fill("客户说已签收没收到")  # htmx searches as one types
    results = page.locator("#library-results td.subject a")
    expect(results).to_have_count(1)
    results.first.click()

    expect(page.locator("ol.article-steps").first).to_contain_text("联系快递网点")
    page.get_by_role("button", name="Helpful", exact=True).click()
    expect(page.locator("#library-feedback")).to_contain_text("Thank you for your feedback.")
    expect(page.locator("#library-feedback")).to_contain_text("1 found it helpful, 0 did not.")
    assert Article.objects.get(title="包裹显示已签收但客户未收到").helpful_count == 1
