// HealthyProxy dashboard: the two hand-drawn SVG charts (traffic per backend, timeline of states). Pure drawing:
// dashboard.js works out what to draw. Times are milliseconds on the proxy's clock (uptime), so the page needs
// no clock of its own to agree with the server's.

const NS = 'http://www.w3.org/2000/svg';
/** Line colours for backends: dark enough for 3:1 on white, none of them the state colours (green/amber/red/purple). */
const PALETTE = ['#0969da', '#bf3989', '#1b7c83', '#953800', '#424a53', '#0a3069'];
/** After six backends the colours repeat with another dash pattern. */
const DASHES = ['', '7 3', '2 3'];

export function seriesStyle(index) {
  return { colour: PALETTE[index % PALETTE.length], dash: DASHES[Math.floor(index / PALETTE.length) % DASHES.length] };
}

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v !== undefined && v !== '') node.setAttribute(k, v);
  }
  if (text !== undefined) node.textContent = text;
  return node;
}

function titled(node, title) {
  node.appendChild(svg('title', {}, title));
  return node;
}

/** The smallest 1, 2 or 5 × 10^k at or above v (and at least 1): a y-axis top that reads well. */
export function niceMax(v) {
  if (!(v > 1)) return 1;
  const magnitude = Math.pow(10, Math.floor(Math.log10(v)));
  for (const step of [1, 2, 5, 10]) {
    if (step * magnitude >= v) return step * magnitude;
  }
  return 10 * magnitude;
}

/** "now", "30 s ago", "2 min ago". */
function ago(ms) {
  if (ms <= 0) return 'now';
  return ms % 60000 === 0 ? `${ms / 60000} min ago` : `${Math.round(ms / 1000)} s ago`;
}

/** Ticks for a span: at most about six, on round numbers of seconds. */
function timeTicks(spanMs) {
  const step = [5000, 10000, 15000, 30000, 60000, 120000].find(s => spanMs / s <= 6) || 300000;
  const ticks = [];
  for (let back = 0; back <= spanMs; back += step) ticks.push(back);
  return ticks;
}

function sizeOf(node, height) {
  const width = Math.max(320, Math.round(node.clientWidth || node.parentNode.clientWidth || 800));
  node.setAttribute('viewBox', `0 0 ${width} ${height}`);
  node.setAttribute('height', height);
  node.replaceChildren();
  return width;
}

function timeAxis(node, x, top, bottom, spanMs) {
  for (const back of timeTicks(spanMs)) {
    const px = x(-back);
    node.appendChild(svg('line', { class: 'grid', x1: px, x2: px, y1: top, y2: bottom }));
    node.appendChild(svg('text', { x: px, y: bottom + 14, 'text-anchor': back === 0 ? 'end' : 'middle' }, ago(back)));
  }
}

/**
 * Requests per second of each backend over time.
 * series: [{ name, points: [{ t, rate }] }] with t in uptime ms; nowMs: the latest reading; spanMs: the width.
 */
export function drawTraffic(node, series, nowMs, spanMs) {
  const height = 170;
  const width = sizeOf(node, height);
  const left = 44, right = 10, top = 10, bottom = height - 24;
  const max = niceMax(Math.max(0, ...series.flatMap(s => s.points.map(p => p.rate))));
  const x = back => left + (width - left - right) * (1 + back / spanMs);
  const xt = t => x(t - nowMs);
  const y = v => bottom - (bottom - top) * (v / max);
  timeAxis(node, x, top, bottom, spanMs);
  for (const v of [0, max / 2, max]) {
    node.appendChild(svg('line', { class: v === 0 ? 'axis' : 'grid', x1: left, x2: width - right, y1: y(v), y2: y(v) }));
    node.appendChild(svg('text', { x: left - 6, y: y(v) + 4, 'text-anchor': 'end' }, String(v)));
  }
  node.appendChild(svg('text', { x: left + 6, y: top + 12, 'text-anchor': 'start' }, 'requests/s'));
  series.forEach((s, i) => {
    const shown = s.points.filter(p => p.t >= nowMs - spanMs);
    if (shown.length === 0) return;
    const style = seriesStyle(i);
    const d = shown.map((p, j) => `${j === 0 ? 'M' : 'L'}${xt(p.t).toFixed(1)},${y(p.rate).toFixed(1)}`).join(' ');
    node.appendChild(titled(svg('path', { class: 'series', d, stroke: style.colour, 'stroke-dasharray': style.dash,
      'data-backend': s.name }), `${s.name}: ${shown[shown.length - 1].rate.toFixed(1)} requests/s now`));
  });
}

/**
 * One lane per backend, three bands each: circuit state, health verdict, ejections.
 * lanes: [{ label, circuit: [span], health: [span], ejections: [span] }] with span = { start, end, state, title };
 * nowMs: the latest reading (uptime ms); spanMs: the width.
 */
export function drawTimeline(node, lanes, nowMs, spanMs) {
  const laneHeight = 34;
  const top = 4;
  const height = top + lanes.length * laneHeight + 22;
  const width = sizeOf(node, height);
  const left = 120, right = 10, bottom = height - 22;
  const x = t => left + (width - left - right) * (1 + (t - nowMs) / spanMs);
  timeAxis(node, back => x(nowMs + back), top, bottom, spanMs);
  lanes.forEach((lane, i) => {
    const y0 = top + i * laneHeight;
    const g = svg('g', { 'data-lane': lane.label });
    g.appendChild(svg('text', { class: 'lane-label', x: left - 8, y: y0 + 13, 'text-anchor': 'end' }, lane.label));
    const band = (spans, y, h) => {
      for (const s of spans) {
        const x1 = x(Math.max(s.start, nowMs - spanMs));
        const x2 = x(Math.min(s.end, nowMs));
        if (x2 <= x1) continue;
        g.appendChild(titled(svg('rect', { class: s.state, x: x1.toFixed(1), y, width: Math.max(1, x2 - x1).toFixed(1),
          height: h, 'data-state': s.state }), s.title));
      }
    };
    band(lane.circuit, y0 + 2, 14);
    band(lane.health, y0 + 18, 5);
    band(lane.ejections, y0 + 25, 5);
    node.appendChild(g);
  });
}
