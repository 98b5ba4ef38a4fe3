// The statistics dashboard: draws each chart described in #stats-data (see stats/dashboard.py)
// with ECharts. Every bar, point and slice carries the URL of the rows behind it: a click opens
// that list. Without this script the key figures above still link to their lists.
(function () {
  var holder = document.getElementById("stats-data");
  if (!holder || typeof echarts === "undefined") return;
  var data = JSON.parse(holder.textContent);
  var charts = [];
  var palette = ["#206bc4", "#2fb344", "#f76707", "#d63939", "#ae3ec9", "#17a2b8", "#f59f00", "#74b816"];

  function value(d) { return d && typeof d === "object" ? d.value : d; }

  // Every category keeps its label on any screen: on a bar chart each label wraps within its own
  // share of the width (no label is hidden as "overlapping"), many short ones (months) turn 45°;
  // a horizontal bar's institution names take up to 40 % of the width, then end in "…".
  function categoryLabels(spec, width) {
    var n = Math.max(1, spec.categories.length);
    if (spec.kind === "hbar") return { width: Math.min(160, Math.round(width * 0.4)), overflow: "truncate" };
    var share = Math.max(24, Math.floor((width - 56) / n) - 4);
    var longest = Math.max.apply(null, spec.categories.map(function (c) { return String(c).length; }));
    if (n > 8 && longest * 13 > share) return { interval: 0, hideOverlap: false, rotate: 45, fontSize: 11 };
    return { interval: 0, hideOverlap: false, width: share, overflow: "break", lineHeight: 14, fontSize: width < 576 ? 11 : 12 };
  }

  function option(spec, width) {
    var base = {
      color: palette,
      animation: false,
      tooltip: { trigger: spec.kind === "pie" ? "item" : "axis", confine: true },
      legend: { top: 0, type: "scroll" },
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
    };
    if (spec.kind === "pie") {
      base.legend = { bottom: 0, type: "scroll" };
      base.series = spec.series.map(function (s) {
        return {
          name: s.name, type: "pie", radius: ["35%", "65%"], center: ["50%", "45%"],
          label: { formatter: "{b}: {c}" },
          data: s.data.filter(function (d) { return d.value; }),
        };
      });
      return base;
    }
    var horizontal = spec.kind === "hbar";
    var categoryAxis = { type: "category", data: spec.categories, axisLabel: categoryLabels(spec, width) };
    if (horizontal) categoryAxis.inverse = true;
    var valueAxes = [{ type: "value", minInterval: 1 }];
    var twoAxes = spec.series.some(function (s) { return s.axis === 1; });
    if (twoAxes) valueAxes.push({ type: "value", max: 100, min: 0, axisLabel: { formatter: "{value}%" }, splitLine: { show: false } });
    else if (spec.percent_axis) valueAxes[0] = { type: "value", max: 100, min: 0, axisLabel: { formatter: "{value}%" } };
    base.xAxis = horizontal ? valueAxes[0] : categoryAxis;
    base.yAxis = horizontal ? categoryAxis : valueAxes;
    base.series = spec.series.map(function (s) {
      return {
        name: s.name, type: s.type === "line" ? "line" : "bar",
        yAxisIndex: !horizontal && s.axis === 1 ? 1 : 0,
        barMaxWidth: 28, connectNulls: true,
        itemStyle: s.color ? { color: s.color } : undefined,
        label: { show: horizontal || spec.categories.length <= 6, position: horizontal ? "right" : "top" },
        data: s.data,
      };
    });
    if (spec.series.length === 1) base.legend = { show: false };
    return base;
  }

  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var spec = data.charts.filter(function (c) { return c.id === el.dataset.chart; })[0];
    if (!spec) return;
    if (spec.kind === "hbar") el.style.height = Math.max(240, 40 + 30 * spec.categories.length) + "px";
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option(spec, el.clientWidth));
    chart.anjianSpec = spec;
    chart.on("click", function (params) {
      var d = params.data;
      if (d && d.url) window.location.href = d.url;
    });
    el.dataset.drawn = "true";
    charts.push(chart);
  });

  window.addEventListener("resize", function () {
    charts.forEach(function (c) {
      c.resize();
      if (c.anjianSpec.kind !== "pie") c.setOption(option(c.anjianSpec, c.getDom().clientWidth));
    });
  });
  // printing: each chart as a picture (a canvas does not reflow onto paper), sized by print.css
  window.addEventListener("beforeprint", function () {
    charts.forEach(function (c) {
      var el = c.getDom();
      var img = el.nextElementSibling && el.nextElementSibling.classList.contains("stats-print-img") ? el.nextElementSibling : null;
      if (!img) {
        img = document.createElement("img");
        img.className = "stats-print-img";
        img.alt = el.getAttribute("aria-label") || "";
        el.parentNode.insertBefore(img, el.nextSibling);
      }
      img.src = c.getDataURL({ type: "png", pixelRatio: 2, backgroundColor: "#fff" });
    });
  });

  // the period bar: show only the inputs of the chosen kind of period
  var form = document.querySelector("[data-testid=stats-filter]");
  if (form) {
    var kind = form.querySelector("[name=period]");
    var fields = { year: ["year"], quarter: ["quarter"], month: ["month"], custom: ["start", "end"] };
    var toggle = function () {
      Object.keys(fields).forEach(function (k) {
        fields[k].forEach(function (name) {
          var box = form.querySelector("[data-field=" + name + "]");
          if (box) box.hidden = kind.value !== k;
        });
      });
    };
    kind.addEventListener("change", toggle);
    toggle();
  }
})();
