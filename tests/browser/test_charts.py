"""The chart component in a real browser: drawn from its json_script data, a click follows the link."""

from __future__ import annotations

import re

from django.template import Context, Template
from django.test import RequestFactory
from playwright.sync_api import expect

from kesu.core.roles import Role
from kesu.web.charts import Cell, Chart, Series, complaint_list_link
from tests.browser.charts import chart_click
from tests.factories import make_user


def _page_with(charts, page, live_server) -> None:
    request = RequestFactory().get("/charts/")
    body = Template("{% load charts %}{% charts_assets %}{% for c in charts %}{% chart c %}{% endfor %}").render(
        Context({"charts": charts, "request": request}))
    page.goto("/login/")  # the live server's origin, so /static/… and the links resolve there
    page.set_content(f"<!doctype html><html><head><meta charset='utf-8'></head><body>{body}</body></html>")


def test_a_bar_click_goes_to_the_filtered_list_and_a_heat_cell_too(page, live_server, as_user):
    as_user(make_user(Role.ANALYST, "ana"))
    charts = [
        Chart(id="mix", kind="bar", title="Mix", categories=["电话", "邮件"],
              series=[Series("n", [5, 9], links=[complaint_list_link(channel="phone"),
                                                 complaint_list_link(channel="email")])]),
        Chart(id="heat", kind="heatmap", title="Heat", categories=["9", "10"], y_categories=["Mon"],
              cells=[Cell(0, 0, 4, complaint_list_link(weekday=1, hour=9)), Cell(1, 0, 2)]),
    ]
    _page_with(charts, page, live_server)

    expect(page.locator("#chart-mix svg")).to_have_count(1)  # drawn (SVG renderer)
    chart_click(page, "mix", index=1)
    expect(page).to_have_url(re.compile(r"/\?channel=email$"))

    _page_with(charts, page, live_server)
    chart_click(page, "heat", index=0)
    expect(page).to_have_url(re.compile(r"/\?weekday=1&hour=9$"))
