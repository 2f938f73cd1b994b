// Small inline SVG charts, drawn by hand (no library): a sparkline of recent run durations for
// the flights list, and time-series charts (durations, rows loaded) for a flight. Every chart
// has role="img" with a text summary, and every mark a <title>, so the numbers are not
// only visual.

import { h, s } from './dom.js';
import { duration, statusName, utc, parseTime, count, rowsLoaded } from './format.js';

/**
 * Bars of the last runs' durations, oldest left. `runs`: [{status, duration_sec, created_at,
 * run_number}] in any order.
 */
export function sparkBars(runs, { width = 120, height = 28 } = {}) {
  const ordered = [...runs].sort((a, b) => timeOf(a) - timeOf(b));
  const values = ordered.map((run) => numberOrNull(run.duration_sec));
  const known = values.filter((v) => v !== null);
  if (ordered.length === 0) return h('span', { class: 'muted' }, 'no runs');

  const max = Math.max(...known, 0.001);
  const slots = Math.max(ordered.length, 10);
  const gap = 2;
  const barWidth = Math.max(2, (width - gap * (slots - 1)) / slots);
  const summary = known.length
    ? `Durations of the last ${ordered.length} runs: shortest ${duration(Math.min(...known))}, longest ${duration(Math.max(...known))}, latest ${duration(values[values.length - 1])}.`
    : `${ordered.length} runs, none with a duration yet.`;

  const svg = s('svg', { class: 'spark', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': summary });
  svg.appendChild(s('title', {}, summary));
  // A faint baseline gives a lone bar something to stand on.
  svg.appendChild(s('line', { x1: 0, x2: width, y1: height - 0.5, y2: height - 0.5, class: 'axis' }));
  ordered.forEach((run, index) => {
    const value = values[index];
    // Runs without a duration (pending) still get a stub so the count reads right.
    const barHeight = value === null ? 2 : Math.max(2, (value / max) * (height - 2));
    const x = (slots - ordered.length + index) * (barWidth + gap);
    svg.appendChild(
      s(
        'rect',
        { x: x.toFixed(1), y: (height - barHeight).toFixed(1), width: barWidth.toFixed(1), height: barHeight.toFixed(1), rx: 1, class: `mark status-${statusName(run.status).toLowerCase()}` },
        s('title', {}, `Run ${run.run_number ?? ''}: ${statusName(run.status)}, ${duration(value)}`),
      ),
    );
  });
  return svg;
}

/**
 * A chart over time that redraws at its container's width (so text stays legible on a phone).
 * points: [{t: Date, v: number|null, status?, label}]; kind: 'line' (dots joined) or 'bars'.
 * Returns the container element.
 */
export function timeChart({ points, kind = 'line', title, formatValue = String, height = 180, emptyText = 'No data yet.' }) {
  const figure = h('figure', { class: 'chart' }, h('figcaption', {}, title));
  const usable = points.filter((p) => p.t && p.v !== null && p.v !== undefined && !Number.isNaN(p.v));
  if (usable.length === 0) {
    figure.appendChild(h('p', { class: 'muted chart-empty' }, emptyText));
    return figure;
  }
  const holder = h('div', { class: 'chart-canvas' });
  figure.appendChild(holder);

  let lastWidth = 0;
  const draw = () => {
    const width = Math.max(260, Math.floor(holder.clientWidth || 600));
    if (width === lastWidth) return;
    lastWidth = width;
    holder.replaceChildren(drawTimeChart(usable, { width, height, kind, title, formatValue }));
  };
  // Draw once attached; redraw when the available width changes.
  if (typeof ResizeObserver === 'function') new ResizeObserver(draw).observe(holder);
  requestAnimationFrame(draw);
  return figure;
}

// Runs are spaced evenly in time order (not proportionally to time): runs started seconds apart
// would otherwise pile into one column. The axis labels give the times of the first, middle and
// last runs.
function drawTimeChart(points, { width, height, kind, title, formatValue }) {
  const margin = { top: 10, right: 12, bottom: 26, left: 64 };
  const innerW = width - margin.left - margin.right;
  const innerH = height - margin.top - margin.bottom;
  const sorted = [...points].sort((a, b) => a.t - b.t);
  const n = sorted.length;
  const maxValue = niceCeiling(Math.max(...sorted.map((p) => p.v), 0));

  const slot = innerW / n;
  const x = (index) => margin.left + slot * (index + 0.5);
  const y = (v) => margin.top + innerH - (maxValue === 0 ? 0 : (v / maxValue) * innerH);

  const values = sorted.map((p) => p.v);
  const summary = `${title}: ${n} run${n === 1 ? '' : 's'} from ${utc(sorted[0].t)} to ${utc(sorted[n - 1].t)}; lowest ${formatValue(Math.min(...values))}, highest ${formatValue(Math.max(...values))}, latest ${formatValue(values[n - 1])}.`;
  const svg = s('svg', { width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': summary });
  svg.appendChild(s('title', {}, summary));

  // Horizontal grid lines with value labels: 0, half, max.
  for (const fraction of [0, 0.5, 1]) {
    const value = maxValue * fraction;
    const gy = y(value);
    svg.appendChild(s('line', { x1: margin.left, x2: width - margin.right, y1: gy, y2: gy, class: fraction === 0 ? 'axis' : 'grid' }));
    svg.appendChild(s('text', { x: margin.left - 6, y: gy + 4, 'text-anchor': 'end', class: 'tick' }, formatValue(value)));
  }
  // Time labels under the first and last runs (and the middle one when there is room); a label
  // equal to its neighbour is left out.
  const labelled = n === 1 ? [0] : [0, n - 1];
  if (n > 2 && innerW > 420) labelled.splice(1, 0, Math.floor((n - 1) / 2));
  let previous = '';
  labelled.forEach((index, i) => {
    const text = shortUTC(sorted[index].t);
    if (text === previous) return;
    previous = text;
    const anchor = labelled.length === 1 ? 'middle' : i === 0 ? 'start' : i === labelled.length - 1 ? 'end' : 'middle';
    const at = anchor === 'start' ? margin.left : anchor === 'end' ? width - margin.right : x(index);
    svg.appendChild(s('text', { x: at, y: height - 6, 'text-anchor': anchor, class: 'tick' }, text));
  });

  if (kind === 'bars') {
    const barWidth = Math.max(2, Math.min(24, slot * 0.7));
    sorted.forEach((p, index) => {
      const top = y(p.v);
      svg.appendChild(
        s('rect', { x: (x(index) - barWidth / 2).toFixed(1), y: top.toFixed(1), width: barWidth.toFixed(1), height: Math.max(1, margin.top + innerH - top).toFixed(1), rx: 1.5, class: 'mark bar' },
          s('title', {}, `${p.label}, ${utc(p.t)}: ${formatValue(p.v)}`)),
      );
    });
  } else {
    const path = sorted.map((p, i) => `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(p.v).toFixed(1)}`).join(' ');
    svg.appendChild(s('path', { d: path, class: 'line' }));
    sorted.forEach((p, index) => {
      svg.appendChild(
        s('circle', { cx: x(index).toFixed(1), cy: y(p.v).toFixed(1), r: n > 60 ? 2.5 : 3.5, class: `mark dot status-${statusName(p.status).toLowerCase()}` },
          s('title', {}, `${p.label}, ${utc(p.t)}: ${formatValue(p.v)} (${statusName(p.status)})`)),
      );
    });
  }
  return svg;
}

/** Chart points for a list of runs: duration per run. */
export function durationPoints(runs) {
  return runs.map((run) => ({
    t: parseTime(run.started_at ?? run.created_at),
    v: numberOrNull(run.duration_sec),
    status: run.status,
    label: `Run ${run.run_number}`,
  }));
}

/** Chart points for a list of runs: rows loaded per run (runs without LoadInfo are left out). */
export function rowsPoints(runs) {
  return runs.map((run) => ({
    t: parseTime(run.ended_at ?? run.created_at),
    v: rowsLoaded(run),
    status: run.status,
    label: `Run ${run.run_number}`,
  }));
}

export const formatRows = (v) => count(Math.round(v));

function shortUTC(date) {
  const pad = (n) => String(n).padStart(2, '0');
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  return `${pad(date.getUTCDate())} ${months[date.getUTCMonth()]} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}`;
}

// 1, 2, 5 × 10^n at or above `value`, so the top grid line has a round label.
function niceCeiling(value) {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) {
    if (step * magnitude >= value) return step * magnitude;
  }
  return 10 * magnitude;
}

function numberOrNull(value) {
  if (value === null || value === undefined || value === '') return null;
  const number = Number(value);
  return Number.isNaN(number) ? null : number;
}

function timeOf(run) {
  return parseTime(run.created_at)?.getTime() ?? run.run_number ?? 0;
}
