"""The shared chart component: description → ECharts option, table, XLSX, links; and the card."""

from __future__ import annotations

import io
import json
from datetime import date

import pytest
from django.http import Http404
from django.template import Context, Template
from django.test import RequestFactory
from django.utils import translation
from openpyxl import load_workbook

from kesu.web.charts import (
    Band,
    Cell,
    Chart,
    Edge,
    Mark,
    Node,
    Series,
    chart_xlsx_response,
    complaint_list_link,
    table_xlsx,
)


def _volume() -> Chart:
    days = ["2026-03-01", "2026-03-02", "2026-03-03"]
    return Chart(
        id="volume", kind="line", title="每日投诉量", categories=days, category_label="日期",
        series=[
            Series("今年", [12, 15, 9], links=[complaint_list_link(created_from=d, created_to=d) for d in days]),
            Series("去年同期", [10, None, 7], style="muted"),
        ],
        marks=[Mark("目标", 14)],
    )


def test_a_line_chart_carries_its_links_on_the_points_and_a_muted_comparison():
    option = _volume().option()

    this_year, last_year = option["series"]
    assert this_year["data"][0] == {"value": 12, "link": "/?created_from=2026-03-01&created_to=2026-03-01"}
    assert last_year["data"] == [10, None, 7]  # no links: plain values
    assert last_year["lineStyle"]["type"] == "dashed"
    assert option["xAxis"]["data"] == ["2026-03-01", "2026-03-02", "2026-03-03"]
    assert this_year["markLine"]["data"][0]["yAxis"] == 14
    json.dumps(option)  # the page embeds it as JSON


def test_the_table_of_a_line_chart_has_a_row_per_category_with_the_links():
    table = _volume().table()

    assert table.columns == ["日期", "今年", "去年同期"]
    assert [cell.shown for cell in table.rows[1]] == ["2026-03-02", "15", "—"]
    assert table.rows[0][1].link == "/?created_from=2026-03-01&created_to=2026-03-01"


def test_a_pareto_sorts_largest_first_and_adds_the_cumulative_share_and_the_80_line():
    chart = Chart(id="pareto", kind="pareto", title="Top issues", categories=["a", "b", "c", "d"],
                  series=[Series("Complaints", [10, 60, 0, 30], links=["/a", "/b", "/c", "/d"])])

    option = chart.option()
    bars, cumulative = option["series"]
    assert option["xAxis"]["data"] == ["b", "d", "a", "c"]
    assert bars["data"][0] == {"value": 60, "link": "/b"}
    assert cumulative["data"] == [60.0, 90.0, 100.0, 100.0]
    assert cumulative["markLine"]["data"][0]["yAxis"] == 80.0
    rows = chart.table().rows
    assert [(r[0].value, r[2].value, r[3].value) for r in rows] == [
        ("b", 60.0, 60.0), ("d", 30.0, 90.0), ("a", 10.0, 100.0), ("c", 0.0, 100.0)]


def test_a_heat_map_is_a_matrix_in_its_table_and_cells_in_its_option():
    chart = Chart(id="heat", kind="heatmap", title="Weekday × hour", categories=["0", "1"],
                  y_categories=["Mon", "Tue"], cells=[Cell(0, 0, 3, "/x"), Cell(1, 1, 5)])

    option = chart.option()
    assert option["series"][0]["data"] == [{"value": [0, 0, 3], "link": "/x"}, {"value": [1, 1, 5]}]
    assert option["visualMap"]["max"] == 5
    assert [[c.shown for c in row] for row in chart.table().rows] == [["Mon", "3", "—"], ["Tue", "—", "5"]]


def test_a_radar_compares_polygons_on_each_indicator():
    chart = Chart(id="radar", kind="radar", title="Scorecard", categories=["timely", "quality"], maxima=[100],
                  series=[Series("林晓", [80, 90], links=["/mine", None]), Series("组平均", [70, 75], style="muted")])

    option = chart.option()
    assert option["radar"]["indicator"] == [{"name": "timely", "max": 100}, {"name": "quality", "max": 100}]
    assert option["series"][0]["data"][0]["link"] == "/mine"
    assert chart.table().columns == ["Scorecard", "林晓", "组平均"]


def test_a_graph_and_a_sankey_take_nodes_and_edges():
    nodes = [Node("new", "新建", 10, x=0, y=0), Node("done", "完成", 8, x=100, y=0, link="/done")]
    edges = [Edge("new", "done", 8, label="8", link="/flow")]
    graph = Chart(id="flow", kind="graph", title="Process", nodes=nodes, edges=edges)
    sankey = Chart(id="flow2", kind="sankey", title="Process", nodes=nodes, edges=edges)

    series = graph.option()["series"][0]
    assert series["layout"] == "none"  # fixed positions
    assert series["links"][0]["link"] == "/flow"
    assert sankey.option()["series"][0]["type"] == "sankey"
    assert [[c.shown for c in row] for row in graph.table().rows] == [["新建", "完成", "8", "8"]]


@translation.override("en")
def test_bands_and_a_right_axis():
    chart = Chart(id="forecast", kind="line", title="Forecast", categories=["d1", "d2"],
                  series=[Series("forecast", [10.0, 12.0]), Series("share", [50, 60], kind="bar", axis=1)],
                  bands=[Band("95 %", [8.0, 9.0], [12.0, 15.0])], units=("", "%"), decimals=1)

    option = chart.option()
    assert len(option["yAxis"]) == 2 and option["yAxis"][1]["axisLabel"]["formatter"] == "{value}%"
    lower, height = option["series"][2:]
    assert lower["data"] == [8.0, 9.0] and height["data"] == [4.0, 6.0]
    assert chart.table().columns == ["Forecast", "forecast", "share", "95 % (low)", "95 % (high)"]
    assert chart.table().rows[0][1].shown == "10.0"


def test_a_chart_refuses_a_bad_description():
    with pytest.raises(ValueError, match="kind"):
        Chart(id="x", kind="donut", title="x")
    with pytest.raises(ValueError, match="id"):
        Chart(id="Bad id", kind="bar", title="x")
    with pytest.raises(ValueError, match="values"):
        Chart(id="x", kind="bar", title="x", categories=["a"], series=[Series("s", [1, 2])])


@translation.override("en")
def test_the_xlsx_holds_numbers_as_numbers_and_text_never_as_a_formula():
    chart = Chart(id="mix", kind="pie", title="Channel mix", categories=["=cmd|' /C calc'!A0", "电话"],
                  series=[Series("Complaints", [3, 7])])

    book = load_workbook(io.BytesIO(table_xlsx(chart.table(), title=chart.title)))
    sheet = book.active
    assert [c.value for c in sheet[1]] == ["Channel mix", "Complaints", "Share %"]
    assert sheet["A2"].value == "=cmd|' /C calc'!A0" and sheet["A2"].data_type == "s"
    assert sheet["B3"].value == 7 and sheet["C3"].value == 70.0


def test_the_page_answers_xlsx_for_one_of_its_charts_and_404_for_another():
    factory = RequestFactory()
    charts = [_volume()]

    assert chart_xlsx_response(factory.get("/dash/"), charts) is None
    response = chart_xlsx_response(factory.get("/dash/?xlsx=volume"), charts)
    assert response["Content-Disposition"] == 'attachment; filename="volume.xlsx"'
    assert load_workbook(io.BytesIO(response.content)).active["B2"].value == 12
    with pytest.raises(Http404):
        chart_xlsx_response(factory.get("/dash/?xlsx=nope"), charts)


def test_list_links_leave_out_empty_filters_and_write_dates():
    assert complaint_list_link() == "/"
    assert complaint_list_link(category="logistics-delay", group="", created_from=date(2026, 3, 1)) == (
        "/?category=logistics-delay&created_from=2026-03-01")


def test_the_card_renders_the_chart_its_data_its_table_and_the_xlsx_link():
    request = RequestFactory().get("/dash/", {"period": "month"})
    html = Template("{% load charts %}{% charts_assets %}{% chart c %}").render(
        Context({"c": _volume(), "request": request}))

    assert 'src="/static/vendor/echarts/echarts.min.js"' in html and 'src="/static/kesu/charts.js"' in html
    assert 'data-chart="chart-data-volume"' in html
    assert '<script id="chart-data-volume" type="application/json">' in html
    assert 'href="/dash/?period=month&amp;xlsx=volume"' in html
    assert '<a href="/?created_from=2026-03-01&amp;created_to=2026-03-01">12</a>' in html


def test_an_empty_chart_says_so_instead_of_drawing():
    empty = Chart(id="none", kind="bar", title="x", categories=["a"], series=[Series("s", [0])],
                  empty_text="Nothing yet")
    html = Template("{% load charts %}{% chart c %}").render(Context({"c": empty, "request": None}))

    assert "Nothing yet" in html and "data-chart=" not in html
