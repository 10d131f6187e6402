"""The process map drawn as an ECharts graph: one node per activity (size by frequency, its median duration
in the tooltip), one arrow per transition (width by count, count and median wait in the label / tooltip),
laid out left to right by where the activity usually happens in a case; the bottleneck (the transition with
the largest total waiting) drawn red. The chart card's table and the page's tables carry the same numbers
for people who do not read the drawing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from kesu.web.charts import Chart, Edge, Node
from kesu.workforce.process import END, START

BOTTLENECK = "#dc2626"
LABELLED_EDGES = 8  # the busiest transitions carry a label; every one has a tooltip
COLUMN_WIDTH, ROW_HEIGHT = 160, 90


@dataclass(frozen=True)
class ProcessMapChart(Chart):
    """A graph chart whose bottleneck transition (``bottleneck``: source, target) is highlighted, and
    whose nodes and edges carry their own tooltip text."""

    bottleneck: tuple[str, str] | None = None
    tooltips: tuple[tuple[str, str], ...] = ()  # (node id or "source→target", text)

    def option(self) -> dict[str, Any]:
        option = super().option()
        series = option["series"][0]
        tips = dict(self.tooltips)
        for node in series["data"]:
            if node["id"] in tips:
                node["tooltip"] = {"formatter": tips[node["id"]]}
        for link in series["links"]:
            key = f"{link['source']}→{link['target']}"
            if key in tips:
                link["tooltip"] = {"formatter": tips[key]}
            if self.bottleneck and (link["source"], link["target"]) == self.bottleneck:
                link["lineStyle"] = {
                    **link.get("lineStyle", {}),
                    "color": BOTTLENECK,
                    "type": "solid",
                    "width": max(link.get("lineStyle", {}).get("width", 1), 4),
                    "opacity": 1,
                }
                link["label"] = {
                    "show": True,
                    "color": BOTTLENECK,
                    "fontWeight": "bold",
                    "formatter": link.get("label", {}).get("formatter", ""),
                }
        if self.bottleneck:
            for node in series["data"]:
                if node["id"] == self.bottleneck[1]:
                    node["itemStyle"] = {"borderColor": BOTTLENECK, "borderWidth": 3}
        series["label"] = {"show": True, "position": "bottom"}
        option["tooltip"] = {"trigger": "item"}
        return option


def _hours(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} h"


def process_chart(result: dict, *, label: Callable[[str], str] = str) -> ProcessMapChart:
    """The chart of a ``process_map`` result; ``label`` names an activity for people."""
    names = {START: _("Start"), END: _("End")}

    def name(activity: str) -> str:
        return names.get(activity) or label(activity)

    activities = {a["name"]: a for a in result["activities"]}
    ordered = sorted(activities.values(), key=lambda a: (a["position"], -a["count"]))
    nodes: list[Node] = [Node(START, name(START), result["cases"], x=0, y=ROW_HEIGHT)]
    tips: list[tuple[str, str]] = [(START, _("%(count)s cases start") % {"count": result["cases"]})]
    for column, activity in enumerate(ordered, start=1):
        nodes.append(
            Node(
                activity["name"],
                name(activity["name"]),
                activity["count"],
                x=column * COLUMN_WIDTH,
                y=(column % 3) * ROW_HEIGHT,
            )
        )
        tips.append(
            (
                activity["name"],
                _("%(name)s: %(count)s times, median %(duration)s until the next step")
                % {
                    "name": name(activity["name"]),
                    "count": activity["count"],
                    "duration": _hours(activity.get("median_duration_hours")),
                },
            )
        )
    nodes.append(Node(END, name(END), result["cases"], x=(len(ordered) + 1) * COLUMN_WIDTH, y=ROW_HEIGHT))
    tips.append((END, _("%(count)s cases end") % {"count": result["cases"]}))
    busiest = sorted(
        (
            e
            for e in result["edges"]
            if START not in (e["source"], e["target"]) and END not in (e["source"], e["target"])
        ),
        key=lambda e: -e["count"],
    )[:LABELLED_EDGES]
    labelled = {(e["source"], e["target"]) for e in busiest}
    bottleneck = (
        (result["bottlenecks"][0]["source"], result["bottlenecks"][0]["target"])
        if result.get("bottlenecks")
        else None
    )
    edges: list[Edge] = []
    known = {n.id for n in nodes}
    for e in result["edges"]:
        if e["source"] not in known or e["target"] not in known:
            continue
        key = (e["source"], e["target"])
        text = f"{e['count']} · {_hours(e['median_wait_hours'])}"
        edges.append(
            Edge(
                e["source"],
                e["target"],
                e["count"],
                label=text if key in labelled or key == bottleneck else "",
            )
        )
        tips.append(
            (
                f"{e['source']}→{e['target']}",
                _("%(source)s → %(target)s: %(count)s times, median wait %(median)s, p90 %(p90)s")
                % {
                    "source": name(e["source"]),
                    "target": name(e["target"]),
                    "count": e["count"],
                    "median": _hours(e["median_wait_hours"]),
                    "p90": _hours(e["p90_wait_hours"]),
                },
            )
        )
    note = ""
    if bottleneck:
        top = result["bottlenecks"][0]
        note = _(
            "Red: the bottleneck, %(source)s → %(target)s (%(count)s times, %(total)s hours of waiting in "
            "all, median %(median)s)."
        ) % {
            "source": name(top["source"]),
            "target": name(top["target"]),
            "count": top["count"],
            "total": top["total_wait_hours"],
            "median": _hours(top["median_wait_hours"]),
        }
    return ProcessMapChart(
        id="process-map",
        kind="graph",
        title=_("Process map"),
        nodes=nodes,
        edges=edges,
        height="l",
        note=note,
        bottleneck=bottleneck,
        tooltips=tuple(tips),
    )
