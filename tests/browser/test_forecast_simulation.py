"""The forecast and simulation pages in a real browser: reached from the menu, the forecast's charts and
accuracy table, the simulation form's per-field error and today beside the scenario."""

from __future__ import annotations

import os
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import expect

from kesu.core.roles import Role
from kesu.demo.generator import demo_generate
from kesu.workforce.actions import forecast_refresh
from tests.factories import make_user

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def _shot(page, name: str) -> None:
    if os.environ.get("KESU_SCREENSHOTS"):  # the README's screenshots
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)




def test_the_management_layer_opens_the_forecast_and_the_simulation(as_user, jobs_run_in_process):
    now = timezone.now()
    demo_generate(complaints=600, seed=7, now=now)
    forecast_refresh(now=now)
    page = as_user(make_user(Role.MANAGER, "boss"))

    page.get_by_role("link", name="来件预测").click()
    expect(page.locator("h1")).to_have_text("来件预测")
    expect(page.locator("table.forecast-accuracy tbody tr")).to_have_count(2)
    expect(page.locator("#chart-forecast-days .chart-canvas svg")).to_be_visible()
    expect(page.locator("#chart-forecast-tomorrow .chart-canvas svg")).to_be_visible()
    _shot(page, "operations-forecast")

    page.get_by_role("link", name="仿真").click()
    expect(page.locator("h1")).to_have_text("仿真")
    page.locator("input[name=replications]").fill("5000")
    page.get_by_role("button", name="运行仿真").click()
    expect(page.locator('[data-field="replications"]')).to_contain_text("5000")
    page.locator("input[name=replications]").fill("2")
    page.get_by_role("button", name="运行仿真").click()
    expect(page.locator("table.simulation-groups tbody tr").first).to_be_visible(timeout=60_000)
    expect(page.locator(".bottleneck-scenario")).not_to_be_empty()
    _shot(page, "operations-simulation")

    page.get_by_role("button", name="English").click()
    expect(page.locator("h1")).to_have_text("Simulation")
    page.get_by_role("link", name="New simulation").click()
    page.locator("input[name=replications]").fill("2")
    page.locator("input[name=volume]").fill("20")
    page.get_by_role("button", name="Run the simulation").click()
    expect(page.locator("table.simulation-groups")).to_contain_text("SLA breach share", timeout=60_000)
    _shot(page, "operations-simulation-en")
    page.get_by_role("link", name="Arrivals forecast").click()
    expect(page.locator("table.forecast-accuracy")).to_contain_text("Seasonal naive")
    expect(page.locator("#chart-forecast-days .chart-canvas svg")).to_be_visible()
    _shot(page, "operations-forecast-en")
