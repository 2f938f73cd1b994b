// Times, durations, numbers and run statuses as people read them. Times are always shown in UTC
// (schedules are UTC too) with a relative hint ("in 3 h", "5 min ago").

import { h } from './dom.js';

const pad = (n) => String(n).padStart(2, '0');

/** Parses an API timestamp; null for null/invalid. */
export function parseTime(value) {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "2026-11-30 07:15 UTC" (seconds with `seconds: true`). */
export function utc(value, { seconds = false } = {}) {
  const date = value instanceof Date ? value : parseTime(value);
  if (!date) return '—';
  const day = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}${seconds ? ':' + pad(date.getUTCSeconds()) : ''}`;
  return `${day} ${time} UTC`;
}

/** "in 3 h", "5 min ago", "just now", relative to `now`. */
export function relative(value, now = Date.now()) {
  const date = value instanceof Date ? value : parseTime(value);
  if (!date) return '';
  const delta = (date.getTime() - now) / 1000;
  const magnitude = Math.abs(delta);
  if (magnitude < 45) return delta >= 0 ? 'in a moment' : 'just now';
  let amount;
  if (magnitude < 3600) amount = `${Math.round(magnitude / 60)} min`;
  else if (magnitude < 86400) amount = `${roundTo(magnitude / 3600)} h`;
  else if (magnitude < 86400 * 60) amount = `${roundTo(magnitude / 86400)} d`;
  else amount = `${Math.round(magnitude / (86400 * 30))} mo`;
  return delta >= 0 ? `in ${amount}` : `${amount} ago`;
}

// One decimal below 10 ("1.5 h"), whole numbers above ("14 h").
function roundTo(value) {
  return value < 10 ? String(Math.round(value * 10) / 10) : String(Math.round(value));
}

/**
 * A <time> element: UTC text plus the relative hint. The hint is refreshed every 30 s by
 * refreshRelativeTimes(), so "in 3 min" does not go stale on a page left open.
 */
export function timeEl(value, { seconds = false, relativeHint = true } = {}) {
  const date = parseTime(value);
  if (!date) return h('span', { class: 'muted' }, '—');
  const hint = relativeHint ? h('span', { class: 'relative', dataset: { at: date.toISOString() } }, relative(date)) : null;
  return h('time', { datetime: date.toISOString(), title: date.toISOString() }, utc(date, { seconds }), hint ? ' ' : null, hint);
}

export function refreshRelativeTimes(root = document) {
  const now = Date.now();
  for (const span of root.querySelectorAll('span.relative[data-at]')) {
    span.textContent = relative(span.dataset.at, now);
  }
}

/** "850 ms", "12.3 s", "3 m 05 s", "2 h 03 m": two units at most, as the CLI writes them. */
export function duration(seconds) {
  if (seconds === null || seconds === undefined || Number.isNaN(Number(seconds))) return '—';
  const value = Math.max(0, Number(seconds));
  if (value < 1) return `${Math.round(value * 1000)} ms`;
  if (value < 60) return `${value.toFixed(1)} s`;
  const whole = Math.round(value);
  const minutes = Math.floor(whole / 60);
  const hours = Math.floor(whole / 3600);
  const days = Math.floor(whole / 86400);
  if (hours === 0) return `${minutes} m ${pad(whole % 60)} s`;
  if (days === 0) return `${hours} h ${pad(minutes % 60)} m`;
  return `${days} d ${pad(hours % 24)} h`;
}

/** Seconds a run took (or has taken so far); null before it started. */
export function runDuration(run, now = Date.now()) {
  if (run.duration_sec !== undefined && run.duration_sec !== null) return Number(run.duration_sec);
  const started = parseTime(run.started_at);
  if (!started) return null;
  const ended = parseTime(run.ended_at ?? run.finished_at);
  return ((ended ? ended.getTime() : now) - started.getTime()) / 1000;
}

const integerFormat = new Intl.NumberFormat('en-US');
export function count(value) {
  if (value === null || value === undefined) return '—';
  return integerFormat.format(Number(value));
}

export function bytes(value) {
  if (value === null || value === undefined) return '—';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let amount = Number(value);
  let unit = 0;
  while (amount >= 1024 && unit < units.length - 1) {
    amount /= 1024;
    unit += 1;
  }
  return `${unit === 0 ? amount : amount.toFixed(1)} ${units[unit]}`;
}

// ---- run status ------------------------------------------------------------------------------

// The API may write a status as "SUCCEEDED" or as the SQL surface's "RUN_STATUS_SUCCEEDED".
export function statusName(status) {
  return String(status ?? 'UNKNOWN').replace(/^RUN_STATUS_/, '').toUpperCase();
}

export function isActive(status) {
  const name = statusName(status);
  return name === 'PENDING' || name === 'RUNNING';
}

// A symbol next to the word, so status never depends on colour alone.
const STATUS_SYMBOL = { SUCCEEDED: '✓', FAILED: '✕', CANCELLED: '⊘', RUNNING: '●', PENDING: '○' };

/** The status badge: symbol + word, coloured by data-status in CSS. */
export function statusBadge(status, attrs = {}) {
  const name = statusName(status);
  return h(
    'span',
    { class: 'badge', dataset: { status: name.toLowerCase() }, ...attrs },
    h('span', { class: 'badge-symbol', 'aria-hidden': 'true' }, STATUS_SYMBOL[name] ?? '?'),
    h('span', { class: 'badge-text' }, name),
  );
}

/** "manual" or "scheduled". */
export function trigger(run) {
  if (run.trigger) return String(run.trigger);
  return run.is_scheduled || run.scheduled_at ? 'scheduled' : 'manual';
}

/** Rows loaded by the run when the ingest engine recorded it; null otherwise. */
export function rowsLoaded(run) {
  if (run.load_info && run.load_info.rows_loaded !== undefined && run.load_info.rows_loaded !== null) {
    return Number(run.load_info.rows_loaded);
  }
  if (run.rows_loaded !== undefined && run.rows_loaded !== null) return Number(run.rows_loaded);
  // A LoadInfo without the total: add up its tables (a list of {rows} or a {table: rows} map).
  const tables = run.load_info?.tables;
  if (Array.isArray(tables)) return tables.reduce((sum, t) => sum + Number(t.rows ?? 0), 0);
  if (tables && typeof tables === 'object') return Object.values(tables).reduce((sum, n) => sum + Number(n), 0);
  return null;
}

/** "exit_code: exit code 3" → a readable failure line. */
export function failureText(run) {
  const reason = run.failure_reason ?? run.failure_kind ?? null;
  const detail = run.failure_detail ?? null;
  if (!reason && !detail) return null;
  const words = reason ? String(reason).replaceAll('_', ' ') : '';
  // "exit_code" + "exit code 3" reads best as the detail alone.
  if (reason && detail) return String(detail).toLowerCase().startsWith(words.toLowerCase()) ? String(detail) : `${words}: ${detail}`;
  return words || String(detail);
}

/** A log line's text: the contract says `message`, the CLI's JSON says `line`. */
export function logText(line) {
  return line.message ?? line.line ?? '';
}
