"""Compensation in a real browser: a first-line handler proposes above their authority, a manager
approves it from the approval queue, and the complaint shows the decision with its audit line.

The new wording is read in English (switched with the language buttons): its Chinese reaches the
catalogue when the translations are merged."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from kesu.compensation.models import Proposal, ProposalStatus
from kesu.core.roles import Role
from tests.browser.conftest import log_in
from tests.factories import make_complaint, make_user


def _english(page) -> None:
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_propose_above_authority_and_approve_it_as_a_manager(page, browser, live_server):
    handler = make_user(Role.HANDLER, "wang", display_name="王芳")
    manager = make_user(Role.MANAGER, "zhao", display_name="赵经理")
    complaint = make_complaint(by=handler, category="logistics-delay")

    # given: the handler on their complaint, whose authority is 500 yuan
    log_in(page, handler)
    page.goto(f"/complaints/{complaint.pk}/")
    _english(page)
    panel = page.locator("#compensation-panel")
    expect(panel).to_contain_text("Your approval authority: 500 yuan")

    # when: a wrong amount first, then 800 yuan
    panel.get_by_text("Propose compensation").click()
    panel.get_by_label("Amount (yuan)").fill("-5")
    panel.get_by_label("Remedy").fill("退还运费并补发优惠券")
    panel.get_by_role("button", name="Propose", exact=True).click()
    expect(page.locator("#compensation-panel .field-error")).to_contain_text("greater than 0")
    panel = page.locator("#compensation-panel")
    expect(panel.get_by_label("Remedy")).to_have_value("退还运费并补发优惠券")  # what was typed stays
    panel.get_by_label("Amount (yuan)").fill("800")
    panel.get_by_label("Reason").fill("包裹延误五天，客户为 VIP")
    panel.get_by_role("button", name="Propose", exact=True).click()

    # then: it waits for a manager
    proposal_row = page.locator(".comp-proposal").first
    expect(proposal_row.locator(".comp-status")).to_have_text("Awaiting approval — manager")
    expect(proposal_row).to_contain_text("800 yuan")
    expect(page.locator(".messages")).to_contain_text("exceeds your authority")

    # when: the manager, in a browser of their own, approves it from the queue
    context = browser.new_context(locale="zh-CN", viewport={"width": 1440, "height": 900}, base_url=live_server.url)
    other = context.new_page()
    other.set_default_timeout(15_000)
    log_in(other, manager)
    other.goto("/compensation/approvals/")
    _english(other)
    row = other.locator("tr.approval-row", has_text=complaint.number)
    expect(row).to_contain_text("800 yuan")
    expect(row).to_contain_text("退还运费并补发优惠券")
    expect(row).to_contain_text("王芳")
    row.get_by_role("button", name="Approve").click()
    expect(other.locator(f"#approval-{Proposal.objects.get().pk} .comp-status")).to_have_text("Approved")
    context.close()
    assert Proposal.objects.get().status == ProposalStatus.APPROVED

    # then: the handler's complaint shows it approved, with who approved it
    page.reload()
    proposal_row = page.locator(".comp-proposal").first
    expect(proposal_row.locator(".comp-status")).to_have_text("Approved")
    expect(proposal_row.locator(".comp-audit")).to_contain_text(re.compile(r"赵经理\s+approved"))
