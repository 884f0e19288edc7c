// The pilot evaluation chart: monthly complaints per 10k of pilot and comparison estates.
(function () {
  const holder = document.getElementById("did-chart");
  const source = document.getElementById("did-data");
  if (!holder || !source || !window.echarts) return;
  const d = JSON.parse(source.textContent);
  const chart = window.echarts.init(holder);
  chart.setOption({
    tooltip: { trigger: "axis" },
    legend: { data: [d.labels.pilot, d.labels.control], bottom: 0 },
    grid: { left: 40, right: 16, top: 36, bottom: 56 },
    xAxis: { type: "category", data: d.months },
    yAxis: { type: "value", name: d.labels.unit, nameTextStyle: { align: "left" } },
    series: [
      {
        name: d.labels.pilot, type: "line", data: d.pilot, smooth: false, symbolSize: 5,
        itemStyle: { color: "#c0392b" },
        markLine: {
          symbol: "none", label: { formatter: d.labels.start }, lineStyle: { type: "dashed", color: "#555" },
          data: [{ xAxis: d.start }],
        },
      },
      { name: d.labels.control, type: "line", data: d.control, symbolSize: 5, itemStyle: { color: "#2c6fbb" } },
    ],
  });
  holder.dataset.rendered = "1";
  window.addEventListener("resize", () => chart.resize());
})();
