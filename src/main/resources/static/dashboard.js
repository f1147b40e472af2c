// The dashboard: one snapshot a second from GET /dashboard/events (Server-Sent Events) drawn with
// ECharts. window.twinflowDashboard counts what was drawn, for the browser test and for curious people.
'use strict';

const dashboard = (window.twinflowDashboard = {
  updates: 0,
  connected: false,
  sensorPoints: 0,
  anomalyMarks: 0,
  deviceRates: 0,
  routeRates: 0,
  last: null,
});

const COLORS = ['#2f6fed', '#1f9d55', '#8e44ad', '#d97706', '#0e9aa7', '#c2185b'];
const ANOMALY = '#e5484d';
const byId = (id) => document.getElementById(id);
const escape = (text) => echarts.format.encodeHTML(String(text));
const number = (n) => (n == null ? '–' : Number(n).toLocaleString('en-US'));
const charts = [];

function chart(element) {
  const c = echarts.init(element, null, { renderer: 'canvas' });
  charts.push(c);
  return c;
}
window.addEventListener('resize', () => charts.forEach((c) => c.resize()));

/** Shows a section's error in its panel; true when the section has data to draw. */
function ok(panelId, section) {
  const panel = byId(panelId);
  const failed = !section || section.error != null;
  panel.classList.toggle('failed', failed);
  panel.querySelector('.error').textContent = failed ? (section ? section.error : 'no data') : '';
  return !failed;
}

function barChart(element, unit) {
  const c = chart(element);
  c.setOption({
    animationDurationUpdate: 300,
    grid: { left: 8, right: 56, top: 4, bottom: 4, containLabel: true },
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    xAxis: { type: 'value', splitLine: { lineStyle: { color: '#eef1f6' } }, axisLabel: { fontSize: 10 } },
    yAxis: { type: 'category', inverse: true, data: [], axisLabel: { fontSize: 11, width: 150, overflow: 'truncate' } },
    series: [{
      name: unit, type: 'bar', data: [], barMaxWidth: 14,
      itemStyle: { color: '#2f6fed', borderRadius: [0, 4, 4, 0] },
      label: { show: true, position: 'right', fontSize: 10, formatter: (p) => number(p.value) },
    }],
  });
  return c;
}

const devicesChart = barChart(byId('devices-chart'), 'packets/s');
const routesChart = barChart(byId('routes-chart'), 'exchanges/s');

function drawRates(c, rates, key) {
  c.setOption({
    yAxis: { data: rates.map((r) => r[key]) },
    series: [{ data: rates.map((r) => r.per_second ?? 0) }],
  });
  return rates.filter((r) => r.per_second > 0).length;
}

function devices(section) {
  if (!ok('devices-panel', section)) return;
  byId('devices-summary').textContent =
    `${number(section.devices)} devices · ${number(section.packets)} packets`;
  dashboard.deviceRates = drawRates(devicesChart, section.rates, 'device_id');
}

function routes(section) {
  if (!ok('routes-panel', section)) return;
  const total = section.rates.reduce((sum, r) => sum + (r.per_second ?? 0), 0);
  byId('routes-summary').textContent = `${number(section.routes)} routes · top ${section.rates.length} · ${number(Math.round(total))}/s`;
  dashboard.routeRates = drawRates(routesChart, section.rates, 'route_id');
}

// one small chart per source, each with its own scale (hPa and % do not share an axis)
const sensorCharts = [];

function sensorChart(slot) {
  while (sensorCharts.length <= slot) {
    const element = document.createElement('div');
    element.className = 'sensor';
    byId('sensors').appendChild(element);
    sensorCharts.push({ chart: chart(element), source: null });
  }
  return sensorCharts[slot];
}

function sensorOption(series, color) {
  return {
    animation: false,
    color: [color],
    title: {
      text: series.unit ? `${series.source} (${series.unit})` : series.source, left: 8, top: 6,
      textStyle: { fontSize: 12, fontWeight: 600 },
    },
    grid: { left: 46, right: 12, top: 34, bottom: 24 },
    tooltip: {
      trigger: 'axis',
      formatter: (items) => items.map((p) => (p.seriesName === 'anomaly'
        ? `<b style="color:${ANOMALY}">${escape(p.data.name)}</b> ${p.data.value[1]}`
        : `${echarts.time.format(p.value[0], '{HH}:{mm}:{ss}')} · ${p.value[1] ?? 'no value'} ${escape(series.unit)}`)).join('<br>'),
    },
    xAxis: {
      type: 'time', splitNumber: 3, splitLine: { show: false },
      axisLabel: { fontSize: 9, hideOverlap: true, formatter: '{HH}:{mm}:{ss}' },
    },
    yAxis: { type: 'value', scale: true, axisLabel: { fontSize: 9 }, splitLine: { lineStyle: { color: '#eef1f6' } } },
    series: [
      { name: 'value', type: 'line', showSymbol: false, data: series.points, lineStyle: { width: 1.5 } },
      {
        name: 'anomaly', type: 'scatter', symbolSize: 9, z: 3, itemStyle: { color: ANOMALY },
        data: series.anomalies.map((a) => ({ name: a[2], value: [a[0], a[1]] })),
      },
    ],
  };
}

function sensors(section) {
  if (!ok('sensors-panel', section)) return;
  let points = 0;
  let marks = 0;
  section.series.forEach((series, slot) => {
    const c = sensorChart(slot);
    // a slot that changed source starts over instead of merging into the old one
    c.chart.setOption(sensorOption(series, COLORS[slot % COLORS.length]), c.source !== series.source);
    c.source = series.source;
    points += series.points.length;
    marks += series.anomalies.length;
  });
  byId('sensors-empty').style.display = section.series.length ? 'none' : '';
  byId('sensors-summary').textContent = section.series.length
    ? `${section.series.length} sources · last ${points} readings · ${marks} anomalies marked`
    : '';
  dashboard.sensorPoints = points;
  dashboard.anomalyMarks = marks;
}

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function audit(section) {
  if (!ok('audit-panel', section)) return;
  const body = byId('audit-rows');
  body.replaceChildren();
  section.runs.forEach((run) => {
    // a run's name on a line of its own: run ids are long, the panel is narrow
    const title = body.insertRow();
    title.className = 'run';
    const name = title.insertCell();
    name.colSpan = 4;
    name.textContent = run.run;
    name.title = run.run;
    const badge = document.createElement('span');
    // while a run is live, what is still on its way counts as missing too
    badge.className = `badge ${run.complete ? 'good' : 'open'}`;
    badge.textContent = run.complete ? 'complete' : 'incomplete';
    badge.title = run.complete ? 'every record sent was received' : 'records missing or still on their way';
    title.insertCell().appendChild(badge);
    const counts = body.insertRow();
    cell(counts, '');
    [run.sent, run.received, run.missing, run.duplicates].forEach((n) => cell(counts, number(n)));
  });
  byId('audit-empty').style.display = section.runs.length ? 'none' : '';
  const total = section.runs_total;
  byId('audit-summary').textContent = total ? `${total} run${total === 1 ? '' : 's'}` : '';
}

function terminals(section) {
  if (!ok('terminals-panel', section)) return;
  byId('terminals-online').textContent = number(section.online);
  byId('terminals-offline').textContent = number(section.offline);
  const list = byId('terminals-list');
  list.replaceChildren();
  section.terminals.forEach((t) => {
    const item = document.createElement('li');
    const dot = document.createElement('span');
    dot.className = `dot ${t.online ? 'on' : ''}`;
    const id = document.createElement('span');
    id.textContent = t.terminal_id;
    const seen = document.createElement('span');
    seen.className = 'seen';
    seen.textContent = t.last_seen ? new Date(t.last_seen).toLocaleTimeString() : '';
    item.append(dot, id, seen);
    list.appendChild(item);
  });
  const shown = section.terminals.length;
  const total = section.online + section.offline;
  byId('terminals-summary').textContent = total > shown ? `${shown} of ${total} shown` : '';
}

function draw(snapshot) {
  devices(snapshot.devices);
  routes(snapshot.routes);
  sensors(snapshot.sensors);
  audit(snapshot.audit);
  terminals(snapshot.terminals);
  dashboard.last = snapshot;
  dashboard.updates += 1;
  document.body.dataset.updates = String(dashboard.updates);
  byId('updated').textContent = `updated ${new Date(snapshot.at).toLocaleTimeString()}`;
}

function connect() {
  const connection = byId('connection');
  const events = new EventSource('dashboard/events');
  events.addEventListener('open', () => {
    dashboard.connected = true;
    connection.textContent = 'live';
    connection.className = 'live';
  });
  // EventSource reconnects by itself after an error or the end of a stream
  events.addEventListener('error', () => {
    dashboard.connected = false;
    connection.textContent = 'reconnecting';
    connection.className = 'down';
  });
  events.addEventListener('snapshot', (event) => draw(JSON.parse(event.data)));
}

connect();
