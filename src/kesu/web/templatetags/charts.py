"""``{% charts_assets %}`` and ``{% chart c %}``: see :mod:`kesu.web.charts`."""

from __future__ import annotations

from django import template
from django.templatetags.static import static
from django.utils.html import format_html

from kesu.web.charts import Chart, query_with

register = template.Library()


@register.simple_tag
def charts_assets() -> str:
    """The scripts that draw the charts (ECharts and kesu's charts.js) and their stylesheet; once per page."""
    return format_html(
        '<link rel="stylesheet" href="{}">\n<script src="{}" defer></script>\n<script src="{}" defer></script>',
        static("kesu/charts.css"), static("vendor/echarts/echarts.min.js"), static("kesu/charts.js"),
    )


@register.inclusion_tag("web/_chart.html", takes_context=True)
def chart(context, chart: Chart, table_open: bool = False, export: bool = True) -> dict:
    """One chart card: title, drawing, note, the table (``table_open`` shows it open) and the XLSX link."""
    request = context.get("request")
    xlsx = ""
    if export and request is not None:
        xlsx = f"{request.path}?{query_with(request.GET, xlsx=chart.id)}"
    return {"chart": chart, "table": chart.table(), "table_open": table_open, "xlsx": xlsx,
            "data_id": f"chart-data-{chart.id}"}
