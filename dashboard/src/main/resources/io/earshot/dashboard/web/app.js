// Earshot live dashboard: one EventSource on /stream; the server sends a coalesced "update" message at
// most a few times a second with what changed (sources, new events, new spectrogram columns, health).
'use strict';

const METER_FLOOR_DB = -60;        // left edge of level meters
const SPECTRO_MIN_DB = -100, SPECTRO_MAX_DB = -10;
const SPECTRO_COLUMNS = 320;       // 20 s of 64-ms columns
const TIMELINE_ROWS = 300;
const LANE_SECONDS = 60;

const model = { sources: new Map(), selected: null, lastSeq: -1,
                events: [], columns: [], columnsTotal: 0, columnsFor: null, eventsChanged: false, health: null, es: null, dirty: new Set() };

const $ = (id) => document.getElementById(id);

function connect() {
  if (model.es) model.es.close();
  model.columns = [];
  model.columnsTotal = 0;
  model.columnsFor = model.selected;
  const url = '/stream' + (model.selected ? '?source=' + encodeURIComponent(model.selected) : '');
  const es = new EventSource(url);
  model.es = es;
  // Every (re)connection starts a fresh server-side view that sends the selected source's columns again.
  es.onopen = () => { model.columns = []; model.columnsTotal = 0; setConnection(true); };
  es.onerror = () => setConnection(false);
  es.addEventListener('update', (e) => {
    renderStats.messages++;
    renderStats.bytes += e.data.length;
    apply(JSON.parse(e.data));
  });
}

function setConnection(on) {
  const c = $('connection');
  c.textContent = on ? 'connected' : 'reconnecting…';
  c.className = 'badge ' + (on ? 'on' : 'off');
}

function apply(u) {
  let pick = null;
  if (u.sources) {
    for (const s of u.sources) { model.sources.set(s.id, s); model.dirty.add(s.id); }
    if (!model.selected) {
      const live = u.sources.find((s) => s.live && s.rms_dbfs !== undefined);
      if (live) pick = live.id;
    }
  }
  if (u.events) {
    for (const ev of u.events) {
      if (ev.seq > model.lastSeq) { model.events.push(ev); model.lastSeq = ev.seq; addTimelineRow(ev); model.eventsChanged = true; }
    }
    if (model.events.length > 1000) model.events.splice(0, model.events.length - 1000);
  }
  if (u.spectrogram && u.spectrogram.source === model.columnsFor) {
    for (const col of u.spectrogram.columns) model.columns.push(col);
    model.columnsTotal += u.spectrogram.columns.length;
    if (model.columns.length > SPECTRO_COLUMNS) model.columns.splice(0, model.columns.length - SPECTRO_COLUMNS);
    $('spectrogram-range').textContent = `(${Math.round(u.spectrogram.fmin_hz)}–${Math.round(u.spectrogram.fmax_hz)} Hz, mel, last 20 s)`;
  }
  if (u.health) model.health = u.health;
  // Until one is clicked, the first live source with levels is shown (its own stream then carries its columns).
  if (pick) select(pick);
  requestRender();
}

function select(id) {
  if (model.selected === id) return;
  model.selected = id;
  for (const tr of document.querySelectorAll('#sources tr.selected')) tr.classList.remove('selected');
  const row = rowFor(id);
  if (row) row.classList.add('selected');
  $('detail-title').textContent = id;
  connect();
  requestRender();
}

let renderQueued = false;
function requestRender() {
  if (!renderQueued) { renderQueued = true; requestAnimationFrame(render); }
}

// Render timings, read by DashboardHundredSourcesBench (docs/dashboard.md gives its numbers).
const renderStats = { frames: 0, totalMs: 0, maxMs: 0, messages: 0, bytes: 0 };
window.earshotRenderStats = renderStats;

function render() {
  const t0 = performance.now();
  renderFrame();
  const ms = performance.now() - t0;
  renderStats.frames++;
  renderStats.totalMs += ms;
  renderStats.maxMs = Math.max(renderStats.maxMs, ms);
}

function renderFrame() {
  renderQueued = false;
  for (const id of model.dirty) renderSource(model.sources.get(id));
  model.dirty.clear();
  $('no-sources').style.display = model.sources.size ? 'none' : '';
  renderDetail();
  renderSpectrogram();
  renderHealth();
  const now = Date.now();
  if (model.eventsChanged || now - lanesAt >= 1000) {
    renderLanes();
    model.eventsChanged = false;
    lanesAt = now;
  }
}
let lanesAt = 0;

const rows = new Map(); // source id -> its table row

function rowFor(id) {
  return rows.get(id);
}

function levelPercent(db) {
  return Math.max(0, Math.min(100, (db - METER_FLOOR_DB) / -METER_FLOOR_DB * 100));
}

function setMeter(meter, s) {
  const has = s && s.rms_dbfs !== undefined;
  meter.querySelector('.meter-fill').style.width = (has ? levelPercent(s.rms_dbfs) : 0) + '%';
  meter.querySelector('.meter-peak').style.left = (has ? levelPercent(s.peak_dbfs) : 0) + '%';
  meter.dataset.rms = has ? s.rms_dbfs : '';
}

function renderSource(s) {
  let tr = rowFor(s.id);
  if (!tr) {
    tr = document.createElement('tr');
    tr.dataset.source = s.id;
    rows.set(s.id, tr);
    tr.innerHTML = '<td><span class="dot"></span></td><td class="name"></td>'
      + '<td><div class="meter"><div class="meter-fill"></div><div class="meter-peak"></div></div><span class="db"></span></td>'
      + '<td class="top"></td><td class="now"></td>';
    tr.querySelector('.name').textContent = s.id;
    tr.querySelector('.name').title = s.id;
    tr.addEventListener('click', () => select(s.id));
    insertSorted($('sources').tBodies[0], tr, s.id);
    if (s.id === model.selected) tr.classList.add('selected');
    $('source-count').textContent = `(${model.sources.size})`;
  }
  tr.className = (s.live ? 'live' : 'idle') + (s.id === model.selected ? ' selected' : '');
  setMeter(tr.querySelector('.meter'), s);
  tr.querySelector('.db').textContent = s.rms_dbfs !== undefined ? s.rms_dbfs.toFixed(1) : '–';
  tr.querySelector('.top').textContent = s.top.slice(0, 3).map(([label, score]) => `${label} ${score.toFixed(2)}`).join(' · ');
  const active = s.active.join(' ');
  const now = tr.querySelector('.now');
  if (now.dataset.active !== active) {
    now.dataset.active = active;
    now.textContent = '';
    for (const label of s.active) {
      const a = document.createElement('span');
      a.className = 'active';
      a.textContent = label;
      now.appendChild(a);
    }
  }
}

function insertSorted(tbody, tr, id) {
  for (const other of tbody.rows) {
    if (other.dataset.source.localeCompare(id) > 0) { tbody.insertBefore(tr, other); return; }
  }
  tbody.appendChild(tr);
}

function renderDetail() {
  const s = model.sources.get(model.selected);
  setMeter($('detail-meter'), s);
  $('detail-level').textContent = s && s.rms_dbfs !== undefined
    ? `RMS ${s.rms_dbfs.toFixed(1)} dBFS · peak ${s.peak_dbfs.toFixed(1)} dBFS · ${s.live ? 'live' : 'idle'} · ${s.events} event(s)`
    : (s ? 'no levels (is the detector running with --no-levels?)' : '–');
  const list = $('topk');
  const top = s ? s.top : [];
  while (list.children.length > top.length) list.lastChild.remove();
  top.forEach(([label, score], i) => {
    let li = list.children[i];
    if (!li) {
      li = document.createElement('li');
      li.innerHTML = '<span class="label"></span><div class="bar"><div></div></div><span class="score"></span>';
      list.appendChild(li);
    }
    li.dataset.label = label;
    li.dataset.score = score;
    li.querySelector('.label').textContent = label;
    li.querySelector('.bar div').style.width = (score * 100).toFixed(1) + '%';
    li.querySelector('.score').textContent = score.toFixed(3);
  });
}

// A dark-blue → magenta → yellow colour ramp for spectrogram values.
const RAMP = (() => {
  const stops = [[0, [0, 0, 8]], [0.3, [40, 20, 110]], [0.55, [160, 40, 120]], [0.8, [240, 120, 40]], [1, [255, 240, 160]]];
  const lut = [];
  for (let i = 0; i < 256; i++) {
    const t = i / 255;
    let k = 0;
    while (k < stops.length - 2 && t > stops[k + 1][0]) k++;
    const [t0, c0] = stops[k], [t1, c1] = stops[k + 1];
    const f = (t - t0) / (t1 - t0);
    lut.push(c0.map((v, j) => Math.round(v + (c1[j] - v) * f)));
  }
  return lut;
})();

// The strip is kept in an offscreen canvas of one pixel per column and band; new columns are drawn at
// its right edge after shifting it left, and it is scaled onto the visible canvas only when it changed.
const strip = document.createElement('canvas');
strip.width = SPECTRO_COLUMNS;
strip.height = 32;
let stripFor = null, stripTotal = 0;

function renderSpectrogram() {
  const canvas = $('spectrogram');
  const sctx = strip.getContext('2d');
  if (stripFor !== model.columnsFor || model.columnsTotal < stripTotal) {
    sctx.fillStyle = '#000';
    sctx.fillRect(0, 0, strip.width, strip.height);
    stripFor = model.columnsFor;
    stripTotal = 0;
  }
  const fresh = Math.min(model.columnsTotal - stripTotal, model.columns.length);
  if (fresh <= 0) return;
  const bands = model.columns[0].length;
  if (strip.height !== bands) strip.height = bands;
  sctx.drawImage(strip, -fresh, 0);
  const img = sctx.createImageData(fresh, bands);
  const cols = model.columns.slice(model.columns.length - fresh);
  cols.forEach((col, x) => {
    for (let b = 0; b < bands; b++) {
      const t = (col[b] - SPECTRO_MIN_DB) / (SPECTRO_MAX_DB - SPECTRO_MIN_DB);
      const rgb = RAMP[Math.max(0, Math.min(255, Math.round(t * 255)))];
      const p = ((bands - 1 - b) * fresh + x) * 4;
      img.data[p] = rgb[0]; img.data[p + 1] = rgb[1]; img.data[p + 2] = rgb[2]; img.data[p + 3] = 255;
    }
  });
  sctx.putImageData(img, strip.width - fresh, 0);
  stripTotal = model.columnsTotal;
  const ctx = canvas.getContext('2d');
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(strip, 0, 0, canvas.width, canvas.height);
  canvas.dataset.columns = Math.min(SPECTRO_COLUMNS, model.columns.length);
}

function ms(v) {
  if (v === undefined) return '–';
  return Math.abs(v) >= 10000 ? (v / 1000).toFixed(0) + ' s' : Math.abs(v) >= 1000 ? (v / 1000).toFixed(1) + ' s' : v + ' ms';
}

function renderHealth() {
  const h = model.health;
  if (!h) return;
  $('health-sources').textContent = `${h.live_sources} / ${h.sources}`;
  $('health-lag').textContent = h.lag_records !== undefined ? `${h.lag_records} chunks` : '–';
  $('health-lag-note').textContent = h.lag_note || '';
  const lat = (o) => o ? `${ms(o.p50)} / ${ms(o.max)}` : '–';
  $('health-audio-latency').textContent = lat(h.audio_latency_ms);
  $('health-start-latency').textContent = lat(h.start_latency_ms);
  $('health-end-latency').textContent = lat(h.end_latency_ms);
  $('health-energy').textContent = h.joules_per_audio_hour !== undefined ? `${h.joules_per_audio_hour} J` : '–';
  $('health-energy-note').textContent = h.detector_instances
    ? `${h.energy_joules} J for ${h.energy_audio_s} s of audio (${h.energy_method})` : 'no energy report yet';
  if (h.model) $('model').textContent = 'model ' + h.model;
}

function clock(msEpoch) {
  const d = new Date(msEpoch);
  return d.toLocaleTimeString([], { hour12: false }) + '.' + String(Math.floor(d.getMilliseconds() / 100));
}

function addTimelineRow(ev) {
  const li = document.createElement('li');
  li.dataset.eventId = ev.id;
  li.dataset.state = ev.state;
  li.dataset.shownMs = Date.now(); // when this browser showed it (the browser test compares it with Kafka's)
  li.className = 'new';
  const cells = [
    clock(ev.state === 'end' && ev.offset_ms !== undefined ? ev.offset_ms : ev.onset_ms),
    ev.state, ev.label, Math.round(ev.confidence * 100) + ' %', null,
    ev.state === 'end' && ev.offset_ms !== undefined ? ((ev.offset_ms - ev.onset_ms) / 1000).toFixed(1) + ' s' : '',
  ];
  cells.forEach((text, i) => {
    const span = document.createElement('span');
    if (i === 1) span.className = 'state-' + ev.state;
    if (i === 4) {
      const a = document.createElement('a');
      a.textContent = ev.source;
      a.title = 'show ' + ev.source;
      a.addEventListener('click', () => select(ev.source));
      span.appendChild(a);
    } else {
      span.textContent = text;
    }
    li.appendChild(span);
  });
  const list = $('timeline');
  list.insertBefore(li, list.firstChild);
  while (list.children.length > TIMELINE_ROWS) list.lastChild.remove();
}

function renderLanes() {
  const canvas = $('lanes');
  const ctx = canvas.getContext('2d');
  const w = canvas.width, h = canvas.height;
  ctx.clearRect(0, 0, w, h);
  const now = model.health ? model.health.now_ms : Date.now();
  const from = now - LANE_SECONDS * 1000;
  // One lane per source with an event in the window (the last 8 to get one).
  const spans = new Map();
  for (const ev of model.events) {
    const end = ev.state === 'end' ? ev.offset_ms : null;
    const key = ev.id;
    const prev = spans.get(key);
    spans.set(key, { source: ev.source, label: ev.label, onset: ev.onset_ms, end: end ?? (prev ? prev.end : null) });
  }
  const lanes = [];
  for (const s of spans.values()) {
    if ((s.end ?? now) >= from && !lanes.includes(s.source)) lanes.push(s.source);
  }
  const shown = lanes.slice(-8);
  const laneH = h / Math.max(4, shown.length);
  const gutter = 150; // source names on the left, the last LANE_SECONDS to the right of them
  const span = w - gutter;
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  for (const s of spans.values()) {
    const lane = shown.indexOf(s.source);
    if (lane < 0) continue;
    const x0 = gutter + Math.max(0, (s.onset - from) / (LANE_SECONDS * 1000) * span);
    const x1 = gutter + Math.min(span, ((s.end ?? now) - from) / (LANE_SECONDS * 1000) * span);
    if (x1 < gutter) continue;
    const y = lane * laneH + 3, bh = laneH - 6, bw = Math.max(2, x1 - x0);
    ctx.fillStyle = s.end ? '#6c8cff' : '#3ccf74';
    ctx.fillRect(x0, y, bw, bh);
    if (bw > 24) {
      ctx.save();
      ctx.beginPath();
      ctx.rect(x0, y, bw, bh);
      ctx.clip();
      ctx.fillStyle = '#0b0f14';
      ctx.fillText(s.label, x0 + 3, y + bh / 2);
      ctx.restore();
    }
  }
  ctx.fillStyle = '#8a96a8';
  shown.forEach((src, i) => ctx.fillText(src.length > 22 ? src.slice(0, 21) + '…' : src, 4, i * laneH + laneH / 2));
  ctx.strokeStyle = '#263040';
  ctx.beginPath();
  ctx.moveTo(gutter - 0.5, 0);
  ctx.lineTo(gutter - 0.5, h);
  ctx.stroke();
  ctx.fillText(`last ${LANE_SECONDS} s →`, w - 70, h - 8);
}

setInterval(requestRender, 1000); // lanes scroll even when nothing arrives
connect();
