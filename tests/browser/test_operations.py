"""The operations pages in a real browser: the menu entries, the risk ranking, the process map, the
staffing heat map, in Chinese (the default) and English."""

from __future__ import annotations

from django.utils import timezone
from playwright.sync_api import expect

from kesu.core.roles import Role
from kesu.pipeline.transitions import complaint_transition
from kesu.workforce.models import RiskScore
from tests.factories import make_complaint, make_group, make_user


def _centre():
    group = make_group("front-desk")
    handler = make_user(Role.HANDLER, "wang", groups=[group])
    now = timezone.now()
    complaints = [make_complaint(by=handler, group=group.code, subject=f"宽带断线 {i}", now=now) for i in range(3)]
    complaint_transition(complaint=complaints[0], action="assign", assignee="wang", by=handler, now=now)
    for i, complaint in enumerate(complaints):
        RiskScore.objects.create(complaint=complaint, score=0.2 + 0.3 * i, computed_at=now,
                                 reasons=[{"feature": "complaints_30d", "value": i, "contribution": 0.5}])
    return complaints


def test_the_management_layer_finds_the_operations_pages_in_the_menu(as_user):
    complaints = _centre()
    page = as_user(make_user(Role.MANAGER, "boss"))

    page.get_by_role("link", name="升级风险").click()
    expect(page.locator("h1")).to_have_text("升级风险")
    rows = page.locator("table.risk-ranking tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text(complaints[2].number)  # the highest risk first
    expect(rows.first.locator(".risk-score")).to_have_text("80 %")

    page.get_by_role("link", name="流程图").click()
    expect(page.locator("h1")).to_have_text("流程图")
    expect(page.locator("table.process-edges")).to_contain_text("assigned")
    canvas = page.locator('#chart-process-map [data-chart-ready="true"]')
    expect(canvas.locator("svg, canvas").first).to_be_visible()
    drawn = canvas.evaluate("e => e.kesuChart.getOption().series[0]")
    assert {node["name"] for node in drawn["data"]} >= {"开始", "创建", "结束"}
    assert any(link["lineStyle"].get("color") == "#dc2626" for link in drawn["links"])  # the bottleneck
    page.locator("#chart-process-map summary").click()  # the same numbers as a table
    expect(page.locator("#chart-process-map table tbody tr").first).to_be_visible()

    page.get_by_role("link", name="人力排班").click()
    expect(page.locator("table.staffing-heatmap tbody tr")).to_have_count(7)
    with page.expect_download() as download:
        page.get_by_role("link", name="导出 XLSX").click()
    assert download.value.suggested_filename == "staffing.xlsx"


def test_a_handler_does_not_see_them(as_user):
    _centre()
    page = as_user(make_user(Role.HANDLER, "li"))
    expect(page.get_by_role("link", name="升级风险")).to_have_count(0)
