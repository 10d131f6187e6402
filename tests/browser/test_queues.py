"""The handler's queues in a real browser: the sidebar, its counts, keyboard navigation, bulk close."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from kesu.core.roles import Role
from kesu.pipeline.transitions import complaint_transition
from tests.factories import T0, make_complaint, make_group, make_user


def _handler_with_complaints():
    group = make_group("front-desk")
    handler = make_user(Role.HANDLER, "wang", groups=[group])
    mine = make_complaint(by=handler, group=group.code, subject="宽带一直断线")
    complaint_transition(complaint=mine, action="assign", assignee="wang", by=handler, now=T0)
    others = [make_complaint(by=handler, group=group.code, subject=f"无人处理 {i}") for i in range(2)]
    return handler, mine, others


def test_a_handler_opens_my_complaints_sees_the_count_and_opens_theirs(as_user):
    handler, mine, others = _handler_with_complaints()
    page = as_user(handler)

    # the landing page is the list, with the queues and their counts
    mine_link = page.locator('.queue-nav a[data-queue="mine"]')
    expect(mine_link.locator(".queue-count")).to_have_text("1")
    expect(page.locator('.queue-nav a[data-queue="unassigned"] .queue-count')).to_have_text("2")

    mine_link.click()
    expect(page).to_have_url(re.compile(r"\?queue=mine$"))
    expect(mine_link).to_have_attribute("aria-current", "page")
    rows = page.locator("#complaint-results tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(mine.number)
    expect(rows.first).to_contain_text("宽带一直断线")

    page.get_by_role("link", name=mine.number).click()
    expect(page).to_have_url(re.compile(rf"/complaints/{mine.pk}/$"))
    expect(page.locator("h1")).to_contain_text(mine.number)


def test_the_keyboard_moves_through_the_list_and_opens_a_complaint(as_user):
    handler, mine, others = _handler_with_complaints()
    page = as_user(handler)

    # "g u": the unassigned queue
    page.keyboard.press("g")
    page.keyboard.press("u")
    expect(page).to_have_url(re.compile(r"\?queue=unassigned$"))
    rows = page.locator("#complaint-results tbody tr")
    expect(rows).to_have_count(2)

    # j / k move the highlight, x ticks the row for the bulk bar
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(rows.nth(1)).to_have_class(re.compile(r"\bis-current\b"))
    page.keyboard.press("k")
    expect(rows.nth(0)).to_have_class(re.compile(r"\bis-current\b"))
    page.keyboard.press("x")
    expect(rows.nth(0).locator("input[type=checkbox]")).to_be_checked()
    expect(page.locator("[data-bulk-count]")).to_have_text("1")

    # Enter opens the highlighted complaint (the newest first)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/complaints/{others[1].pk}/$"))

    # "g m": back to my complaints
    page.go_back()
    page.keyboard.press("g")
    page.keyboard.press("m")
    expect(page).to_have_url(re.compile(r"\?queue=mine$"))


def test_bulk_assign_from_the_list_reports_each_complaint(as_user):
    handler, mine, others = _handler_with_complaints()
    page = as_user(handler)
    page.goto("/?queue=unassigned")

    page.locator("[data-bulk-all]").check()
    expect(page.locator("[data-bulk-count]")).to_have_text("2")
    page.locator("#bulk-action").select_option("assign")
    # the picker names the people who may receive them, with their load
    picker = page.locator("#bulk-assignee")
    expect(picker.locator("option[value=wang]")).to_contain_text("在办 1 / 30")
    picker.select_option("wang")
    page.locator("#bulk-form button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"\?queue=unassigned$"))
    expect(page.locator(".messages .alert.success")).to_contain_text(others[0].number)
    expect(page.locator(".messages .alert.success")).to_contain_text(others[1].number)
    expect(page.locator("#complaint-results tbody tr td.empty")).to_be_visible()
    expect(page.locator('.queue-nav a[data-queue="mine"] .queue-count')).to_have_text("3")


def test_a_handler_saves_the_list_they_filtered_and_opens_it_again(as_user):
    handler, mine, others = _handler_with_complaints()
    page = as_user(handler)
    page.goto("/?queue=group")

    # the sort changes the list in place (htmx), and the address with it
    page.locator("#id_sort").select_option("oldest")
    expect(page).to_have_url(re.compile(r"sort=oldest"))
    page.locator(".saved-view-form input[name=name]").fill("组里最早的")
    page.locator(".saved-view-form button[type=submit]").click()

    saved = page.locator(".saved-views a", has_text="组里最早的")
    expect(saved).to_have_attribute("href", re.compile(r"queue=group.*sort=oldest"))
    page.goto("/")
    saved.click()
    expect(page.locator("#id_sort")).to_have_value("oldest")
    expect(page.locator("#complaint-results tbody tr").first).to_contain_text(mine.number)
