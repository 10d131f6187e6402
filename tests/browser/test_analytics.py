"""The analytics pages in a real browser: dashboard → a Pareto bar → the filtered list; a target set
on the KPI page changes the state; a verification run shows its verdict."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kesu.core.roles import Role
from tests.analytics.conftest import NOW
from tests.browser.charts import chart_click
from tests.factories import make_user


@pytest.fixture
def year():
    from kesu.analytics.actions import rollup_update
    from kesu.demo.generator import demo_generate
    from kesu.demo.organisation import organisation_ensure

    organisation_ensure()
    demo_generate(complaints=200, seed=3, now=NOW)
    rollup_update(now=NOW)


PERIOD = "from=2026-01-01&to=2026-11-30"


def test_dashboard_pareto_bar_opens_the_filtered_list(page, as_user, year):
    as_user(make_user(Role.ANALYST, "ana"))
    page.goto(f"/analytics/?{PERIOD}")
    expect(page.locator("#chart-pareto svg")).to_have_count(1)
    expect(page.locator("#chart-heat svg")).to_have_count(1)

    chart_click(page, "pareto", index=0)

    expect(page).to_have_url(re.compile(r"/\?.*category=service-attitude"))
    expect(page.locator("table tbody tr").first).to_be_visible()


def test_a_target_set_by_the_decision_layer_changes_the_state(page, as_user, year):
    as_user(make_user(Role.DECISION, "boss"))
    page.goto(f"/analytics/kpis/?{PERIOD}")
    state = page.get_by_test_id("state-reopen_rate")
    expect(state).to_have_text("未设目标")

    row = page.locator('tr[data-kpi="reopen_rate"]')
    row.get_by_label("目标").fill("0")
    row.get_by_label("黄灯").fill("0.001")
    row.get_by_label("红灯").fill("0.002")
    row.get_by_role("button").click()

    expect(page.get_by_test_id("state-reopen_rate")).to_have_text("红灯")


def test_running_a_verification_shows_the_verdict(page, as_user, year):
    from kesu.analytics.models import ImprovementMeasure

    measure = ImprovementMeasure.objects.create(title="回访确认", start=NOW.date().replace(month=8, day=1),
                                                scope={}, metric="volume", created_at=NOW)
    as_user(make_user(Role.MANAGER, "mgr"))
    page.goto("/analytics/measures/")
    page.get_by_role("link", name="回访确认").click()
    page.get_by_test_id("verify").click()

    verdict = page.get_by_test_id("verdict")
    expect(verdict).to_contain_text("p 值")
    expect(verdict.locator("h2")).to_have_text(re.compile("有效|不显著|变差"))
    assert measure.pk
