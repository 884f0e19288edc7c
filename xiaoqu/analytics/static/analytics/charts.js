// Dashboard charts with ECharts. Each [data-chart] element names a json_script element holding
// a spec: {type: "line" | "bar" | "map", categories, series: [{name, data: [{value, count, url}]}],
// unit, horizontal, geo}. Clicking a point, bar or area opens the records behind it (its url).
(function () {
  var COLORS = ['#1f4e8c', '#e07b39', '#8a97a8', '#3a9d5d', '#c0392b'];

  function narrow(el) { return el.clientWidth < 560; }

  function tooltip(spec) {
    return function (params) {
      var list = Array.isArray(params) ? params : [params];
      var head = list.length ? (list[0].axisValueLabel || list[0].name || '') : '';
      var lines = list.map(function (p) {
        var d = p.data || {};
        var v = (d.value == null || isNaN(d.value)) ? '—' : d.value;
        var count = (d.count != null && spec.type !== 'bar') ? ' (' + d.count + ')' : '';
        if (d.count != null && spec.type === 'bar' && !spec.horizontal) { count = ' (' + d.count + ')'; }
        return (p.marker || '') + (list.length > 1 || spec.type === 'line' ? p.seriesName + ': ' : '') + v + count;
      });
      return head + '<br>' + lines.join('<br>') + (spec.unit ? '<br><span style="color:#888">' + spec.unit + '</span>' : '');
    };
  }

  function lineOption(el, spec) {
    return {
      color: COLORS,
      tooltip: { trigger: 'axis', formatter: tooltip(spec), confine: true },
      legend: { top: 0, left: narrow(el) ? 0 : 'center', type: 'scroll', textStyle: { fontSize: narrow(el) ? 10 : 12 } },
      grid: { left: 8, right: 12, top: 34, bottom: 8, containLabel: true },
      xAxis: { type: 'category', data: spec.categories, axisLabel: { fontSize: narrow(el) ? 9 : 11, rotate: narrow(el) ? 45 : 0 } },
      yAxis: { type: 'value', name: narrow(el) ? '' : spec.unit, nameTextStyle: { align: 'left', fontSize: 10 }, axisLabel: { fontSize: 10 } },
      series: spec.series.map(function (s) {
        return { name: s.name, type: 'line', data: s.data, connectNulls: false, symbolSize: 7,
                 lineStyle: s.dashed ? { type: 'dashed', width: 1.5 } : { width: 2.5 } };
      })
    };
  }

  function barOption(el, spec) {
    var horizontal = !!spec.horizontal;
    var cat = { type: 'category', data: spec.categories,
                axisLabel: { fontSize: narrow(el) ? 9 : 11, interval: 0, rotate: (!horizontal && narrow(el)) ? 45 : 0,
                             width: horizontal ? (narrow(el) ? 90 : 140) : undefined, overflow: 'truncate' } };
    var val = { type: 'value', axisLabel: { fontSize: 10 } };
    if (horizontal) { cat.inverse = true; }
    return {
      color: COLORS,
      tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: tooltip(spec), confine: true },
      grid: { left: 8, right: 28, top: 10, bottom: 8, containLabel: true },
      xAxis: horizontal ? val : cat,
      yAxis: horizontal ? cat : val,
      series: spec.series.map(function (s) {
        return { name: s.name, type: 'bar', data: s.data, barMaxWidth: 26, cursor: 'pointer',
                 label: { show: true, position: horizontal ? 'right' : 'top', fontSize: 10 } };
      })
    };
  }

  function mapOption(el, spec) {
    var name = 'xq-' + el.id;
    echarts.registerMap(name, spec.geo);
    var values = spec.data.map(function (d) { return d.value || 0; });
    return {
      tooltip: { trigger: 'item', formatter: function (p) {
        var d = p.data || {};
        return p.name + '<br>' + (d.value == null ? '—' : d.value) + ' ' + (spec.unit || '') +
               (d.count != null ? '<br>(' + d.count + ')' : '');
      } },
      visualMap: { min: 0, max: Math.max.apply(null, values.concat([1])), left: 0, bottom: 0,
                   calculable: true, itemHeight: narrow(el) ? 80 : 120, textStyle: { fontSize: 10 },
                   inRange: { color: ['#eef3fa', '#9ab8e0', '#1f4e8c'] } },
      series: [{ type: 'map', map: name, roam: false, selectedMode: false, cursor: 'pointer',
                 label: { show: !narrow(el), fontSize: 10 },
                 emphasis: { label: { show: true } },
                 data: spec.data }]
    };
  }

  function draw(el) {
    var source = document.getElementById(el.dataset.source);
    if (!source) { return; }
    var spec = JSON.parse(source.textContent);
    var chart = echarts.init(el, null, { renderer: 'canvas' });
    var option = spec.type === 'map' ? mapOption(el, spec) : spec.type === 'bar' ? barOption(el, spec) : lineOption(el, spec);
    chart.setOption(option);
    chart.on('click', function (p) {
      if (p.data && p.data.url) { window.location.href = p.data.url; }
    });
    el.dataset.rendered = '1';
    window.addEventListener('resize', function () { chart.resize(); });
  }

  function init() { document.querySelectorAll('[data-chart]').forEach(draw); }
  if (document.readyState === 'loading') { document.addEventListener('DOMContentLoaded', init); } else { init(); }
})();
