"""Template filters of the analytics pages: KPI values, states, verdicts."""

from __future__ import annotations

from django import template
from django.templatetags.static import static
from django.utils.translation import gettext as _

from kesu.core.messages import Message

register = template.Library()


def _shown(value, row) -> str:
    if value is None:
        return "—"
    if row.get("percent"):
        return f"{100 * value:.1f} %"
    return f"{value:.2f}" if row.get("name") == "satisfaction" else f"{value:.1f}"


@register.filter
def kpi_value(row: dict) -> str:
    return _shown(row.get("value"), row)


@register.filter
def kpi_target(row: dict) -> str:
    return _shown(row.get("target"), row)


@register.filter
def kpi_state(state: str) -> str:
    return str(Message(f"kpi.state.{state}"))


@register.filter
def verdict_label(verdict: str) -> str:
    return {"worked": _("Worked"), "not_significant": _("Not significant"), "worse": _("Worse")}.get(verdict, verdict)


@register.filter
def test_label(test: str) -> str:
    return {"poisson_rate": _("Poisson rate test"), "poisson_did": _("Poisson rate test"),
            "two_proportion_z": _("Two-proportion z test"), "proportion_did": _("Two-proportion z test"),
            "mann_whitney": _("Mann–Whitney U test")}.get(test, test)


@register.simple_tag
def static_analytics() -> str:
    return static("analytics/analytics.css")




@register.filter
def percent_of(components: dict, key: str) -> str:
    value = components.get(key)
    return "—" if value is None else f"{100 * value:.1f} %"


@register.filter
def get_item(mapping: dict, key: str):
    return mapping.get(key)


@register.simple_tag
def scope_query(params: dict, **drill: str) -> str:
    """The dashboard's period and scope as a query string, with the drill-down given (a drill step
    keeps the scope: group, channel, category, grain)."""
    from urllib.parse import urlencode

    query = {"from": params["from"].isoformat(), "to": params["to"].isoformat()}
    for name in ("group", "channel", "category", "grain"):
        if params.get(name):
            query[name] = params[name]
    query.update({name: value for name, value in drill.items() if value})
    return urlencode(query)

