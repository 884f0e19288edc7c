// The before/after chart of a clinic: complaints per 10k residents a month, raw and with
// repeats folded, the clinic's month marked. Clicking a point opens the records behind it.
(function () {
  const holder = document.getElementById("clinic-chart");
  const source = document.getElementById("clinic-chart-data");
  if (!holder || !source || !window.echarts) return;
  const d = JSON.parse(source.textContent);
  const chart = window.echarts.init(holder);
  const series = [
    { name: holder.dataset.raw, type: "line", data: d.raw, symbolSize: 7, itemStyle: { color: "#c0392b" },
      cursor: "pointer",
      markLine: d.clinic_month ? {
        symbol: "none", label: { formatter: holder.dataset.held }, lineStyle: { type: "dashed", color: "#555" },
        data: [{ xAxis: d.clinic_month }],
      } : undefined },
    { name: holder.dataset.folded, type: "line", data: d.folded, symbolSize: 5,
      lineStyle: { type: "dashed", width: 1.5 }, itemStyle: { color: "#1f4e8c" }, cursor: "pointer" },
  ];
  chart.setOption({
    tooltip: {
      trigger: "axis",
      formatter: function (params) {
        const list = Array.isArray(params) ? params : [params];
        return (list.length ? list[0].axisValueLabel : "") + "<br>" + list.map(function (p) {
          const v = p.data && p.data.value != null ? p.data.value : "—";
          return p.marker + p.seriesName + ": " + v + " (" + (p.data ? p.data.count : 0) + ")";
        }).join("<br>") + '<br><span style="color:#888">' + holder.dataset.unit + "</span>";
      },
    },
    legend: { bottom: 0 },
    grid: { left: 40, right: 16, top: 24, bottom: 48 },
    xAxis: { type: "category", data: d.months },
    yAxis: { type: "value", name: holder.dataset.unit, nameTextStyle: { align: "left", fontSize: 10 } },
    series: series,
  });
  chart.on("click", function (p) { if (p.data && p.data.url) { window.location.href = p.data.url; } });
  holder.dataset.rendered = "1";
  window.addEventListener("resize", function () { chart.resize(); });
})();
