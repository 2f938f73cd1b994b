// One run, live: status, details, the LoadInfo summary, and the log tailing through server-sent
// events. EventSource reconnects by itself and sends Last-Event-ID (the last line number), so
// the server resumes after the last line this page has; lines are still de-duplicated here by
// number. If the stream cannot be used at all, the page falls back to polling the paged logs.

import { h, replace } from './dom.js';
import { API, get, post, seg, ApiError } from './api.js';
import { timeEl, statusBadge, statusName, duration, runDuration, trigger, isActive, failureText, count, logText, parseTime } from './format.js';
import { pageHeader, section, dataTable, showBanner, errorMessage, announce } from './ui.js';

const POLL_MS = 1_500;

export async function renderRun(main, ctx, runId) {
  let run;
  try {
    run = await get(`/runs/${seg(runId)}`, undefined, { signal: ctx.signal });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      replace(main, pageHeader('Run not found', { crumbs: [h('a', { href: '#/flights' }, 'Flights')] }),
        h('p', {}, 'This run does not exist (its flight may have been deleted). ', h('a', { href: '#/flights' }, 'Back to the flights')));
      return;
    }
    throw error;
  }
  if (!ctx.active) return;

  const flightName = run.flight_name ?? '';
  const flightLink = flightName ? h('a', { href: `#/flights/${encodeURIComponent(flightName)}` }, flightName) : h('span', {}, 'flight');
  const statusHolder = h('div', { class: 'run-status', role: 'status', 'aria-live': 'polite', 'data-testid': 'run-status' });
  const cancelButton = h('button', { type: 'button', class: 'button danger', hidden: true }, 'Cancel run');
  const header = pageHeader(`Run ${run.run_number}`, {
    crumbs: [h('a', { href: '#/flights' }, 'Flights'), flightLink, h('span', { 'aria-current': 'page' }, `Run ${run.run_number}`)],
    badge: statusHolder,
    actions: cancelButton,
  });

  const detailsHolder = h('div');
  const loadInfoHolder = h('div');
  const logView = createLogView();

  replace(main, header,
    h('div', { class: 'grid-2 wide-right' },
      section('Details', detailsHolder, loadInfoHolder),
      logView.element));

  let ended = false;
  let lastStatus = null;

  function update(next) {
    run = { ...run, ...next };
    const name = statusName(run.status);
    replace(statusHolder, statusBadge(run.status, { class: 'badge large' }));
    if (lastStatus !== null && lastStatus !== name) announce(`Run ${run.run_number} is ${name}.`);
    lastStatus = name;
    cancelButton.hidden = !isActive(run.status);
    renderDetails(detailsHolder, run, flightLink.cloneNode(true));
    renderLoadInfo(loadInfoHolder, run);
  }
  update(run);

  // While running, keep the duration counting.
  const ticker = setInterval(() => { if (isActive(run.status)) renderDetails(detailsHolder, run, flightLink.cloneNode(true)); }, 1000);
  ctx.onLeave(() => clearInterval(ticker));

  cancelButton.addEventListener('click', async () => {
    cancelButton.disabled = true;
    cancelButton.textContent = 'Cancelling…';
    try {
      const after = await post(`/runs/${seg(run.run_id)}/cancel`, {});
      if (after) update(after);
      announce('Cancellation requested.');
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) {
        // Already finished: show the final state instead of an error.
        update(await get(`/runs/${seg(run.run_id)}`));
      } else {
        showBanner(errorMessage(error));
      }
    } finally {
      cancelButton.disabled = false;
      cancelButton.textContent = 'Cancel run';
    }
  });

  function finish(finalRun) {
    if (finalRun) update(finalRun);
    ended = true;
    logView.setState('ended', 'Log complete');
  }

  // ---- live log via SSE, with a polling fallback ----
  let source = null;
  let pollTimer = null;

  function startStream() {
    logView.setState('connecting', 'Connecting…');
    source = new EventSource(`${API}/runs/${seg(run.run_id)}/logs/stream`, { withCredentials: true });
    source.addEventListener('open', () => logView.setState('live', 'Live'));
    source.addEventListener('line', (event) => {
      const line = parseJSON(event.data);
      if (line) logView.add(line);
    });
    source.addEventListener('status', (event) => {
      const next = parseJSON(event.data);
      if (next) update(next);
    });
    source.addEventListener('end', (event) => {
      source.close();
      finish(parseJSON(event.data));
    });
    source.addEventListener('error', () => {
      if (ended) return;
      if (source.readyState === EventSource.CLOSED) {
        // The browser gave up (an HTTP error or a wrong content type): poll instead.
        logView.setState('polling', 'Polling');
        startPolling();
      } else {
        logView.setState('reconnecting', 'Reconnecting…');
      }
    });
  }

  async function poll() {
    try {
      const page = await get(`/runs/${seg(run.run_id)}/logs`, { after: logView.lastLine, limit: 1000 }, { signal: ctx.signal });
      for (const line of page.items ?? []) logView.add(line);
      const fresh = await get(`/runs/${seg(run.run_id)}`, undefined, { signal: ctx.signal });
      update(fresh);
      if (page.finished || (!isActive(fresh.status) && (page.items ?? []).length === 0)) {
        finish(fresh);
        return;
      }
    } catch (error) {
      if (error.name === 'AbortError' || !ctx.active) return;
      logView.setState('error', errorMessage(error));
    }
    if (ctx.active) pollTimer = setTimeout(poll, POLL_MS);
  }

  function startPolling() {
    clearTimeout(pollTimer);
    poll();
  }

  ctx.onLeave(() => {
    source?.close();
    clearTimeout(pollTimer);
  });

  if (typeof EventSource === 'function') startStream();
  else startPolling();
}

function parseJSON(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

// ---- details ----------------------------------------------------------------------------------------

function renderDetails(holder, run, flightLink) {
  const failure = failureText(run);
  const config = run.config ?? {};
  const rows = [
    ['Flight', flightLink],
    ['Version', run.flight_version ?? '—'],
    ['Trigger', run.scheduled_at ? h('span', {}, 'scheduled for ', timeEl(run.scheduled_at, { relativeHint: false })) : trigger(run)],
    ['Created', timeEl(run.created_at, { seconds: true })],
    ['Started', timeEl(run.started_at, { seconds: true })],
    ['Ended', timeEl(run.ended_at ?? run.finished_at, { seconds: true })],
    ['Duration', duration(runDuration(run)) + (isActive(run.status) && run.started_at ? ' so far' : '')],
    ['Exit code', run.exit_code ?? '—'],
  ];
  // Red only for a failure; a cancelled run's reason is information, not an alarm.
  if (failure) rows.push(['Reason', h('span', { class: statusName(run.status) === 'FAILED' ? 'failure-text' : null }, failure)]);
  if (run.cancel_requested_at && !run.cancelled_at) rows.push(['Cancel asked', timeEl(run.cancel_requested_at, { seconds: true })]);
  if (Object.keys(config).length) {
    rows.push(['Config', h('ul', { class: 'plain-list' }, Object.keys(config).sort().map((key) => h('li', {}, h('code', {}, key), ' = ', config[key])))]);
  }
  replace(holder, h('dl', { class: 'details' }, rows.flatMap(([label, value]) => [h('dt', {}, label), h('dd', {}, value)])));
}

function renderLoadInfo(holder, run) {
  const info = run.load_info;
  if (!info) {
    replace(holder);
    return;
  }
  const tables = loadTables(info);
  const total = info.rows_loaded ?? tables.reduce((sum, t) => sum + Number(t.rows ?? 0), 0);
  const columns = [{ label: 'Table' }, { label: 'Rows', numeric: true }];
  replace(holder,
    h('h3', {}, 'Loaded data'),
    tables.length
      ? dataTable({ columns, caption: 'Rows loaded per table', className: 'load-info', rows: tables.map((t) => [h('code', {}, t.table), count(t.rows)]).concat([[h('strong', {}, 'Total'), h('strong', {}, count(total))]]) })
      : h('p', {}, `${count(total)} rows loaded.`));
}

// LoadInfo's tables as [{table, rows}], whether the API sends that list or a {table: rows} map.
function loadTables(info) {
  if (Array.isArray(info.tables)) {
    return info.tables.map((t) => ({ table: t.table ?? t.name ?? '?', rows: Number(t.rows ?? t.row_count ?? 0) }));
  }
  if (info.tables && typeof info.tables === 'object') {
    return Object.keys(info.tables).sort().map((table) => ({ table, rows: Number(info.tables[table]) }));
  }
  return [];
}

// ---- log view ---------------------------------------------------------------------------------------

function createLogView() {
  const list = h('ol', { class: 'log-lines', 'aria-label': 'Log lines' });
  const empty = h('p', { class: 'muted log-empty' }, 'No output yet.');
  const stateText = h('span', { class: 'log-state', dataset: { state: 'connecting' } }, 'Connecting…');
  const countText = h('span', { class: 'muted' }, '0 lines');
  const followId = 'follow-log';
  const follow = h('input', { type: 'checkbox', id: followId, checked: true });
  const scroller = h('div', { class: 'log', tabindex: '0', role: 'log', 'aria-label': 'Run log', 'aria-live': 'off' }, empty, list);
  const seen = new Set();
  let lastLine = 0;
  let pending = [];
  let frame = 0;

  // Lines arrive one event at a time; batch DOM work per animation frame.
  function flush() {
    frame = 0;
    const fragment = document.createDocumentFragment();
    for (const line of pending) fragment.appendChild(lineElement(line));
    pending = [];
    list.appendChild(fragment);
    empty.hidden = list.childElementCount > 0;
    countText.textContent = `${list.childElementCount} line${list.childElementCount === 1 ? '' : 's'}`;
    if (follow.checked) scroller.scrollTop = scroller.scrollHeight;
  }

  const element = h('section', { class: 'panel log-panel', 'aria-labelledby': 'log-title' },
    h('div', { class: 'log-toolbar' },
      h('h2', { id: 'log-title' }, 'Log'),
      stateText, countText,
      h('label', { class: 'choice follow', for: followId }, follow, 'Follow')),
    scroller);

  return {
    element,
    get lastLine() { return lastLine; },
    add(line) {
      const number = Number(line.line_number);
      if (seen.has(number)) return;
      seen.add(number);
      lastLine = Math.max(lastLine, number);
      pending.push(line);
      if (!frame) frame = requestAnimationFrame(flush);
    },
    setState(state, text) {
      stateText.dataset.state = state;
      stateText.textContent = text;
    },
  };
}

function lineElement(line) {
  const stream = line.stream ?? 'stdout';
  const at = parseTime(line.reported_at);
  const time = at ? at.toISOString().slice(11, 19) : '';
  // Lines Hangar itself writes into the log ("[hangar] run 1 of …") are set apart from the program's.
  const fromHangar = logText(line).startsWith('[hangar] ');
  return h('li', { class: `log-line stream-${stream}${fromHangar ? ' from-hangar' : ''}`, dataset: { line: String(line.line_number) } },
    h('span', { class: 'ln', 'aria-hidden': 'true' }, String(line.line_number)),
    h('time', { class: 'ts', datetime: line.reported_at ?? '' }, time),
    h('span', { class: 'msg' }, stream !== 'stdout' ? h('span', { class: 'stream-tag' }, stream) : null, logText(line)));
}
