// The dashboard: one snapshot a second from GET /dashboard/events (Server-Sent Events) drawn with
// ECharts, and seed 004's machine data polled from its own HTTP API. window.twinflowDashboard counts
// what was drawn, for the browser test and for curious people.
'use strict';

const dashboard = (window.twinflowDashboard = {
  updates: 0,
  connected: false,
  sensorPoints: 0,
  anomalyMarks: 0,
  deviceRates: 0,
  routeRates: 0,
  last: null,
  machinePolls: 0, // rounds of GET /machine_latest and GET /machine_data done, answered or not
  machineDevices: 0, // rows in the latest-values table
  machineDataId: null, // the data id charted
  machineDevice: null, // the device charted, null for all
  machinePoints: 0, // numeric readings in the history chart
  machineSkipped: 0, // text readings of the data id, not plotted
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

// Seed 004's machine data, straight from its HTTP API every 2 s (it is not in the SSE snapshot):
// GET /machine_latest (Redis) fills the table, GET /machine_data (MySQL) the chosen data id's chart.
const MACHINE_POLL_MS = 2000;
const MACHINE_WINDOW_MS = 15 * 60 * 1000;
const MACHINE_LIMIT = 2000;
const machineChart = chart(byId('machine-chart'));
const machine = { ids: '', devices: '', asked: 0, drawn: null, chosen: false, errors: { latest: null, history: null } };

machineChart.setOption({
  animation: false,
  color: COLORS,
  grid: { left: 8, right: 24, top: 30, bottom: 8, containLabel: true },
  legend: { type: 'scroll', top: 0, textStyle: { fontSize: 11 } },
  tooltip: { trigger: 'axis' },
  xAxis: {
    type: 'time', splitLine: { show: false },
    axisLabel: { fontSize: 10, hideOverlap: true, formatter: '{HH}:{mm}:{ss}' },
  },
  yAxis: { type: 'value', scale: true, axisLabel: { fontSize: 10 }, splitLine: { lineStyle: { color: '#eef1f6' } } },
  series: [],
});

/** The JSON an endpoint answers; throws an Error saying what went wrong, with the API's {error, detail}. */
async function getJson(path) {
  const name = path.split('?')[0];
  let response;
  try {
    response = await fetch(path, { headers: { Accept: 'application/json' } });
  } catch (e) {
    throw new Error(`${name}: cannot reach the app (${e.message})`);
  }
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch (notJson) {
    body = null;
  }
  if (!response.ok) {
    const why = body && body.error ? `${body.error}: ${body.detail ?? ''}` : text.slice(0, 200);
    throw new Error(`${name} answered ${response.status} ${why}`);
  }
  return body;
}

function showMachineErrors() {
  const errors = [machine.errors.latest, machine.errors.history].filter((e) => e != null);
  ok('machine-panel', { error: errors.length ? errors.join(' · ') : null });
}

const asText = (value) => (typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value));

/** Fills a select or datalist with these values unless they are the ones it already has. */
function options(element, key, values, first) {
  if (machine[key] === values.join('\n')) return;
  machine[key] = values.join('\n');
  const kept = element.value;
  element.replaceChildren(...first);
  values.forEach((v) => element.appendChild(new Option(v, v)));
  if (element.tagName === 'SELECT') {
    if (kept && !values.includes(kept)) element.appendChild(new Option(kept, kept));
    element.value = kept;
  }
}

function machineLatest(answer) {
  const body = byId('machine-rows');
  body.replaceChildren();
  const ids = new Set();
  const numeric = new Set();
  let readings = 0;
  answer.devices.forEach((d) => {
    const row = body.insertRow();
    cell(row, d.device_id).title = d.device_id;
    cell(row, number(d.readings));
    const values = cell(row, '', 'values');
    Object.entries(d.values).forEach(([id, value]) => {
      ids.add(id);
      if (typeof value === 'number') numeric.add(id);
      const kv = document.createElement('span');
      kv.className = 'kv';
      const name = document.createElement('b');
      name.textContent = `${id}:`;
      kv.append(name, ` ${asText(value)}`);
      values.append(kv, ' ');
    });
    readings += d.readings;
  });
  byId('machine-empty').style.display = answer.devices.length ? 'none' : '';
  const more = answer.count > answer.devices.length ? ` (${answer.devices.length} shown)` : '';
  byId('machine-summary').textContent = answer.count
    ? `${number(answer.count)} devices${more} · ${number(readings)} readings`
    : '';
  options(byId('machine-data-ids'), 'ids', [...ids].sort(), []);
  options(byId('machine-device'), 'devices', answer.devices.map((d) => d.device_id), [new Option('all devices', '')]);
  // until someone chooses, chart the first data id that has numbers
  const input = byId('machine-data-id');
  if (!machine.chosen && !input.value && numeric.size) input.value = [...numeric].sort()[0];
  dashboard.machineDevices = answer.devices.length;
}

function drawHistory(dataId, device, items, more) {
  const byDevice = new Map();
  let skipped = 0;
  // newest first from the API: walked backwards, each device's line runs forward in time
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i];
    if (item.value == null) {
      skipped += 1;
      continue;
    }
    if (!byDevice.has(item.device_id)) byDevice.set(item.device_id, []);
    byDevice.get(item.device_id).push([item.ts, item.value]);
  }
  const now = Date.now();
  const series = [...byDevice.keys()].sort().map((device) => {
    const data = byDevice.get(device);
    return { name: device, type: 'line', data, showSymbol: data.length <= 60, symbolSize: 5, lineStyle: { width: 1.5 } };
  });
  const points = items.length - skipped;
  machineChart.setOption({
    title: {
      show: points === 0, left: 'center', top: 'middle',
      text: dataId ? `no numeric readings of ${dataId} in the last 15 minutes` : 'choose a data id',
      textStyle: { fontSize: 12, fontWeight: 400, color: '#6b7588' },
    },
    legend: { show: series.length > 1 },
    xAxis: { min: now - MACHINE_WINDOW_MS, max: now },
    series,
  }, { replaceMerge: ['series'] });
  const notes = [];
  if (dataId) notes.push(`${number(points)} points · last 15 min`);
  if (more) notes.push(`newest ${number(MACHINE_LIMIT)} readings shown`);
  if (skipped) notes.push(`${number(skipped)} text value${skipped === 1 ? '' : 's'} not plotted`);
  byId('machine-note').textContent = notes.join(' · ');
  dashboard.machineDataId = dataId || null;
  dashboard.machineDevice = device || null;
  dashboard.machinePoints = points;
  dashboard.machineSkipped = skipped;
}

async function machineHistory() {
  const dataId = byId('machine-data-id').value.trim();
  const device = byId('machine-device').value;
  const choice = `${dataId}\n${device}`;
  const asked = ++machine.asked;
  if (!dataId) {
    machine.errors.history = null;
    machine.drawn = choice;
    drawHistory(dataId, device, [], false);
    showMachineErrors();
    return;
  }
  // newest first, so that a busy window loses its oldest readings rather than its latest
  const query = new URLSearchParams({
    data_id: dataId, from: String(Date.now() - MACHINE_WINDOW_MS), order: 'desc', limit: String(MACHINE_LIMIT),
  });
  if (device) query.set('device_id', device);
  try {
    const answer = await getJson(`machine_data?${query}`);
    if (asked !== machine.asked) return; // a newer choice is on its way
    machine.errors.history = null;
    machine.drawn = choice;
    drawHistory(dataId, device, answer.items, answer.next_offset != null);
  } catch (e) {
    if (asked !== machine.asked) return;
    machine.errors.history = e.message;
    // a chart of another choice would pass for this one's; this one's, only out of date, stays
    if (machine.drawn !== choice) {
      machine.drawn = null;
      drawHistory(dataId, device, [], false);
    }
  }
  showMachineErrors();
}

async function pollMachine() {
  try {
    try {
      machineLatest(await getJson('machine_latest'));
      machine.errors.latest = null;
    } catch (e) {
      machine.errors.latest = e.message;
    }
    showMachineErrors();
    await machineHistory();
  } finally {
    dashboard.machinePolls += 1;
    setTimeout(pollMachine, MACHINE_POLL_MS);
  }
}

['machine-data-id', 'machine-device'].forEach((id) => byId(id).addEventListener('change', () => {
  machine.chosen = true;
  machineHistory();
}));

connect();
pollMachine();
