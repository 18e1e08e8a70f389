/* Draws every [data-chart] element with the vendored Apache ECharts.

   The numbers come from the <script type="application/json"> block the element names (rendered by the
   page's view, CSP-safe: nothing inline runs). A click on a bar or a point opens that category's link
   (its cases). The table under each chart stays one click away: once the chart is drawn, its
   <details> closes; without JavaScript or ECharts it stays open and the page reads the same. */
(function () {
  "use strict";
  if (typeof echarts === "undefined") return;

  function axisLabel(unit) {
    return unit ? {formatter: "{value}" + unit} : {};
  }

  // A long name on two lines, cut only after that: 城乡居民基本医疗保险参保登记 and 城乡居民基本养老保险参保登记
  // stay apart (one line cut both to 城乡居民基本…). The tooltip still shows the whole name.
  function twoLines(perLine) {
    return function (name) {
      if (name.length <= perLine) return name;
      var rest = name.slice(perLine);
      if (rest.length > perLine) rest = rest.slice(0, perLine - 1) + "…";
      return name.slice(0, perLine) + "\n" + rest;
    };
  }

  function option(spec, width) {
    var horizontal = spec.kind === "hbar";
    var narrow = width < 480;  // a phone: shorter labels, fewer ticks
    var unit = spec.series.length ? spec.series[0].unit : "";
    var categories = {type: "category", data: spec.categories,
                      axisLabel: horizontal ? {formatter: twoLines(narrow ? 7 : 12), lineHeight: 14}
                                            : {hideOverlap: true}};
    var values = {type: "value", axisLabel: axisLabel(unit), minInterval: unit ? 0 : 1,
                  max: unit === "%" ? 100 : null, splitNumber: narrow ? 3 : 5,
                  // rates: ticks that end on 100% (0/30/60/90 left 100% squeezed or missing)
                  interval: unit === "%" ? (narrow ? 50 : 25) : null};
    if (horizontal) categories.inverse = true;  // the first category on top, as in the table
    return {
      animation: false,
      grid: {left: 8, right: horizontal ? 56 : 24, top: spec.series.length > 1 ? 32 : 16, bottom: 8,
             containLabel: true},
      legend: spec.series.length > 1 ? {top: 0} : undefined,
      tooltip: {trigger: "axis", valueFormatter: function (v) { return v === null ? "–" : v + unit; }},
      xAxis: horizontal ? values : categories,
      yAxis: horizontal ? categories : values,
      series: spec.series.map(function (s) {
        var data = s.colours && s.colours.length ?
          s.data.map(function (v, i) { return {value: v, itemStyle: {color: s.colours[i]}}; }) : s.data;
        return {name: s.name, type: spec.kind === "line" ? "line" : "bar", data: data, smooth: false,
                showSymbol: spec.categories.length <= 40,
                itemStyle: {color: s.colour}, lineStyle: {color: s.colour}, barMaxWidth: 36,
                cursor: spec.links && spec.links.length ? "pointer" : "default",
                label: spec.kind === "line" ? undefined :
                  {show: true, position: horizontal ? "right" : "top",
                   formatter: function (p) { return p.value === null ? "" : p.value + unit; }}};
      })
    };
  }

  function draw(element) {
    var source = document.getElementById(element.dataset.chart);
    if (!source) return;
    var spec = JSON.parse(source.textContent);
    if (spec.kind === "hbar") {
      element.style.height = Math.max(160, 36 * spec.categories.length + 40) + "px";
    }
    var chart = echarts.init(element, null, {locale: "ZH", renderer: "svg"});
    chart.setOption(option(spec, element.clientWidth));
    // A click anywhere on a category row or column opens its cases, not only on the bar itself.
    chart.getZr().on("click", function (event) {
      var point = [event.offsetX, event.offsetY];
      if (!chart.containPixel("grid", point)) return;
      var index = chart.convertFromPixel({seriesIndex: 0}, point)[spec.kind === "hbar" ? 1 : 0];
      var link = spec.links && spec.links[Math.round(index)];
      if (link) window.location.href = link;
    });
    window.addEventListener("resize", function () { chart.resize(); });
    var card = element.closest("[data-chart-card]");
    var table = card && card.querySelector("details.chart-table");
    if (table) table.open = false;
    element.dataset.ready = "1";
  }

  function drawAll() {
    document.querySelectorAll("[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
