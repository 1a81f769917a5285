// HMS-SYS status page: one vanilla module, no build step, no dependencies.
//
// Data: the JSON API (/v1/nodes, /v1/autoscalers, /v1/deployments, /v1/patches) polled every
// 2 s, the newest events (/v1/events?tail=N) once at start, and the HMS-OPS feed (/v1/feed, Server-Sent Events read with fetch so that the token goes
// in an Authorization header; EventSource cannot send one), resumed with since=<last seq>.
// Rendering: state changes only mark the page dirty; one requestAnimationFrame writes the DOM,
// never reading layout, and every list is capped so the DOM stays small whatever the fleet.

const TOKEN_KEY = 'hms-sys.viewerToken';
const POLL_MS = 2000;
const PATCH_RETRY_MS = 30_000;
const CHART_WINDOW_MS = 5 * 60_000;
/** A young series is drawn over at least this span, so its first minute is not a sliver at the edge. */
const CHART_MIN_SPAN_MS = 60_000;
const MAX_POINTS = 600;
const MAX_EVENTS = 50;
const BACKLOG_EVENTS = 200;
const MAX_NODE_ROWS = 200;
const MAX_CARDS = 24;
const MAX_RUN_NODES = 100;
const FEED_IDLE_MS = 45_000;
const SVG = 'http://www.w3.org/2000/svg';
const CHART_W = 600;
const CHART_H = 150;
const STEPS = ['pending', 'preflight', 'cordoning', 'draining', 'patching', 'rebooting', 'verifying', 'uncordoning', 'health-gate', 'releasing', 'done'];
const FINAL_RUN = new Set(['done', 'halted', 'cancelled']);

const $ = (id) => document.getElementById(id);

/** Everything the page shows; written by fetch and feed handlers, read only by render(). */
const state = {
  token: null,
  generation: 0,
  nodes: [],
  autoscalers: [],
  deployments: [],
  /** newest last, at most MAX_EVENTS */
  events: [],
  lastSeq: 0,
  /** "ns/name" -> [{t, cpu, target}] in time order (server clock, ms) */
  series: new Map(),
  /** server clock minus this browser's clock, from the Date header */
  clockOffsetMs: 0,
  patchApi: 'unknown',
  /** run id -> {id, status, reason, order: [], nodes: Map(node -> {step, reason}), updated} */
  runs: new Map(),
  /** node -> latest patch step seen in events */
  nodePatch: new Map(),
  feed: { text: 'starting…', cls: 'pill-wait' },
  /** aborts the feed request in flight (sign-out, new token) */
  feedAbort: null,
  error: '',
  lastPoll: 0,
};

class Unauthorized extends Error {}

// ---------------------------------------------------------------- token

function tokenFromFragment() {
  const params = new URLSearchParams(location.hash.slice(1));
  const t = params.get('token');
  if (t) {
    sessionStorage.setItem(TOKEN_KEY, t);
    // Keep the token out of the address bar, history and anything copied from it.
    history.replaceState(null, '', location.pathname + location.search);
  }
  return sessionStorage.getItem(TOKEN_KEY);
}

function showLogin(message) {
  state.generation++;
  if (state.feedAbort) state.feedAbort.abort();
  state.token = null;
  sessionStorage.removeItem(TOKEN_KEY);
  $('main').hidden = true;
  $('sign-out').hidden = true;
  $('login').hidden = false;
  const err = $('login-error');
  err.hidden = !message;
  err.textContent = message || '';
  setFeed('signed out', 'pill-wait');
  $('token-input').focus();
}

function start(token) {
  state.token = token;
  const gen = ++state.generation;
  if (state.feedAbort) state.feedAbort.abort();
  $('login').hidden = true;
  $('main').hidden = false;
  $('sign-out').hidden = false;
  loadBacklog(gen).finally(() => runFeed(gen));
  pollLoop(gen);
  patchLoop(gen);
}

// ---------------------------------------------------------------- API

function noteServerClock(res) {
  const d = Date.parse(res.headers.get('date') || '');
  if (Number.isFinite(d)) state.clockOffsetMs = d - Date.now();
}

function serverNow() {
  return Date.now() + state.clockOffsetMs;
}

async function api(path) {
  const res = await fetch(path, { headers: { authorization: `Bearer ${state.token}`, accept: 'application/json' }, cache: 'no-store' });
  noteServerClock(res);
  if (res.status === 401 || res.status === 403) throw new Unauthorized();
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`);
  return res.json();
}

function handleError(err) {
  if (err instanceof Unauthorized) {
    showLogin('The server refused this token. Paste a viewer (or operator) token.');
    return;
  }
  state.error = String(err && err.message ? err.message : err);
  dirty();
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function pollLoop(gen) {
  while (gen === state.generation) {
    try {
      const [nodes, autoscalers, deployments] = await Promise.all([api('/v1/nodes'), api('/v1/autoscalers'), api('/v1/deployments')]);
      if (gen !== state.generation) return;
      state.nodes = Array.isArray(nodes) ? nodes : [];
      state.autoscalers = Array.isArray(autoscalers) ? autoscalers : [];
      state.deployments = Array.isArray(deployments) ? deployments : [];
      for (const a of state.autoscalers) pointFromAutoscaler(a);
      state.error = '';
      state.lastPoll = Date.now();
      dirty();
    } catch (err) {
      handleError(err);
    }
    await sleep(POLL_MS);
  }
}

async function patchLoop(gen) {
  while (gen === state.generation) {
    let wait = POLL_MS;
    try {
      const body = await api('/v1/patches');
      if (gen !== state.generation) return;
      if (body === null) {
        state.patchApi = 'absent';
        wait = PATCH_RETRY_MS; // an older aggregator without the patch API: look again now and then
      } else {
        state.patchApi = 'present';
        mergeRuns(Array.isArray(body) ? body : Array.isArray(body.runs) ? body.runs : [body]);
      }
      dirty();
    } catch (err) {
      handleError(err);
    }
    await sleep(wait);
  }
}

async function loadBacklog(gen) {
  try {
    const evs = await api(`/v1/events?tail=${BACKLOG_EVENTS}`);
    if (gen !== state.generation || !Array.isArray(evs)) return;
    for (const ev of evs) onEvent(ev);
  } catch (err) {
    handleError(err);
  }
}

// ---------------------------------------------------------------- feed (SSE over fetch)

function setFeed(text, cls) {
  state.feed = { text, cls };
  dirty();
}

async function runFeed(gen) {
  let backoff = 1000;
  while (gen === state.generation) {
    const ctl = new AbortController();
    state.feedAbort = ctl;
    let idle;
    const kick = () => {
      clearTimeout(idle);
      idle = setTimeout(() => ctl.abort(), FEED_IDLE_MS); // the server sends a keepalive every 15 s
    };
    try {
      kick();
      const res = await fetch(`/v1/feed?since=${state.lastSeq}`, {
        headers: { authorization: `Bearer ${state.token}`, accept: 'text/event-stream' },
        cache: 'no-store',
        signal: ctl.signal,
      });
      if (res.status === 401 || res.status === 403) throw new Unauthorized();
      if (!res.ok || !res.body) throw new Error(`HTTP ${res.status}`);
      setFeed('live', 'pill-live');
      backoff = 1000;
      const why = await readSse(res.body, gen, kick);
      setFeed(why ? `reconnecting (${why})` : 'reconnecting', 'pill-wait');
    } catch (err) {
      if (err instanceof Unauthorized) return handleError(err);
      if (gen !== state.generation) return;
      setFeed(`reconnecting (${ctl.signal.aborted ? 'idle' : String(err.message || err)})`, 'pill-bad');
    } finally {
      clearTimeout(idle);
      ctl.abort();
    }
    await sleep(backoff);
    backoff = Math.min(backoff * 2, 15_000);
  }
}

/** Reads SSE blocks until the stream ends; returns the server's reason when it closed us. */
async function readSse(body, gen, kick) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done || gen !== state.generation) return '';
    kick();
    buf += decoder.decode(value, { stream: true });
    let i;
    while ((i = buf.indexOf('\n\n')) >= 0) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      let data = '';
      let type = 'message';
      for (const line of block.split('\n')) {
        if (line.startsWith('data:')) data += (data ? '\n' : '') + line.slice(line[5] === ' ' ? 6 : 5);
        else if (line.startsWith('event:')) type = line.slice(6).trim();
      }
      if (!data) continue;
      let parsed;
      try {
        parsed = JSON.parse(data);
      } catch {
        continue;
      }
      if (type === 'error') return parsed.reason || 'closed by server';
      onEvent(parsed);
    }
  }
}

// ---------------------------------------------------------------- events → state

function onEvent(ev) {
  if (!ev || typeof ev.seq !== 'number' || ev.seq <= state.lastSeq) return;
  state.lastSeq = ev.seq;
  // Periodic summaries feed the charts; listing them would push every real event out of view.
  if (ev.type !== 'summary') {
    state.events.push(ev);
    if (state.events.length > MAX_EVENTS) state.events.splice(0, state.events.length - MAX_EVENTS);
  }
  const t = Date.parse(ev.time);
  switch (ev.type) {
    case 'scale.decision':
      if (typeof ev.cpuUtilizationPercent === 'number') addPoint(`${ev.namespace}/${ev.deployment}`, t, ev.cpuUtilizationPercent, ev.targetCPUUtilizationPercentage);
      break;
    case 'summary':
      // {deployments: [{namespace, name, cpuUtilizationPercent, targetCPUUtilizationPercentage, ...}], nodes, totals}
      for (const d of Array.isArray(ev.deployments) ? ev.deployments : []) {
        if (d && typeof d.cpuUtilizationPercent === 'number') addPoint(`${d.namespace}/${d.name}`, t, d.cpuUtilizationPercent, d.targetCPUUtilizationPercentage);
      }
      break;
    case 'patch.run': {
      const run = runFor(ev.run);
      run.status = ev.to;
      run.reason = ev.reason || '';
      run.updated = t;
      if (Array.isArray(ev.nodes)) {
        run.order = ev.nodes.slice();
        for (const n of ev.nodes) if (!run.nodes.has(n)) run.nodes.set(n, { step: 'pending', reason: '' });
      }
      break;
    }
    case 'patch.step': {
      const run = runFor(ev.run);
      run.updated = t;
      if (!run.order.includes(ev.node)) run.order.push(ev.node);
      run.nodes.set(ev.node, { step: ev.to, reason: ev.reason || '' });
      state.nodePatch.set(ev.node, ev.to);
      break;
    }
    default:
  }
  dirty();
}

function runFor(id) {
  let run = state.runs.get(id);
  if (!run) {
    run = { id, status: 'scheduled', reason: '', order: [], nodes: new Map(), updated: 0 };
    state.runs.set(id, run);
    if (state.runs.size > 20) state.runs.delete(state.runs.keys().next().value);
  }
  return run;
}

/**
 * GET /v1/patches: [{id, state (the run's status), reason, created, started, finished,
 * nodes: [{name, state (the node's step)}]}], newest first. Tolerates `status` / `run` / a node
 * map too, so an older or newer server still shows what it can.
 */
function mergeRuns(list) {
  for (const r of [...list].reverse()) { // oldest first, so the newest run has the last word on a node
    if (!r || typeof r !== 'object') continue;
    const id = r.id ?? r.run;
    if (typeof id !== 'string') continue;
    const run = runFor(id);
    const status = r.state ?? r.status;
    if (typeof status === 'string') run.status = status;
    if (typeof r.reason === 'string' || r.reason === null) run.reason = r.reason || '';
    const updated = Math.max(0, ...[r.finished, r.started, r.created].map((x) => Date.parse(x || '') || 0));
    run.updated = Math.max(run.updated, updated);
    const nodes = Array.isArray(r.nodes) ? r.nodes.map((n) => [n && (n.name ?? n.node), n]) : Object.entries(r.nodes ?? {});
    if (Array.isArray(r.nodes)) run.order = nodes.map(([name]) => name).filter((name) => typeof name === 'string');
    for (const [name, n] of nodes) {
      if (typeof name !== 'string') continue;
      const step = typeof n === 'string' ? n : n && (n.step ?? n.state);
      if (typeof step !== 'string') continue;
      const prev = run.nodes.get(name);
      run.nodes.set(name, { step, reason: (n && typeof n.reason === 'string' && n.reason) || (prev && prev.step === step ? prev.reason : '') });
      if (!run.order.includes(name)) run.order.push(name);
      state.nodePatch.set(name, step);
    }
  }
}

function pointFromAutoscaler(a) {
  const s = a.status || {};
  const cpu = s.currentCPUUtilizationPercentage;
  if (typeof cpu !== 'number') return;
  const t = Date.parse(s.lastEvaluated || '') || serverNow();
  const target = (a.effective && a.effective.targetCPUUtilizationPercentage) ?? (a.autoscaler && a.autoscaler.targetCPUUtilizationPercentage);
  addPoint(`${a.namespace}/${a.name}`, t, cpu, target);
}

function addPoint(key, t, cpu, target) {
  if (!Number.isFinite(t)) return;
  let s = state.series.get(key);
  if (!s) {
    s = [];
    state.series.set(key, s);
  }
  const last = s[s.length - 1];
  if (last && last.t === t) return; // same evaluation, seen twice (poll and feed)
  const p = { t, cpu, target: typeof target === 'number' ? target : last ? last.target : null };
  if (!last || t > last.t) s.push(p);
  else {
    let i = s.length - 1;
    while (i > 0 && s[i - 1].t > t) i--;
    if (s[i - 1] && s[i - 1].t === t) return;
    s.splice(i, 0, p);
  }
  const cutoff = t - CHART_WINDOW_MS - 10_000;
  let drop = 0;
  while (drop < s.length && s[drop].t < cutoff) drop++;
  if (s.length - drop > MAX_POINTS) drop = s.length - MAX_POINTS;
  if (drop) s.splice(0, drop);
}

// ---------------------------------------------------------------- rendering

let frame = 0;
function dirty() {
  if (!frame) frame = requestAnimationFrame(render);
}

function render() {
  frame = 0;
  const pill = $('feed-state');
  setText(pill, state.feed.text);
  if (pill.className !== `pill ${state.feed.cls}`) pill.className = `pill ${state.feed.cls}`;
  if (!state.token) return;
  renderSummary();
  renderDeployments();
  renderNodes();
  renderPatch();
  renderEvents();
}

/** Writes text only when it changed (no needless style recalculation). */
function setText(el, text) {
  if (el.textContent !== text) el.textContent = text;
}

function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function svg(tag, attrs) {
  const e = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, String(v));
  return e;
}

const fmt = (x, d = 2) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(d) : '–');
const pct = (x) => (typeof x === 'number' && Number.isFinite(x) ? `${Math.round(x)}%` : '–');

function renderSummary() {
  const connected = state.nodes.filter((n) => n.connected).length;
  const pods = state.nodes.reduce((a, n) => a + (n.pods || 0), 0);
  const text = `${connected}/${state.nodes.length} nodes connected · ${pods} pods measured · ${state.autoscalers.length} autoscalers` +
    (state.error ? ` · ${state.error}` : '');
  setText($('summary'), text);
}

// Deployments ---------------------------------------------------------------

const cards = new Map();

function renderDeployments() {
  const rules = new Map(state.autoscalers.map((a) => [`${a.namespace}/${a.name}`, a]));
  const deps = new Map(state.deployments.map((d) => [`${d.namespace}/${d.name}`, d]));
  const keys = [...new Set([...rules.keys(), ...deps.keys()])].sort((a, b) => (rules.has(b) - rules.has(a)) || a.localeCompare(b));
  const shown = keys.slice(0, MAX_CARDS);
  setText($('deploy-count'), keys.length > shown.length ? `(${shown.length} of ${keys.length})` : `(${keys.length})`);
  $('deploy-empty').hidden = keys.length > 0;
  const list = $('deploy-list');
  const keep = new Set(shown);
  for (const [k, c] of cards) if (!keep.has(k)) { c.root.remove(); cards.delete(k); }
  let prev = null;
  for (const key of shown) {
    let c = cards.get(key);
    if (!c) {
      c = makeCard(key);
      cards.set(key, c);
    }
    const want = prev ? prev.nextSibling : list.firstChild;
    if (want !== c.root) list.insertBefore(c.root, want);
    prev = c.root;
    updateCard(c, rules.get(key), deps.get(key), state.series.get(key) || []);
  }
}

function makeCard(key) {
  const root = el('article', 'card');
  root.dataset.key = key;
  const h = el('h3');
  const title = el('span', 'mono', key);
  const cpu = el('span', 'cpu-now');
  h.append(title, cpu);
  const facts = el('p', 'facts');
  const wrap = el('div', 'chart-wrap');
  // Y labels are HTML beside the SVG (the SVG stretches to its box, which would distort text);
  // grid lines sit at fixed fractions of the height so the labels need no positioning.
  const yLabels = el('div', 'y-labels');
  for (let i = 0; i < 4; i++) yLabels.append(el('span'));
  const chart = svg('svg', { class: 'chart', viewBox: `0 0 ${CHART_W} ${CHART_H}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': `CPU utilization of ${key} against its target` });
  for (let i = 0; i < 4; i++) {
    const y = (CHART_H * i) / 3;
    chart.append(svg('line', { class: 'grid', x1: 0, x2: CHART_W, y1: y, y2: y }));
  }
  const target = svg('polyline', { class: 'target', points: '' });
  const line = svg('polyline', { class: 'cpu', points: '' });
  chart.append(target, line);
  wrap.append(yLabels, chart);
  const legend = el('div', 'legend');
  const range = el('span', 'range');
  legend.append(el('span', 'cpu', 'CPU utilization'), el('span', 'target', 'target'), range);
  const noRule = el('p', 'no-rule', 'No autoscaler for this deployment.');
  root.append(h, facts, wrap, legend, noRule);
  return { root, cpu, facts, chart, yLabels, line, target, range, noRule, yMax: 0 };
}

function updateCard(c, rule, dep, series) {
  const st = (rule && rule.status) || {};
  const spec = (rule && (rule.effective || rule.autoscaler)) || {};
  if (c.root.classList.contains('has-rule') !== Boolean(rule)) c.root.classList.toggle('has-rule', Boolean(rule));
  setText(c.cpu, rule ? `${pct(st.currentCPUUtilizationPercentage)} / ${pct(spec.targetCPUUtilizationPercentage)}` : '');
  const parts = [];
  if (rule) parts.push(`replicas ${st.currentReplicas ?? '–'} → ${st.desiredReplicas ?? '–'} (min ${spec.minReplicas ?? '–'}, max ${spec.maxReplicas ?? '–'})`);
  if (dep) parts.push(`${dep.readyReplicas ?? '–'}/${dep.replicas ?? '–'} ready`);
  if (rule && st.message) parts.push(st.message);
  setText(c.facts, parts.join(' · '));
  if (!rule) return;
  drawChart(c, series);
}

function drawChart(c, series) {
  const end = Math.max(serverNow(), series.length ? series[series.length - 1].t : 0);
  const span = Math.min(CHART_WINDOW_MS, Math.max(CHART_MIN_SPAN_MS, series.length ? end - series[0].t : 0));
  const begin = end - span;
  setText(c.range, span >= CHART_WINDOW_MS ? 'last 5 min' : `last ${Math.ceil(span / 60_000)} min`);
  let top = 100;
  for (const p of series) {
    if (p.t < begin) continue;
    top = Math.max(top, p.cpu, p.target || 0);
  }
  // Three equal steps of a round size: 150 % (50 % steps), 300 %, 450 %, ...
  const yMax = Math.ceil((top * 1.1) / 150) * 150;
  if (yMax !== c.yMax) {
    c.yMax = yMax;
    [...c.yLabels.children].forEach((span, i) => { span.textContent = `${Math.round(yMax - (yMax * i) / 3)}%`; });
  }
  const x = (t) => (((t - begin) / span) * CHART_W).toFixed(1);
  const y = (v) => (CHART_H - (v / yMax) * CHART_H).toFixed(1);
  const cpu = [];
  const target = [];
  for (let i = 0; i < series.length; i++) {
    const p = series[i];
    const next = series[i + 1];
    if (p.t < begin && next && next.t < begin) continue;
    cpu.push(`${x(Math.max(p.t, begin))},${y(p.cpu)}`);
    if (typeof p.target === 'number') {
      // a step line: the target holds until the next point
      target.push(`${x(Math.max(p.t, begin))},${y(p.target)}`, `${next ? x(next.t) : x(end)},${y(p.target)}`);
    }
  }
  const cp = cpu.join(' ');
  const tp = target.join(' ');
  if (c.line.getAttribute('points') !== cp) c.line.setAttribute('points', cp);
  if (c.target.getAttribute('points') !== tp) c.target.setAttribute('points', tp);
  c.line.dataset.points = String(cpu.length);
}

// Nodes ------------------------------------------------------------------------

const nodeRows = new Map();

function renderNodes() {
  const nodes = state.nodes.slice(0, MAX_NODE_ROWS);
  const more = state.nodes.length - nodes.length;
  setText($('node-count'), `(${state.nodes.length})`);
  const moreEl = $('node-more');
  moreEl.hidden = more <= 0;
  if (more > 0) setText(moreEl, `…and ${more} more (the first ${MAX_NODE_ROWS} are shown)`);
  const body = $('node-rows');
  const keep = new Set(nodes.map((n) => n.name));
  for (const [name, r] of nodeRows) if (!keep.has(name)) { r.tr.remove(); nodeRows.delete(name); }
  let prev = null;
  for (const n of nodes) {
    let r = nodeRows.get(n.name);
    if (!r) {
      r = makeNodeRow(n.name);
      nodeRows.set(n.name, r);
    }
    const want = prev ? prev.nextSibling : body.firstChild;
    if (want !== r.tr) body.insertBefore(r.tr, want);
    prev = r.tr;
    const cores = n.cpuCores || n.allocatableCpuCores || 0;
    const used = n.cpuUsageCores;
    setText(r.agent, n.connected ? 'connected' : 'disconnected');
    const cls = n.connected ? 'up' : 'down';
    if (r.agent.className !== cls) r.agent.className = cls;
    if (cores > 0 && r.meter.max !== cores) r.meter.max = cores;
    const v = typeof used === 'number' ? used : 0;
    if (r.meter.value !== v) r.meter.value = v;
    setText(r.cpuText, `${fmt(used)} / ${cores || '–'}`);
    setText(r.pods, String(n.pods ?? 0));
    setText(r.kernel, n.kernelVersion || '–');
    r.kernel.title = [n.kernelVersion, n.osImage].filter(Boolean).join(' · ');
    setText(r.boot, (n.bootId || '').slice(0, 8) || '–');
    r.boot.title = n.bootId || '';
    setText(r.cordoned, n.unschedulable ? 'yes' : 'no');
    setText(r.patch, state.nodePatch.get(n.name) || '–');
  }
}

function makeNodeRow(name) {
  const tr = el('tr');
  tr.dataset.node = name;
  const nameTd = el('td', 'mono', name);
  nameTd.title = name;
  const agent = el('span');
  const agentTd = el('td');
  agentTd.append(agent);
  const cpuTd = el('td', 'cpu');
  const meter = el('meter');
  meter.min = 0;
  const cpuText = el('span');
  cpuTd.append(meter, cpuText);
  const pods = el('td', 'num');
  const kernel = el('td', 'mono');
  const boot = el('td', 'mono');
  const cordoned = el('td');
  const patch = el('td');
  tr.append(nameTd, agentTd, cpuTd, pods, kernel, boot, cordoned, patch);
  return { tr, agent, meter, cpuText, pods, kernel, boot, cordoned, patch };
}

// Patch run ------------------------------------------------------------------

let patchKey = '';

function renderPatch() {
  const runs = [...state.runs.values()];
  const active = runs.filter((r) => !FINAL_RUN.has(r.status)).sort((a, b) => b.updated - a.updated)[0];
  const run = active || runs.sort((a, b) => b.updated - a.updated)[0];
  const body = $('patch-body');
  if (!run) {
    const text = state.patchApi === 'absent' ? 'No patch run (this aggregator has no patch API yet).' : 'No patch run.';
    const key = `none:${text}`;
    if (patchKey !== key) {
      patchKey = key;
      body.replaceChildren(el('p', 'muted', text));
    }
    return;
  }
  const names = run.order.length ? run.order : [...run.nodes.keys()];
  const done = names.filter((n) => (run.nodes.get(n) || {}).step === 'done').length;
  const rows = names.slice(0, MAX_RUN_NODES).map((n) => [n, run.nodes.get(n) || { step: 'pending', reason: '' }]);
  const key = JSON.stringify([run.id, run.status, run.reason, rows.map(([n, s]) => [n, s.step, s.reason]), names.length]);
  if (key === patchKey) return;
  patchKey = key;
  const head = el('p', 'run-head');
  head.append(el('b', 'mono', run.id), document.createTextNode(` — ${run.status}${active ? '' : ' (last run)'} · ${done}/${names.length} nodes done${run.reason ? ` · ${run.reason}` : ''}`));
  const grid = el('div', 'run-nodes');
  for (const [name, s] of rows) {
    const bar = el('progress');
    bar.max = STEPS.length - 1;
    const i = STEPS.indexOf(s.step);
    bar.value = i < 0 ? STEPS.length - 1 : i;
    const step = el('span', `step-${s.step}`, s.step);
    step.title = s.reason;
    grid.append(el('span', 'mono', name), step, bar);
  }
  const parts = [head, grid];
  if (names.length > rows.length) parts.push(el('p', 'muted', `…and ${names.length - rows.length} more nodes`));
  body.replaceChildren(...parts);
}

// Events -------------------------------------------------------------------------

const eventItems = new Map();

function renderEvents() {
  const list = $('event-list');
  const keep = new Set(state.events.map((e) => e.seq));
  for (const [seq, li] of eventItems) if (!keep.has(seq)) { li.remove(); eventItems.delete(seq); }
  const fresh = document.createDocumentFragment();
  for (let i = state.events.length - 1; i >= 0; i--) {
    const ev = state.events[i];
    if (eventItems.has(ev.seq)) break; // events are in seq order: the rest are already shown
    const li = makeEventItem(ev);
    eventItems.set(ev.seq, li);
    fresh.append(li);
  }
  if (fresh.firstChild) list.prepend(fresh);
}

function makeEventItem(ev) {
  const li = el('li');
  li.dataset.seq = String(ev.seq);
  li.dataset.type = ev.type;
  const d = new Date(ev.time);
  const time = Number.isFinite(d.getTime()) ? d.toLocaleTimeString([], { hour12: false }) : '';
  const text = describe(ev);
  const textEl = el('span', 'text', text);
  textEl.title = text;
  li.append(el('span', 'time', time), el('span', `type ${typeClass(ev.type)}`, ev.type), textEl);
  return li;
}

function typeClass(type) {
  if (type.startsWith('scale.') || type.startsWith('autoscaler.')) return 't-scale';
  if (type === 'agent.rejected' || type === 'drain.blocked' || type === 'node.left' || type === 'command.refused') return 't-bad';
  if (type.startsWith('node.')) return 't-node';
  if (type.startsWith('patch.') || type.startsWith('command.')) return 't-patch';
  return '';
}

function describe(ev) {
  const dep = `${ev.namespace}/${ev.deployment}`;
  switch (ev.type) {
    case 'scale.decision':
      return `${dep}: ${ev.current ?? '–'} → ${ev.desired ?? '–'} replicas, CPU ${pct(ev.cpuUtilizationPercent)} / ${pct(ev.targetCPUUtilizationPercentage)}${ev.reason ? ` — ${ev.reason}` : ''}`;
    case 'autoscaler.changed':
      return `${dep} ${ev.action}${ev.minReplicas !== undefined ? ` (min ${ev.minReplicas}, max ${ev.maxReplicas}, target ${ev.targetCPUUtilizationPercentage}%)` : ''}`;
    case 'node.joined':
      return `${ev.node}${ev.kernelVersion ? ` kernel ${ev.kernelVersion}` : ''}${ev.reason ? ` — ${ev.reason}` : ''}`;
    case 'node.left':
      return `${ev.node} — ${ev.reason ?? ''}`;
    case 'node.rebooted':
      return `${ev.node}: boot ${String(ev.bootIdBefore ?? '').slice(0, 8)} → ${String(ev.bootId ?? '').slice(0, 8)}${ev.kernelVersion ? `, kernel ${ev.kernelVersion}` : ''}`;
    case 'patch.step':
      return `${ev.run} ${ev.node}: ${ev.from} → ${ev.to}${ev.reason ? ` — ${ev.reason}` : ''}`;
    case 'patch.run':
      return `${ev.run}: ${ev.from ?? 'new'} → ${ev.to}${ev.reason ? ` — ${ev.reason}` : ''}`;
    case 'command.sent':
      return `${ev.node}: command ${ev.commandId}${ev.reattach ? ' re-sent' : ' sent'}${ev.dryRun ? ' (dry run)' : ''}`;
    case 'command.finished':
      return `${ev.node}: command ${ev.state}${ev.rebooted ? ', rebooted' : ''}${ev.kernelVersion ? `, kernel ${ev.kernelVersion}` : ''}${ev.message ? ` — ${ev.message}` : ''}`;
    case 'command.refused':
      return `${ev.node}: command refused (${ev.reason})${ev.message ? ` — ${ev.message}` : ''}`;
    case 'drain.blocked':
      return `${ev.node}: ${ev.message ?? 'drain blocked'}`;
    case 'agent.rejected':
      return `${ev.node ?? ev.remote ?? '?'}: ${ev.reason}${ev.detail ? ` — ${ev.detail}` : ''}`;
    case 'deployment.changed':
      return `${dep} ${ev.change}: ${ev.previousReplicas !== undefined ? `${ev.previousReplicas} → ` : ''}${ev.replicas} replicas`;
    case 'pod.changed':
      return `${ev.namespace}/${ev.pod} ${ev.change}${ev.node ? ` on ${ev.node}` : ''}`;
    case 'api.write':
      return `${ev.method} ${ev.path} → ${ev.status} (${ev.caller ?? '?'})`;
    default: {
      const { seq: _s, time: _t, type: _ty, ...rest } = ev;
      const text = JSON.stringify(rest);
      return text.length > 200 ? `${text.slice(0, 200)}…` : text;
    }
  }
}

// ---------------------------------------------------------------- boot

$('login').addEventListener('submit', (e) => {
  e.preventDefault();
  const t = $('token-input').value.trim();
  if (!t) return;
  sessionStorage.setItem(TOKEN_KEY, t);
  $('token-input').value = '';
  start(t);
});
$('sign-out').addEventListener('click', () => showLogin(''));
window.addEventListener('hashchange', () => {
  const t = tokenFromFragment();
  if (t && t !== state.token) start(t);
});
// Charts slide with time even when nothing new arrives.
setInterval(() => { if (state.token) dirty(); }, 1000);

const initial = tokenFromFragment();
if (initial) start(initial);
else showLogin('');
