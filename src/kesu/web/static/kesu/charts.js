/* kesu charts: draws every chart on the page from its json_script data (see kesu/web/charts.py).
 *
 * <div data-chart="chart-data-volume"> is drawn with the ECharts option in
 * <script type="application/json" id="chart-data-volume">. A click on an element that carries a
 * "link" (a bar, point, slice, heat-map cell, radar polygon, node, edge) goes to that address: the
 * complaint list filtered to what the element counts. Charts in content htmx swaps in are drawn when
 * it arrives and disposed when it leaves. No inline script: this file and ECharts are all.
 */
(function () {
  "use strict";

  function formatter(units, decimals) {
    return function (value) {
      if (value === null || value === undefined || value === "-") return "—";
      var number = Number(value);
      if (isNaN(number)) return String(value);
      var shown = decimals > 0 || number % 1 !== 0
        ? number.toLocaleString(undefined, { minimumFractionDigits: decimals || 1, maximumFractionDigits: decimals || 1 })
        : number.toLocaleString();
      return shown + (units && units[0] ? units[0] : "");
    };
  }

  function draw(element) {
    if (element.kesuChart || typeof echarts === "undefined") return;
    var source = document.getElementById(element.getAttribute("data-chart"));
    if (!source) return;
    var data;
    try {
      data = JSON.parse(source.textContent);
    } catch (error) {
      return;
    }
    var option = data.option || {};
    if (option.tooltip && !option.tooltip.formatter) {
      option.tooltip.valueFormatter = formatter(data.units, data.decimals || 0);
    }
    var chart = echarts.init(element, null, { renderer: "svg" });
    chart.setOption(option);
    chart.on("click", function (params) {
      var link = params && params.data && params.data.link;
      if (link) window.location.assign(link);
    });
    element.kesuChart = chart;
    element.setAttribute("data-chart-ready", "true");
    if (typeof ResizeObserver !== "undefined") {
      var observer = new ResizeObserver(function () { chart.resize(); });
      observer.observe(element);
      element.kesuObserver = observer;
    }
  }

  function drawAll(root) {
    var scope = root && root.querySelectorAll ? root : document;
    if (scope.matches && scope.matches("[data-chart]")) draw(scope);
    Array.prototype.forEach.call(scope.querySelectorAll("[data-chart]"), draw);
  }

  function dispose(root) {
    if (!root || !root.querySelectorAll) return;
    var elements = Array.prototype.slice.call(root.querySelectorAll("[data-chart]"));
    if (root.matches && root.matches("[data-chart]")) elements.push(root);
    elements.forEach(function (element) {
      if (element.kesuObserver) element.kesuObserver.disconnect();
      if (element.kesuChart) element.kesuChart.dispose();
      element.kesuChart = null;
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { drawAll(document); });
  } else {
    drawAll(document);
  }
  document.addEventListener("htmx:load", function (event) { drawAll(event.target); });
  document.addEventListener("htmx:beforeCleanupElement", function (event) { dispose(event.target); });
  window.addEventListener("beforeprint", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-chart]"), function (element) {
      if (element.kesuChart) element.kesuChart.resize();
    });
  });
})();
