// Year-over-year charts (ECharts, vendored). The data comes from a JSON block written by the server
// (<script type="application/json" id="gk-chart-data">, which the CSP leaves alone: it is data, not script);
// each <div data-chart="KEY"> gets the chart of that key. Every chart also has its figures as a table
// next to it, for screen readers and when scripts are off.
(function () {
  var PALETTE = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#8C6D00"];
  function draw() {
    var source = document.getElementById("gk-chart-data");
    if (!source || typeof echarts === "undefined") return;
    var charts = JSON.parse(source.textContent);
    var byKey = {};
    charts.forEach(function (c) { byKey[c.key] = c; });
    var drawn = [];
    document.querySelectorAll("[data-chart]").forEach(function (el) {
      var chart = byKey[el.getAttribute("data-chart")];
      if (!chart) return;
      var instance = echarts.init(el, null, { renderer: "svg" });
      instance.setOption({
        color: PALETTE,
        animation: false,
        aria: { enabled: true, label: { description: chart.title } },
        tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
        legend: { bottom: 0, type: "scroll" },
        grid: { left: 40, right: 12, top: 16, bottom: 56, containLabel: true },
        xAxis: { type: "category", data: chart.years.map(function (y) { return y + "年"; }) },
        yAxis: { type: "value", minInterval: 1, name: chart.unit },
        series: chart.series.map(function (s) {
          return { name: s.name, type: "bar", data: s.values, label: { show: chart.series.length <= 3, position: "top",
                   formatter: function (p) { return p.value ? String(p.value) : ""; } } };
        })
      });
      el.setAttribute("data-chart-ready", "true");
      drawn.push(instance);
    });
    window.addEventListener("resize", function () { drawn.forEach(function (i) { i.resize(); }); });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
