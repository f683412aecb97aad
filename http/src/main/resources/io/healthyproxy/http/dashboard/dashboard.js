// HealthyProxy dashboard: reads /status and /timeline every second and shows them.
//
// Why polling, not server-sent events: the admin listener stays stateless (no connection held open per viewer on
// the one admin event loop, which must answer while the proxy is saturated), a page survives a proxy restart by
// simply asking again, and rates come from two readings of the totals whichever way they are delivered. Two small
// requests a second per open page cost nothing measurable.
//
// Everything from the server is put on the page as text (textContent), never as markup: a backend's name or a
// health check's detail cannot inject anything, and the Content-Security-Policy forbids inline script anyway.

import { drawTimeline, drawTraffic, seriesStyle } from '/charts.js';

const POLL_MS = 1000;
/** The traffic chart's history: two minutes of readings. */
const HISTORY_MS = 120000;
/** The timeline's width: five minutes, or since the proxy started if that is shorter (at least 30 s). */
const TIMELINE_MS = 300000;
const MIN_SPAN_MS = 30000;

const CIRCUIT_WORDS = { closed: 'closed', half_open: 'half-open', open: 'open' };

/** Per backend ("cluster/backend"): readings of the totals, [{ t, requests, failures, rate, errorRate }]. */
const history = new Map();
let lastUptime = -1;
let firstReadingAt = null;
let updates = 0;

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null) continue;
    if (k === 'class') node.className = v;
    else if (k.startsWith('data-')) node.setAttribute(k, v);
    else node[k] = v;
  }
  for (const c of children) {
    if (c === null || c === undefined) continue;
    node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

function badge(cls, word) {
  return el('span', { class: `badge ${cls}` }, word);
}

function detail(text) {
  return text ? el('span', { class: 'detail' }, text) : null;
}

function seconds(ms) {
  return ms >= 10000 ? `${Math.round(ms / 1000)} s` : `${(ms / 1000).toFixed(1)} s`;
}

function duration(ms) {
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor(s / 60) % 60} min`;
}

function counted(n, word) {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function clock(agoMs) {
  return new Date(Date.now() - agoMs).toLocaleTimeString([], { hour12: false });
}

function number(v) {
  return v >= 100 ? v.toFixed(0) : v.toFixed(1);
}

async function get(path) {
  const response = await fetch(path, { cache: 'no-store', credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (response.status === 401) {
    const denied = new Error('not authorised');
    denied.denied = true;
    throw denied;
  }
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
}

function freshness(state, text) {
  const node = document.getElementById('freshness');
  node.dataset.state = state;
  node.textContent = text;
}

/** Adds this reading's totals to each backend's history; a proxy that restarted starts the history afresh. */
function remember(status) {
  const now = status.proxy.uptimeMs;
  if (now < lastUptime) {
    history.clear();
    firstReadingAt = null;
  }
  lastUptime = now;
  if (firstReadingAt === null) firstReadingAt = now;
  for (const cluster of status.clusters) {
    for (const b of cluster.backends) {
      const key = `${cluster.name}/${b.name}`;
      const readings = history.get(key) || [];
      const previous = readings[readings.length - 1];
      const reading = { t: now, requests: b.requestsTotal, failures: b.failuresTotal, rate: null, errorRate: null };
      if (previous && now > previous.t) {
        const dt = (now - previous.t) / 1000;
        reading.rate = Math.max(0, b.requestsTotal - previous.requests) / dt;
        reading.errorRate = Math.max(0, b.failuresTotal - previous.failures) / dt;
      }
      readings.push(reading);
      while (readings.length && readings[0].t < now - HISTORY_MS) readings.shift();
      history.set(key, readings);
    }
  }
}

function latest(key) {
  const readings = history.get(key) || [];
  return readings[readings.length - 1];
}

function circuitCell(b) {
  const notes = [];
  if (b.state === 'open' && b.openRemainingMs > 0) notes.push(`trial in ${seconds(b.openRemainingMs)} at the latest`);
  if (b.state === 'closed' && b.consecutiveFailures > 0) notes.push(`${b.consecutiveFailures} failures in a row`);
  if (b.timesOpened > 0) notes.push(`opened ${b.timesOpened}×`);
  return el('td', { class: 'circuit', 'data-state': b.state },
    badge(b.state, CIRCUIT_WORDS[b.state] || b.state), detail(notes.join(' · ')));
}

function healthCell(b) {
  const c = b.lastCheck;
  const text = c.result === 'none yet' ? 'no check yet'
    : `last check ${c.result}${c.result === 'failed' ? `: ${c.detail}` : ''}, ${number(c.latencyMs)} ms, ${seconds(c.agoMs)} ago`;
  const verdict = b.healthy ? 'healthy' : 'unhealthy';
  return el('td', { class: 'health', 'data-state': verdict },
    badge(verdict, b.healthy ? 'passing' : 'failing'), detail(text));
}

function ejectionCell(b) {
  if (!b.ejected) return el('td', { class: 'ejection', 'data-state': 'none' }, badge('none', 'no'));
  return el('td', { class: 'ejection', 'data-state': 'ejected' }, badge('ejected', 'ejected'),
    detail(`${b.ejected.reason}; back in ${seconds(b.ejected.remainingMs)}`));
}

function backendRow(cluster, b) {
  const r = latest(`${cluster.name}/${b.name}`);
  const rate = r && r.rate !== null ? number(r.rate) : '…';
  const errors = r && r.errorRate !== null ? r.errorRate : null;
  const errorCell = el('td', { class: `num errors${errors > 0 ? ' errors-some' : ''}` },
    errors === null ? '…' : number(errors),
    errors > 0 && r.rate > 0 ? detail(`${Math.round(100 * errors / r.rate)}% of requests`) : null,
    detail(`${b.failuresTotal} in all`));
  return el('tr', { class: b.admitting ? '' : 'out', 'data-backend': b.name, 'data-cluster': cluster.name },
    el('th', { scope: 'row' }, b.name, el('span', { class: 'address' }, b.address)),
    el('td', { class: 'traffic', 'data-state': b.admitting ? 'yes' : 'no' },
      badge(b.admitting ? 'yes' : 'no', b.admitting ? 'takes traffic' : 'no traffic'),
      b.reason ? el('span', { class: 'detail reason' }, b.reason) : null),
    circuitCell(b), healthCell(b), ejectionCell(b),
    el('td', { class: 'num rate' }, rate, detail(`${b.requestsTotal} in all`)),
    errorCell,
    el('td', { class: 'num latency' }, b.latencyMs.samples > 0 ? `${number(b.latencyMs.p50)} / ${number(b.latencyMs.p99)}` : '—',
      detail(`${b.latencyMs.samples} answers`)),
    el('td', { class: 'num' }, b.inFlight));
}

function clusterCard(cluster, spanMs, nowMs) {
  const head = el('tr', {}, ...['Backend', 'Traffic', 'Circuit', 'Health checks', 'Slowness'].map(h => el('th', { scope: 'col' }, h)),
    ...['Requests/s', 'Errors/s', 'Latency p50 / p99 (ms)', 'In flight'].map(h => el('th', { scope: 'col', class: 'num' }, h)));
  const table = el('table', { class: 'backends' },
    el('caption', { class: 'sr-only' }, `Backends of cluster ${cluster.name}`),
    el('thead', {}, head), el('tbody', {}, ...cluster.backends.map(b => backendRow(cluster, b))));
  const chart = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  chart.setAttribute('class', 'chart traffic');
  chart.setAttribute('role', 'img');
  chart.setAttribute('aria-label', `Requests per second to each backend of cluster ${cluster.name}, last ${Math.round(spanMs / 1000)} seconds`);
  const key = el('ul', { class: 'series-key' }, ...cluster.backends.map((b, i) => {
    const style = seriesStyle(i);
    const swatch = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    swatch.setAttribute('width', '22');
    swatch.setAttribute('height', '8');
    const line = document.createElementNS('http://www.w3.org/2000/svg', 'line');
    for (const [k, v] of Object.entries({ x1: 0, x2: 22, y1: 4, y2: 4, stroke: style.colour, 'stroke-width': 3 })) line.setAttribute(k, v);
    if (style.dash) line.setAttribute('stroke-dasharray', style.dash);
    swatch.appendChild(line);
    return el('li', {}, swatch, b.name);
  }));
  const figure = el('figure', {}, chart,
    el('figcaption', {}, `Requests per second to each backend (answers with a verdict: successes and failures), last ${Math.round(spanMs / 1000)} s.`), key);
  const card = el('section', { class: 'card cluster', 'data-cluster': cluster.name },
    el('h2', {}, 'Cluster ', el('code', {}, cluster.name), ' ',
      el('span', { class: 'muted' }, `${cluster.backends.filter(b => b.admitting).length} of ${cluster.backends.length} backends take traffic`)),
    el('p', { class: 'cluster-facts' }, `hedge delay ${number(cluster.hedgeDelayMs)} ms · retries in flight ${cluster.retriesInFlight} · `
      + `retries refused by the budget ${cluster.retryBudgetExhausted}`),
    el('div', { class: 'cluster-body' }, table, figure));
  return { card, draw: () => drawTraffic(chart, cluster.backends.map(b => ({
    name: b.name,
    points: (history.get(`${cluster.name}/${b.name}`) || []).filter(r => r.rate !== null).map(r => ({ t: r.t, rate: r.rate })),
  })), nowMs, spanMs) };
}

/** A band's spans from the events that changed it, oldest first; before the first one the state was its "from". */
function spans(changes, current, originMs, nowMs, label) {
  const out = [];
  let state = changes.length ? changes[0].from : current;
  let start = originMs;
  let why = 'since the proxy started (or before the oldest event kept)';
  for (const e of changes) {
    out.push({ start, end: e.atMs, state, title: `${label}: ${state} — ${why}` });
    state = e.to;
    start = e.atMs;
    why = `${e.text} (${clock(nowMs - e.atMs)})`;
  }
  out.push({ start, end: nowMs, state: current, title: `${label}: ${current} — ${why}` });
  return out;
}

function lanesOf(status, timeline) {
  const now = timeline.uptimeMs;
  const several = status.clusters.length > 1;
  const lanes = [];
  for (const cluster of status.clusters) {
    for (const b of cluster.backends) {
      const mine = timeline.events.filter(e => e.cluster === cluster.name && e.backend === b.name)
        .sort((a, c) => a.atMs - c.atMs || a.sequence - c.sequence);
      const label = several ? `${cluster.name} / ${b.name}` : b.name;
      lanes.push({
        label,
        circuit: spans(mine.filter(e => e.kind === 'circuit'), b.state, 0, now, `${label} circuit`),
        health: spans(mine.filter(e => e.kind === 'health'), b.healthy ? 'healthy' : 'unhealthy', 0, now, `${label} health`),
        ejections: mine.filter(e => e.kind === 'ejection').map(e => ({
          start: e.atMs, end: Math.min(now, e.atMs + (e.lengthMs || 0)), state: 'ejected', title: `${label}: ${e.text}`,
        })),
      });
    }
  }
  return lanes;
}

function eventItem(e, several) {
  const word = e.kind === 'circuit' ? CIRCUIT_WORDS[e.to] : e.kind === 'health' ? (e.to === 'healthy' ? 'passing' : 'failing') : 'ejected';
  return el('li', { 'data-kind': e.kind, 'data-backend': e.backend, 'data-to': e.to },
    el('time', {}, clock(e.agoMs)),
    el('span', { class: 'who' }, several ? `${e.cluster} / ${e.backend}` : e.backend),
    badge(e.to, word),
    el('span', {}, e.text));
}

function render(status, timeline) {
  remember(status);
  const p = status.proxy;
  document.getElementById('proxy').textContent = `proxy on ${p.listen} (${p.transport}) · up ${duration(p.uptimeMs)} · `
    + `${counted(p.clientConnections, 'client connection')} · ${counted(p.activeRequests, 'request')} under way`
    + `${p.draining ? ' · DRAINING' : ''}`;

  const nowMs = p.uptimeMs;
  const trafficSpan = Math.min(HISTORY_MS, Math.max(MIN_SPAN_MS, nowMs - firstReadingAt));
  const cards = status.clusters.map(c => clusterCard(c, trafficSpan, nowMs));
  document.getElementById('clusters').replaceChildren(...cards.map(c => c.card));
  cards.forEach(c => c.draw());

  const timelineSpan = Math.min(TIMELINE_MS, Math.max(MIN_SPAN_MS, timeline.uptimeMs));
  document.getElementById('timeline-span').textContent = `(last ${duration(timelineSpan)})`;
  drawTimeline(document.getElementById('timeline'), lanesOf(status, timeline), timeline.uptimeMs, timelineSpan);
  const several = status.clusters.length > 1;
  const newest = timeline.events.slice(-30).reverse();
  document.getElementById('events').replaceChildren(...(newest.length ? newest.map(e => eventItem(e, several))
    : [el('li', { class: 'empty' }, 'Nothing has happened yet: every circuit closed, every backend passing its checks.')]));

  updates += 1;
  document.body.dataset.updates = String(updates);
}

async function poll() {
  const started = performance.now();
  try {
    const [status, timeline] = await Promise.all([get('/status'), get('/timeline')]);
    render(status, timeline);
    freshness('live', `live · updated ${new Date().toLocaleTimeString([], { hour12: false })}`);
  } catch (e) {
    if (e.denied) {
      freshness('denied', 'not authorised: reload the page to log in again');
    } else {
      freshness('stale', `cannot reach the proxy (${e.message}); trying again every second`);
    }
  }
  setTimeout(poll, Math.max(0, POLL_MS - (performance.now() - started)));
}

poll();
