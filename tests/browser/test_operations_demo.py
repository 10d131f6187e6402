"""The risk, process and staffing pages in a real browser on a demo history (the README's screenshots):
each shows something real — ranked open complaints with their reasons, the process map with the score of
the predictions a fortnight ago, the staffing heat map — in Chinese and English."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import expect

from kesu.core.roles import Role
from kesu.demo.generator import demo_generate
from kesu.workforce.predictions import resolution_refresh
from kesu.workforce.process_predictions import process_predictions_refresh
from kesu.workforce.risk_actions import risk_train
from tests.browser.test_forecast_simulation import _shot
from tests.factories import make_user


def test_the_risk_process_and_staffing_pages_on_the_demo_history(page, as_user):
    now = timezone.now()
    demo_generate(complaints=600, seed=7, now=now)
    risk_train(now=now)
    resolution_refresh(now=now)
    process_predictions_refresh(now=now - timedelta(days=14), replay=True)  # as `kesu demo` does
    process_predictions_refresh(now=now)
    page.set_default_timeout(60_000)  # pages over a demo history, on a shared machine
    page = as_user(make_user(Role.MANAGER, "boss"))

    page.get_by_role("link", name="升级风险").click()
    rows = page.locator("table.risk-ranking tbody tr")
    expect(rows.first).to_be_visible()
    assert rows.count() >= 5
    _shot(page, "operations-risk")
    page.get_by_role("link", name="流程图").click()
    expect(page.locator('#chart-process-map [data-chart-ready="true"] svg').first).to_be_visible()
    scores = page.locator("table.process-scores tbody tr")
    expect(scores).to_have_count(3)
    expect(scores.first.locator("td").nth(4)).not_to_have_text("0")  # steps taken since were scored
    _shot(page, "operations-process")
    page.get_by_role("link", name="人力排班").click()
    expect(page.locator("table.staffing-heatmap tbody tr")).to_have_count(7)
    _shot(page, "operations-staffing")

    page.get_by_role("button", name="English").click()
    expect(page.locator("table.staffing-heatmap tbody tr")).to_have_count(7)
    _shot(page, "operations-staffing-en")
    page.get_by_role("link", name="Process map").click()
    expect(page.locator("h2", has_text="How the estimates did")).to_be_visible()
    expect(page.locator('#chart-process-map [data-chart-ready="true"] svg').first).to_be_visible()
    _shot(page, "operations-process-en")
    page.get_by_role("link", name="Escalation risk").click()
    expect(page.locator("table.risk-ranking tbody tr").first).to_be_visible()
    _shot(page, "operations-risk-en")
