"""Clicking a chart's element in the browser: where a bar, point, slice or cell is drawn."""

from __future__ import annotations

# the centre of data item `index` of series `series` of the chart drawn in `element`, in page pixels
_WHERE = """([element, series, index]) => {
  const chart = element.kesuChart;
  const data = chart.getModel().getSeriesByIndex(series).getData();
  const layout = data.getItemLayout(index);
  const box = element.getBoundingClientRect();
  let x, y;
  if (Array.isArray(layout) && Array.isArray(layout[0])) { [x, y] = layout[0]; }   // a radar polygon
  else if (Array.isArray(layout)) { [x, y] = layout; }                           // a line's point
  else if (layout && layout.cx !== undefined) {                                  // a pie slice
    const angle = (layout.startAngle + layout.endAngle) / 2, r = (layout.r + (layout.r0 || 0)) / 2;
    x = layout.cx + r * Math.cos(angle); y = layout.cy + r * Math.sin(angle);
  } else if (layout && layout.width !== undefined) {                             // a bar or a cell
    x = layout.x + layout.width / 2; y = layout.y + layout.height / 2;
  } else { const p = data.getItemGraphicEl(index).getBoundingRect(); x = p.x + p.width / 2; y = p.y + p.height / 2; }
  return [box.left + x, box.top + y];
}"""


def chart_click(page, chart_id: str, *, series: int = 0, index: int = 0) -> None:
    """Click data item ``index`` of ``series`` in the chart card ``chart_id``, as a person would."""
    canvas = page.locator(f'#chart-{chart_id} [data-chart-ready="true"]')
    canvas.wait_for()
    page.wait_for_timeout(400)  # the drawing's animation
    x, y = page.evaluate(_WHERE, [canvas.element_handle(), series, index])
    page.mouse.click(x, y)
