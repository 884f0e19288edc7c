// Draws subdistrict boundaries (GeoJSON) with ECharts. Data comes from a json_script element.
(function () {
  function draw(el) {
    var data = JSON.parse(document.getElementById(el.dataset.source).textContent);
    if (!data || !data.features || !data.features.length) { return; }
    var chart = echarts.init(el, null, { renderer: 'canvas' });
    var mapName = 'xq-' + el.id;
    echarts.registerMap(mapName, data);
    var values = data.features.map(function (f) {
      return { name: f.properties.name, value: f.properties.value, url: f.properties.url,
               selected: !!f.properties.selected };
    });
    if (data.points && data.points.length) {
      // A location on its boundary: the map as a geo component with a marker.
      chart.setOption({
        tooltip: { trigger: 'item', formatter: function (p) { return p.name; } },
        geo: { map: mapName, roam: true, label: { show: true, fontSize: 11 },
               itemStyle: { areaColor: '#dfe8f5', borderColor: '#1f4e8c' } },
        series: [{ type: 'effectScatter', coordinateSystem: 'geo', symbolSize: 12,
                   itemStyle: { color: '#c0392b' }, label: { show: true, position: 'right', formatter: '{b}' },
                   data: data.points }]
      });
      window.addEventListener('resize', function () { chart.resize(); });
      return;
    }
    chart.setOption({
      tooltip: { trigger: 'item', formatter: function (p) {
        return p.name + (p.value != null && !isNaN(p.value) ? '<br>' + (el.dataset.valueLabel || '') + ' ' + p.value : '');
      } },
      series: [{
        type: 'map', map: mapName, roam: true, selectedMode: false,
        label: { show: true, fontSize: 11 },
        itemStyle: { areaColor: '#dfe8f5', borderColor: '#1f4e8c', borderWidth: 1 },
        emphasis: { itemStyle: { areaColor: '#a9c3e8' }, label: { show: true } },
        data: values.map(function (v) {
          return Object.assign(v, v.selected ? { itemStyle: { areaColor: '#f6c36b' } } : {});
        })
      }]
    });
    chart.on('click', function (p) { if (p.data && p.data.url) { window.location = p.data.url; } });
    window.addEventListener('resize', function () { chart.resize(); });
  }
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('[data-boundary-map]').forEach(draw);
  });
})();
