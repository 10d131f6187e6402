"""A mass incident in a real browser: the manager declares it (the matching count and a sample, link
all), matching complaints arrive answered, the manager resolves it, and the complaints are closed.

With ``KESU_SCREENSHOTS=1`` the pages are saved to docs/screenshots/ (the README's)."""

from __future__ import annotations

import os
from pathlib import Path

from playwright.sync_api import expect

from kesu.complaints.models import Complaint, EventKind
from kesu.core.roles import Role
from kesu.incidents.models import Incident
from kesu.pipeline.incidents import incident_resolve_run
from tests.browser.conftest import log_in
from tests.factories import make_user
from tests.incidents.conftest import broadband

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _shot(page, name: str) -> None:
    if os.environ.get("KESU_SCREENSHOTS"):
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_declare_watch_matching_complaints_arrive_answered_resolve_and_see_them_closed(page):
    from kesu.core.clock import clock_now
    from kesu.incidents.matching import scopes_reset

    scopes_reset()
    manager = make_user(Role.MANAGER, "zhou")
    now = clock_now()
    before = [broadband(now=now) for _ in range(2)]  # already open when the incident is declared

    log_in(page, manager)
    page.get_by_role("link", name="群体事件").click()
    page.get_by_role("link", name="宣布群体事件").click()
    page.get_by_label("标题").fill("南山区宽带中断")
    page.get_by_label("公告（中文）").fill("南山区光缆被挖断，宽带中断，正在抢修。")
    page.get_by_label("公告（英文）").fill("A fibre cut in Nanshan: broadband is down, repairs are under way.")
    page.get_by_label("地区").fill("广东省深圳市南山区")
    page.get_by_label("关键词").fill("宽带, 断网")
    page.get_by_role("button", name="查看匹配的投诉").click()
    expect(page.locator("section.matching h2")).to_contain_text("2")
    expect(page.locator("section.matching")).to_contain_text(before[0].number)
    page.get_by_role("button", name="宣布", exact=True).click()
    expect(page.locator("#fig-linked")).to_have_text("2")

    # new complaints arrive: linked at intake and answered with the announcement
    arriving = [broadband(now=clock_now()) for _ in range(3)]
    page.reload()
    expect(page.locator("#fig-linked")).to_have_text("5")
    expect(page.locator("#fig-answered")).to_have_text("5")
    _shot(page, "incident")
    assert all(c.events.filter(kind=EventKind.REPLY_SENT).count() == 1 for c in arriving)

    page.get_by_label("结束通告（中文）").fill("光缆已修复，宽带恢复正常。")
    page.get_by_label("结束通告（英文）").fill("The fibre is repaired; broadband is back.")
    page.get_by_label("根本原因").select_option("third_party")
    page.get_by_role("button", name="解决并答复所有客户").click()
    expect(page.locator("#resolve-progress")).to_contain_text("0 / 5")

    # the job (what the consumer runs) answers, resolves and closes them; the page shows the progress
    incident_resolve_run(incident_id=Incident.objects.get().pk, now=clock_now())
    page.reload()
    expect(page.locator("#resolve-progress")).to_contain_text("5")
    expect(page.locator("table.links")).to_contain_text("已关闭")
    assert set(Complaint.objects.values_list("status", flat=True)) == {"closed"}

    page.get_by_role("link", name=before[0].number).click()
    expect(page.locator("#incident-panel")).to_contain_text("南山区宽带中断")
    expect(page.locator("#timeline")).to_contain_text("光缆已修复")
    page.goto(f"/incidents/{Incident.objects.get().pk}/")
    page.get_by_role("button", name="English").click()
    expect(page.locator("#resolve-progress")).to_contain_text("5 of 5 linked complaints answered and closed")
    _shot(page, "incident-en")


def test_screens_of_the_suggestions_page_and_the_portal_banner(page):
    """The suggestions page and the portal's banner, in both languages (screenshots for the README)."""
    from datetime import timedelta

    from kesu.core.clock import clock_now
    from kesu.incidents.bursts import bursts_detect
    from tests.incidents.conftest import declare

    manager = make_user(Role.MANAGER, "qian")
    now = clock_now()
    for week in range(1, 9):
        broadband(now=now - timedelta(weeks=week, minutes=30), product="宽带")
    for i in range(30):
        broadband(now=now - timedelta(minutes=59 - i), product="宽带")
    assert bursts_detect(now=now).created
    declare(manager, now=now)

    log_in(page, manager)
    page.goto("/incidents/suggestions/")
    expect(page.get_by_role("link", name="据此宣布事件")).to_be_visible()
    _shot(page, "incident-suggestions")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("link", name="Declare incident from this")).to_be_visible()
    _shot(page, "incident-suggestions-en")
    page.goto("/portal/")
    expect(page.locator("#incident-banner")).to_contain_text("A fibre cut in Nanshan")
    _shot(page, "portal-incident-banner-en")
    page.locator("nav.langswitch").get_by_role("link", name="中文").click()
    expect(page.locator("#incident-banner")).to_contain_text("南山区光缆被挖断")
    _shot(page, "portal-incident-banner")
