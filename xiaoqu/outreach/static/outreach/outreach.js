// Legal education pages: a search box that narrows a long multiple select (target estates),
// and the before/after chart of an event's later figures.
(function () {
  document.querySelectorAll('[data-filter-select]').forEach(function (input) {
    var select = document.getElementById(input.getAttribute('data-filter-select'));
    if (!select) { return; }
    var counter = document.querySelector('[data-selected-count="' + select.id + '"]');
    function count() {
      if (counter) { counter.textContent = select.selectedOptions.length ? '(' + select.selectedOptions.length + ')' : ''; }
    }
    input.addEventListener('input', function () {
      var term = input.value.trim();
      Array.prototype.forEach.call(select.options, function (o) {
        o.hidden = !!term && o.text.indexOf(term) === -1 && !o.selected;
      });
    });
    select.addEventListener('change', count);
    count();
  });

  document.querySelectorAll('[data-all-present]').forEach(function (button) {
    button.addEventListener('click', function () {
      document.querySelectorAll('input[type=radio][value=invited]:checked').forEach(function (r) {
        var present = document.querySelector('input[type=radio][name="' + r.name + '"][value=present]');
        if (present) { present.checked = true; }
      });
    });
  });

  var el = document.getElementById('effect-chart');
  var data = document.getElementById('effect-data');
  if (el && data && window.echarts) {
    var spec = JSON.parse(data.textContent);
    var chart = window.echarts.init(el);
    chart.setOption({
      color: ['#1f4e8c', '#8a97a8'],
      tooltip: { trigger: 'axis', confine: true },
      legend: { top: 0, left: 0 },
      grid: { left: 8, right: 12, top: 48, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: spec.categories, axisLabel: { fontSize: 10 } },
      yAxis: [{ type: 'value', name: spec.labels.per10k, nameTextStyle: { align: 'left', fontSize: 10 } },
              { type: 'value', name: spec.labels.count, splitLine: { show: false }, nameTextStyle: { fontSize: 10 } }],
      series: [
        { name: spec.labels.per10k, type: 'line', data: spec.rates, symbolSize: 7, lineStyle: { width: 2.5 },
          markLine: { symbol: 'none', label: { formatter: spec.labels.event, position: 'insideEndTop' }, lineStyle: { color: '#c0392b', type: 'dashed' },
                      data: [{ xAxis: spec.event }] } },
        { name: spec.labels.count, type: 'bar', yAxisIndex: 1, data: spec.counts, barMaxWidth: 18, itemStyle: { opacity: 0.5 } }
      ]
    });
    window.addEventListener('resize', function () { chart.resize(); });
  }
})();
