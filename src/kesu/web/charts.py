"""Charts: a small typed description of a chart → its ECharts option, its table and its XLSX file.

A page describes each chart as data (:class:`Chart`); this module turns it into

* the ECharts option (``Chart.option()``), drawn by ``static/kesu/charts.js`` — no inline script:
  the option travels in a ``json_script`` block next to the chart;
* the same numbers as a table (``Chart.table()``), shown under the chart ("as a table"), printed,
  and downloadable as XLSX (``?xlsx=<chart id>`` on the page's own address);
* links: every bar, point, slice, heat-map cell, radar polygon, node or edge may carry the address of
  the complaint list filtered to what it counts (:func:`complaint_list_link`); clicking the element
  (or the table's cell) goes there.

Use it on a page
----------------
The view builds the charts, lets :func:`chart_xlsx_response` answer an XLSX request, and renders::

    from kesu.web.charts import Chart, Series, chart_xlsx_response, complaint_list_link

    def volume_view(request):
        days = ["2026-03-01", "2026-03-02"]
        charts = [
            Chart(
                id="volume", kind="line", title=_("Complaints per day"), categories=days,
                series=[
                    Series(_("This year"), [12, 15],
                           links=[complaint_list_link(created_from=d, created_to=d) for d in days]),
                    Series(_("A year earlier"), [10, 11], style="muted"),
                ],
                marks=[Mark(_("Target"), 14)],
            ),
        ]
        return chart_xlsx_response(request, charts) or render(request, "app/page.html", {"charts": charts})

and the template loads the two scripts once and places each chart::

    {% load charts %}
    {% block scripts %}{% charts_assets %}{% endblock %}
    {% block content %}{% chart charts.0 %}{% endblock %}

``{% chart c %}`` renders ``web/_chart.html``: a card with the title, the drawing, a note, the
table in a ``<details>`` and the XLSX link (``{% chart c table_open=True %}`` shows the table
open, e.g. on printable pages). Charts inside an htmx-swapped fragment are drawn when the fragment
arrives (and disposed when it leaves): nothing else to do.

Kinds
-----
``bar`` / ``hbar`` (horizontal) / ``line`` / ``area``
    ``categories`` along the axis, one :class:`Series` per group of bars or line. A series may
    override the kind (``Series(kind="line")`` in a bar chart: a combo), sit on the right axis
    (``axis=1``, e.g. a percentage; ``units=("", "%")``), stack (``stack="a"``) or be drawn
    muted (``style="muted"``: grey and dashed, e.g. "a year earlier"). ``bands`` draw an
    interval (:class:`Band`, e.g. a forecast's 80 % / 95 % interval); ``marks`` draw horizontal
    reference lines (:class:`Mark`, e.g. a target).
``pareto``
    One series of counts; the chart sorts it (largest first), adds the cumulative share on a right
    axis and the 80 % line. Table: count, share, cumulative share.
``pie``
    ``categories`` are the slices, ``series[0]`` their values (drawn as a ring).
``heatmap``
    ``categories`` along x, ``y_categories`` along y, ``cells`` (:class:`Cell`: x index, y index,
    value, link). The table is the matrix.
``radar``
    ``categories`` are the indicators (with ``maxima``: one maximum per indicator, or one for all),
    each series a polygon (e.g. a handler against the group average).
``graph`` / ``sankey``
    ``nodes`` (:class:`Node`, optional fixed ``x``/``y`` for a left-to-right process map) and
    ``edges`` (:class:`Edge`, directed, width by value, optional label and link). Table: the edges.

Numbers: ``decimals`` (shown in the table and tooltips) and ``units`` (left, right axis). Heights:
``height`` = ``"s"`` (240 px), ``"m"`` (320 px, default), ``"l"`` (440 px).
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

KINDS = ("bar", "hbar", "line", "area", "pareto", "pie", "heatmap", "radar", "graph", "sankey")
HEIGHTS = {"s": 240, "m": 320, "l": 440}
PALETTE = ("#1d4ed8", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#06b6d4", "#ec4899", "#84cc16", "#64748b",
           "#a16207")
MUTED = "#9ca3af"
PARETO_LINE = 80.0
_ID = re.compile(r"^[a-z][a-z0-9-]{0,63}$")

Number = int | float


@dataclass(frozen=True)
class Series:
    """One group of bars, one line, one slice set or one radar polygon."""

    name: str
    values: Sequence[Number | None]
    links: Sequence[str | None] = ()  # per value: where a click goes (same length as values, or empty)
    kind: str = ""  # bar | line | area: overrides the chart's kind (a combo chart)
    axis: int = 0  # 0: the left value axis, 1: the right one
    stack: str = ""  # series with the same stack name are stacked
    style: str = ""  # "" | "muted" (grey, dashed: a comparison such as a year earlier)


@dataclass(frozen=True)
class Band:
    """An interval drawn as a shaded area between ``lower`` and ``upper`` (per category)."""

    name: str
    lower: Sequence[Number | None]
    upper: Sequence[Number | None]


@dataclass(frozen=True)
class Mark:
    """A horizontal reference line (a target, a threshold) on value axis ``axis``."""

    label: str
    value: Number
    axis: int = 0
    color: str = "#b91c1c"


@dataclass(frozen=True)
class Cell:
    """One heat-map cell: indexes into ``categories`` (x) and ``y_categories`` (y)."""

    x: int
    y: int
    value: Number | None
    link: str | None = None


@dataclass(frozen=True)
class Node:
    id: str
    label: str = ""
    value: Number | None = None
    link: str | None = None
    x: float | None = None  # fixed position (both or neither); else a force layout places it
    y: float | None = None


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    value: Number = 1
    label: str = ""
    link: str | None = None


@dataclass(frozen=True)
class TableCell:
    value: Any
    link: str | None = None
    decimals: int = 0

    @property
    def shown(self) -> str:
        """The value as the table shows it: thousands separated, ``decimals`` places, "—" for none."""
        value = self.value
        if value is None or value == "":
            return "—"
        if isinstance(value, bool) or not isinstance(value, int | float):
            return str(value)
        if isinstance(value, float) and (self.decimals or not value.is_integer()):
            return f"{value:,.{self.decimals or 1}f}"
        return f"{int(value):,}"


@dataclass(frozen=True)
class Table:
    columns: list[str]
    rows: list[list[TableCell]]


@dataclass(frozen=True)
class Chart:
    """What a chart shows. See the module's docstring for each kind."""

    id: str
    kind: str
    title: str
    categories: Sequence[str] = ()
    series: Sequence[Series] = ()
    category_label: str = ""  # the table's first column header (default: the title)
    y_categories: Sequence[str] = ()
    cells: Sequence[Cell] = ()
    maxima: Sequence[Number] = ()
    nodes: Sequence[Node] = ()
    edges: Sequence[Edge] = ()
    bands: Sequence[Band] = ()
    marks: Sequence[Mark] = ()
    units: tuple[str, str] = ("", "")
    decimals: int = 0
    height: str = "m"
    note: str = ""
    empty_text: str = ""  # shown instead of the drawing when there is nothing to draw

    def __post_init__(self) -> None:
        if not _ID.match(self.id):
            raise ValueError(f"chart id {self.id!r}: lower-case letters, digits and dashes, starting with a letter")
        if self.kind not in KINDS:
            raise ValueError(f"chart kind {self.kind!r}: one of {', '.join(KINDS)}")
        if self.height not in HEIGHTS:
            raise ValueError(f"chart height {self.height!r}: one of {', '.join(HEIGHTS)}")
        for series in self.series:
            if self.kind in ("bar", "hbar", "line", "area", "pareto", "pie") and len(series.values) != len(
                self.categories
            ):
                raise ValueError(f"chart {self.id}: series {series.name!r} has {len(series.values)} values for "
                                 f"{len(self.categories)} categories")
            if series.links and len(series.links) != len(series.values):
                raise ValueError(f"chart {self.id}: series {series.name!r} has links of another length")

    # -- what is drawn -------------------------------------------------------------------------

    @property
    def is_empty(self) -> bool:
        if self.kind == "heatmap":
            return not any(c.value for c in self.cells)
        if self.kind in ("graph", "sankey"):
            return not self.nodes
        return not any(v for s in self.series for v in s.values if v is not None)

    @property
    def height_px(self) -> int:
        return HEIGHTS[self.height]

    def data(self) -> dict[str, Any]:
        """What ``charts.js`` reads from the page: the option and how to show numbers."""
        return {"option": self.option(), "units": list(self.units), "decimals": self.decimals}

    def option(self) -> dict[str, Any]:
        builders = {
            "bar": self._cartesian, "hbar": self._cartesian, "line": self._cartesian, "area": self._cartesian,
            "pareto": self._pareto, "pie": self._pie, "heatmap": self._heatmap, "radar": self._radar,
            "graph": self._graph, "sankey": self._sankey,
        }
        option = builders[self.kind]()
        option.setdefault("color", list(PALETTE))
        option.setdefault("animationDuration", 300)
        return option

    def _value_axes(self) -> list[dict[str, Any]]:
        axes = [{"type": "value", "axisLabel": {"formatter": "{value}" + self.units[0]}, "scale": False}]
        if any(s.axis == 1 for s in self.series) or any(m.axis == 1 for m in self.marks):
            axes.append({"type": "value", "axisLabel": {"formatter": "{value}" + self.units[1]},
                         "splitLine": {"show": False}})
        return axes

    def _cartesian(self) -> dict[str, Any]:
        horizontal = self.kind == "hbar"
        category_axis = {"type": "category", "data": list(self.categories),
                         "boundaryGap": self.kind in ("bar", "hbar") or any(
                             (s.kind or self.kind) == "bar" for s in self.series)}
        if horizontal:
            category_axis["inverse"] = True  # the first category on top
        series = [self._cartesian_series(index, s) for index, s in enumerate(self.series)]
        series.extend(self._band_series())
        if self.marks:
            self._marks_attach(series)
        option: dict[str, Any] = {
            "tooltip": {"trigger": "axis"},
            "legend": {"show": len(self.series) + len(self.bands) > 1, "bottom": 0},
            "grid": {"left": 8, "right": 16, "top": 24, "bottom": 40 if len(self.series) > 1 else 24},
            "series": series,
        }
        if horizontal:
            option["yAxis"], option["xAxis"] = category_axis, self._value_axes()
        else:
            option["xAxis"], option["yAxis"] = category_axis, self._value_axes()
        return option

    def _cartesian_series(self, index: int, s: Series) -> dict[str, Any]:
        kind = s.kind or ("bar" if self.kind == "hbar" else self.kind)
        item: dict[str, Any] = {
            "name": s.name,
            "type": "bar" if kind == "bar" else "line",
            "data": _points(s.values, s.links),
        }
        axis_key = "xAxisIndex" if self.kind == "hbar" else "yAxisIndex"
        if s.axis:
            item[axis_key] = s.axis
        if s.stack:
            item["stack"] = s.stack
        if kind == "area":
            item["areaStyle"] = {"opacity": 0.25}
        if kind in ("line", "area"):
            item["showSymbol"] = len(s.values) <= 60
            item["smooth"] = False
        if s.style == "muted":
            item["itemStyle"] = {"color": MUTED}
            item["lineStyle"] = {"type": "dashed", "color": MUTED}
        if kind == "bar" and any(s.links):
            item["cursor"] = "pointer"
        return item

    def _band_series(self) -> list[dict[str, Any]]:
        out = []
        for index, band in enumerate(self.bands):
            stack = f"band-{index}"
            lower = [None if v is None else v for v in band.lower]
            height = [None if lo is None or up is None else up - lo for lo, up in zip(band.lower, band.upper,
                                                                                      strict=True)]
            color = PALETTE[(len(self.series) + index) % len(PALETTE)]
            out.append({"name": band.name, "type": "line", "data": lower, "stack": stack, "symbol": "none",
                        "lineStyle": {"opacity": 0}, "tooltip": {"show": False}, "silent": True})
            out.append({"name": band.name, "type": "line", "data": height, "stack": stack, "symbol": "none",
                        "lineStyle": {"opacity": 0}, "areaStyle": {"color": color, "opacity": 0.18},
                        "tooltip": {"show": False}, "silent": True})
        return out

    def _marks_attach(self, series: list[dict[str, Any]]) -> None:
        for mark in self.marks:
            target = next((s for s, d in zip(series, self.series, strict=False) if d.axis == mark.axis), None)
            if target is None:
                continue
            line = target.setdefault("markLine", {"symbol": "none", "silent": True, "data": []})
            line["data"].append({
                ("xAxis" if self.kind == "hbar" else "yAxis"): mark.value, "name": mark.label,
                "lineStyle": {"color": mark.color, "type": "dashed"},
                "label": {"formatter": f"{mark.label} {mark.value}{self.units[mark.axis]}", "position": "insideEndTop"},
            })

    def _pareto_order(self) -> list[int]:
        values = self.series[0].values if self.series else []
        return sorted(range(len(values)), key=lambda i: (-(values[i] or 0), i))

    def _pareto(self) -> dict[str, Any]:
        s = self.series[0]
        order = self._pareto_order()
        values = [s.values[i] or 0 for i in order]
        links = [s.links[i] for i in order] if s.links else []
        total = sum(values) or 1
        cumulative, running = [], 0.0
        for value in values:
            running += value
            cumulative.append(round(100 * running / total, 1))
        return {
            "tooltip": {"trigger": "axis"},
            "legend": {"show": False},
            "grid": {"left": 8, "right": 16, "top": 24, "bottom": 24},
            "xAxis": {"type": "category", "data": [self.categories[i] for i in order]},
            "yAxis": [{"type": "value"}, {"type": "value", "max": 100, "axisLabel": {"formatter": "{value}%"},
                                          "splitLine": {"show": False}}],
            "series": [
                {"name": s.name, "type": "bar", "data": _points(values, links), "cursor": "pointer"},
                {"name": _("Cumulative share"), "type": "line", "yAxisIndex": 1, "data": cumulative,
                 "symbolSize": 5, "itemStyle": {"color": "#b91c1c"},
                 "markLine": {"symbol": "none", "silent": True, "data": [{
                     "yAxis": PARETO_LINE, "lineStyle": {"color": "#b91c1c", "type": "dashed"},
                     "label": {"formatter": "80%", "position": "insideEndTop"}}]}},
            ],
        }

    def _pie(self) -> dict[str, Any]:
        s = self.series[0] if self.series else Series("", [])
        data = []
        for index, name in enumerate(self.categories):
            item: dict[str, Any] = {"name": name, "value": s.values[index]}
            if s.links and s.links[index]:
                item["link"] = s.links[index]
            data.append(item)
        return {
            "tooltip": {"trigger": "item", "formatter": "{b}: {c} ({d}%)"},
            "legend": {"show": len(data) <= 12, "bottom": 0, "type": "scroll"},
            "series": [{"name": s.name or self.title, "type": "pie", "radius": ["38%", "66%"], "data": data,
                        "label": {"formatter": "{b} {d}%"}, "cursor": "pointer"}],
        }

    def _heatmap(self) -> dict[str, Any]:
        values = [c.value for c in self.cells if c.value is not None]
        data = []
        for c in self.cells:
            item: dict[str, Any] = {"value": [c.x, c.y, c.value]}
            if c.link:
                item["link"] = c.link
            data.append(item)
        return {
            "tooltip": {"position": "top"},
            "grid": {"left": 8, "right": 16, "top": 16, "bottom": 64},
            "xAxis": {"type": "category", "data": list(self.categories), "splitArea": {"show": True}},
            "yAxis": {"type": "category", "data": list(self.y_categories), "splitArea": {"show": True},
                      "inverse": True},
            "visualMap": {"min": min(values, default=0), "max": max(values, default=1) or 1, "calculable": True,
                          "orient": "horizontal", "left": "center", "bottom": 0, "itemHeight": 120,
                          "inRange": {"color": ["#eff4ff", "#93b4f5", "#1d4ed8", "#172554"]}},
            "series": [{"name": self.title, "type": "heatmap", "data": data, "cursor": "pointer",
                        "emphasis": {"itemStyle": {"borderColor": "#111827", "borderWidth": 1}}}],
        }

    def _radar(self) -> dict[str, Any]:
        maxima = list(self.maxima) or [max((v or 0) for s in self.series for v in s.values) or 1]
        if len(maxima) == 1:
            maxima = maxima * len(self.categories)
        data = []
        for index, s in enumerate(self.series):
            item: dict[str, Any] = {"name": s.name, "value": list(s.values)}
            link = next((link for link in s.links if link), None) if s.links else None
            if link:
                item["link"] = link
            if s.style == "muted":
                item["lineStyle"] = {"type": "dashed", "color": MUTED}
                item["itemStyle"] = {"color": MUTED}
            else:
                item["areaStyle"] = {"opacity": 0.15}
                item["itemStyle"] = {"color": PALETTE[index % len(PALETTE)]}
            data.append(item)
        return {
            "tooltip": {"trigger": "item"},
            "legend": {"show": len(self.series) > 1, "bottom": 0},
            "radar": {"indicator": [{"name": name, "max": m} for name, m in zip(self.categories, maxima,
                                                                                    strict=True)],
                      "radius": "62%"},
            "series": [{"type": "radar", "data": data}],
        }

    def _graph_nodes(self) -> list[dict[str, Any]]:
        fixed = all(n.x is not None and n.y is not None for n in self.nodes)
        biggest = max((n.value or 0 for n in self.nodes), default=0) or 1
        nodes = []
        for n in self.nodes:
            item: dict[str, Any] = {"id": n.id, "name": n.label or n.id, "value": n.value}
            if self.kind == "graph":
                item["symbolSize"] = 18 + 30 * ((n.value or 0) / biggest) ** 0.5
                if fixed:
                    item["x"], item["y"] = n.x, n.y
            if n.link:
                item["link"] = n.link
            nodes.append(item)
        return nodes

    def _graph_edges(self) -> list[dict[str, Any]]:
        biggest = max((e.value for e in self.edges), default=0) or 1
        edges = []
        for e in self.edges:
            item: dict[str, Any] = {"source": e.source, "target": e.target, "value": e.value}
            if self.kind == "graph":
                item["lineStyle"] = {"width": 1 + 7 * (e.value / biggest)}
                if e.label:
                    item["label"] = {"show": True, "formatter": e.label}
            if e.link:
                item["link"] = e.link
            edges.append(item)
        return edges

    def _graph(self) -> dict[str, Any]:
        fixed = all(n.x is not None and n.y is not None for n in self.nodes) and bool(self.nodes)
        return {
            "tooltip": {},
            "series": [{
                "type": "graph", "layout": "none" if fixed else "force", "roam": True, "draggable": not fixed,
                "data": self._graph_nodes(), "links": self._graph_edges(),
                "edgeSymbol": ["none", "arrow"], "edgeSymbolSize": 8,
                "label": {"show": True, "position": "bottom"},
                "lineStyle": {"color": "source", "curveness": 0.15, "opacity": 0.7},
                "force": {"repulsion": 260, "edgeLength": [60, 160]},
                "emphasis": {"focus": "adjacency"},
            }],
        }

    def _sankey(self) -> dict[str, Any]:
        return {
            "tooltip": {"trigger": "item"},
            "series": [{"type": "sankey", "data": self._graph_nodes(), "links": self._graph_edges(),
                        "emphasis": {"focus": "adjacency"}, "lineStyle": {"color": "gradient", "opacity": 0.4}}],
        }

    # -- the table -----------------------------------------------------------------------------

    def table(self) -> Table:
        """The chart's numbers as rows and columns (what the XLSX file holds too)."""
        first = self.category_label or self.title
        d = self.decimals
        if self.kind == "pareto":
            return self._pareto_table(first)
        if self.kind == "pie":
            s = self.series[0] if self.series else Series("", [])
            total = sum(v or 0 for v in s.values) or 1
            rows = [[TableCell(name), TableCell(s.values[i], _link(s, i), d),
                     TableCell(round(100 * (s.values[i] or 0) / total, 1), decimals=1)]
                    for i, name in enumerate(self.categories)]
            return Table([first, s.name or _("Value"), _("Share %")], rows)
        if self.kind == "heatmap":
            matrix: dict[tuple[int, int], Cell] = {(c.x, c.y): c for c in self.cells}
            rows = []
            for y, y_name in enumerate(self.y_categories):
                row = [TableCell(y_name)]
                for x in range(len(self.categories)):
                    cell = matrix.get((x, y))
                    row.append(TableCell(cell.value if cell else None, cell.link if cell else None, d))
                rows.append(row)
            return Table([first, *self.categories], rows)
        if self.kind == "radar":
            rows = [[TableCell(name), *(TableCell(s.values[i], _link(s, i), d) for s in self.series)]
                    for i, name in enumerate(self.categories)]
            return Table([first, *(s.name for s in self.series)], rows)
        if self.kind in ("graph", "sankey"):
            labels = {n.id: n.label or n.id for n in self.nodes}
            rows = [[TableCell(labels.get(e.source, e.source)), TableCell(labels.get(e.target, e.target)),
                     TableCell(e.value, e.link, d), TableCell(e.label)] for e in self.edges]
            return Table([_("From"), _("To"), _("Value"), _("Label")], rows)
        rows = []
        for i, name in enumerate(self.categories):
            row = [TableCell(name)]
            row.extend(TableCell(s.values[i], _link(s, i), d) for s in self.series)
            for band in self.bands:
                row.extend([TableCell(band.lower[i], decimals=d), TableCell(band.upper[i], decimals=d)])
            rows.append(row)
        band_columns = [f"{band.name} ({label})" for band in self.bands for label in (_("low"), _("high"))]
        return Table([first, *(s.name for s in self.series), *band_columns], rows)

    def _pareto_table(self, first: str) -> Table:
        s = self.series[0] if self.series else Series("", [])
        order = self._pareto_order()
        total = sum(v or 0 for v in s.values) or 1
        rows, running = [], 0.0
        for i in order:
            value = s.values[i] or 0
            running += value
            rows.append([TableCell(self.categories[i]), TableCell(s.values[i], _link(s, i), self.decimals),
                         TableCell(round(100 * value / total, 1), decimals=1),
                         TableCell(round(100 * running / total, 1), decimals=1)])
        return Table([first, s.name or _("Count"), _("Share %"), _("Cumulative %")], rows)


def _link(series: Series, index: int) -> str | None:
    return series.links[index] if series.links else None


def _points(values: Sequence[Number | None], links: Sequence[str | None]) -> list[Any]:
    """Plain values, or ``{"value": v, "link": url}`` where a value has a link (charts.js follows it)."""
    if not links or not any(links):
        return list(values)
    return [{"value": v, "link": link} if link else v for v, link in zip(values, links, strict=True)]


# -- XLSX ------------------------------------------------------------------------------------------


def table_xlsx(table: Table, *, title: str = "") -> bytes:
    """The table as an XLSX workbook: numbers as numbers, text never taken for a formula."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = (re.sub(r"[\[\]:*?/\\]", " ", title) or "chart")[:31]

    def put(row: int, column: int, value: Any, *, bold: bool = False) -> None:
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        elif value is not None and not isinstance(value, int | float):
            value = str(value)
        cell = sheet.cell(row=row, column=column, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # "=…" stays text
        if bold:
            cell.font = Font(bold=True)

    for column, name in enumerate(table.columns, start=1):
        put(1, column, name, bold=True)
    for row_number, row in enumerate(table.rows, start=2):
        for column, cell in enumerate(row, start=1):
            put(row_number, column, cell.value)
    for column in range(1, len(table.columns) + 1):
        width = max((len(str(sheet.cell(row=r, column=column).value or "")) for r in range(1, sheet.max_row + 1)),
                    default=8)
        sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = min(60, max(8, width * 1.6))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def chart_xlsx_response(request: HttpRequest, charts: Sequence[Chart]) -> HttpResponse | None:
    """The XLSX file of the chart ``?xlsx=<id>`` names (404 for an id not on the page); ``None`` when
    the request asks for no file (render the page)."""
    wanted = request.GET.get("xlsx")
    if not wanted:
        return None
    for chart in charts:
        if chart.id == wanted:
            return xlsx_response(table_xlsx(chart.table(), title=chart.title), f"{chart.id}.xlsx")
    raise Http404(_("No such chart on this page."))


# -- links -----------------------------------------------------------------------------------------


def complaint_list_link(**filters: str | int | date | None) -> str:
    """The complaint list filtered as given: ``complaint_list_link(category="logistics-delay",
    created_from=date(2026, 3, 1), created_to=date(2026, 3, 31))``. Names are the list's filter
    fields (``status``, ``channel``, ``category``, ``group``, ``assignee``, ``created_from``,
    ``created_to`` — both dates inclusive —, ``region``, ``product``, ``batch``, ``supplier``, ``tag``,
    ``root_cause``, ``age_group``, ``weekday``, ``hour``, ``repeat``, ``q``); empty values are left out."""
    query = {name: value.isoformat() if isinstance(value, date) else value
             for name, value in filters.items() if value not in (None, "")}
    base = reverse("web:complaint_list")
    return f"{base}?{urlencode(query)}" if query else base


def query_with(query: Mapping[str, Any], **changes: Any) -> str:
    """``query`` (a request's GET) with ``changes`` applied (``None`` removes a key), url-encoded."""
    items = {key: query.getlist(key) if hasattr(query, "getlist") else [query[key]] for key in query}
    for key, value in changes.items():
        if value is None:
            items.pop(key, None)
        else:
            items[key] = [value]
    return urlencode([(key, value) for key, values in items.items() for value in values])


@dataclass
class ChartPage:
    """Charts in page order by id, for templates: ``charts.volume``."""

    charts: list[Chart] = field(default_factory=list)

    def __getitem__(self, key: str) -> Chart:
        for chart in self.charts:
            if chart.id == key:
                return chart
        raise KeyError(key)

    def __iter__(self):
        return iter(self.charts)
