// One flight: run now (with a config override), schedule editor, runs with charts, the current
// version, versions with a diff between any two, and deletion.

import { h, replace, append } from './dom.js';
import { get, post, patch, del, seg, ApiError } from './api.js';
import { timeEl, statusBadge, duration, runDuration, trigger, rowsLoaded, count, isActive, statusName } from './format.js';
import { timeChart, durationPoints, rowsPoints, formatRows } from './charts.js';
import { diffLines, hunks, stats } from './diff.js';
import {
  pageHeader, section, dataTable, field, formError, keyValueEditor, showFieldError, clearFieldErrors,
  showBanner, errorMessage, announce, confirmDialog, setFlash, loading,
} from './ui.js';
import { schedulePreview, cronHint } from './schedule.js';

const RUNS_PAGE = 50;
const POLL_ACTIVE_MS = 3_000;
const POLL_IDLE_MS = 20_000;

export async function renderFlight(main, ctx, name) {
  let flight;
  try {
    flight = await get(`/flights/${seg(name)}`, undefined, { signal: ctx.signal });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) {
      replace(main, pageHeader('Flight not found', { crumbs: [h('a', { href: '#/flights' }, 'Flights')] }),
        h('p', {}, `There is no flight named “${name}”. `, h('a', { href: '#/flights' }, 'Back to the flights')));
      return;
    }
    throw error;
  }
  if (!ctx.active) return;

  const state = { flight, runs: [], nextOffset: null };
  const subtitle = h('p', { class: 'subtitle' });
  const header = pageHeader(flight.flight_name, { crumbs: [h('a', { href: '#/flights' }, 'Flights'), h('span', { 'aria-current': 'page' }, flight.flight_name)] });
  header.querySelector('.page-title').appendChild(subtitle);

  const runsHolder = h('div', {}, loading('Loading runs…'));
  const chartsHolder = h('div', { class: 'charts' });
  const moreButton = h('button', { type: 'button', class: 'button subtle', hidden: true, onclick: loadOlderRuns }, 'Load older runs');
  const versionHolder = h('div', {}, loading());
  const versionsHolder = h('div', {}, loading('Loading versions…'));
  // The diff gets the page's full width (code lines are long); hidden until asked for.
  const diffSection = section('Diff');
  diffSection.hidden = true;

  replace(
    main,
    header,
    h('div', { class: 'grid-2' },
      section('Run now', runNowForm(ctx, flight)),
      section('Schedule', scheduleEditor(ctx, state, updateSummary))),
    section('Runs', runsHolder, moreButton, chartsHolder),
    h('div', { class: 'grid-2' },
      section('Current version', versionHolder),
      section('Versions', versionsHolder)),
    diffSection,
    section('Delete', deletePanel(flight)),
  );

  function updateSummary() {
    const f = state.flight;
    replace(subtitle,
      h('span', { class: 'runtime', dataset: { runtime: f.runtime } }, f.runtime), ' · version ', String(f.current_version), ' · ',
      f.schedule_cron ? (f.schedule_description ?? f.schedule_cron) : 'on demand',
      f.next_fire_at ? h('span', {}, ' · next fire ', timeEl(f.next_fire_at)) : null);
  }
  updateSummary();
  renderVersion(ctx, state, versionHolder);
  renderVersions(ctx, state, versionsHolder, diffSection);

  // ---- runs, polled: quickly while a run is active, slowly otherwise ----
  let timer = null;
  async function refreshRuns() {
    clearTimeout(timer);
    try {
      const page = await get(`/flights/${seg(flight.flight_name)}/runs`, { limit: Math.max(RUNS_PAGE, state.runs.length) }, { signal: ctx.signal });
      if (!ctx.active) return;
      const before = new Map(state.runs.map((r) => [r.run_id, statusName(r.status)]));
      state.runs = page.items ?? [];
      state.nextOffset = page.next_offset ?? null;
      for (const run of state.runs) {
        const was = before.get(run.run_id);
        if (was && was !== statusName(run.status)) announce(`Run ${run.run_number} is now ${statusName(run.status)}.`);
      }
      drawRuns();
    } catch (error) {
      if (error.name === 'AbortError' || !ctx.active) return;
      replace(runsHolder, h('p', { class: 'error-text' }, errorMessage(error)));
    }
    if (ctx.active) timer = setTimeout(refreshRuns, state.runs.some((r) => isActive(r.status)) ? POLL_ACTIVE_MS : POLL_IDLE_MS);
  }
  ctx.onLeave(() => clearTimeout(timer));

  async function loadOlderRuns() {
    if (state.nextOffset === null) return;
    moreButton.disabled = true;
    try {
      const page = await get(`/flights/${seg(flight.flight_name)}/runs`, { limit: RUNS_PAGE, offset: state.nextOffset }, { signal: ctx.signal });
      state.runs = state.runs.concat(page.items ?? []);
      state.nextOffset = page.next_offset ?? null;
      drawRuns();
    } catch (error) {
      if (error.name !== 'AbortError') showBanner(errorMessage(error));
    } finally {
      moreButton.disabled = false;
    }
  }

  let drawnChartsFor = '';
  function drawRuns() {
    // Re-rendering would drop the focus of someone tabbing through the runs; the next poll redraws.
    if (runsHolder.contains(document.activeElement)) return;
    replace(runsHolder, runsTable(state.runs));
    moreButton.hidden = state.nextOffset === null;
    // Redraw the charts only when a finished run was added (not on every poll).
    const key = state.runs.filter((r) => !isActive(r.status)).map((r) => r.run_id).join(',');
    if (key !== drawnChartsFor) {
      drawnChartsFor = key;
      replace(chartsHolder,
        timeChart({ points: durationPoints(state.runs), title: 'Run duration over time', formatValue: duration, emptyText: 'No finished runs yet.' }),
        timeChart({ points: rowsPoints(state.runs), kind: 'bars', title: 'Rows loaded over time', formatValue: formatRows, emptyText: 'No run has reported rows loaded yet (flights that use the ingest engine do).' }));
    }
  }

  await refreshRuns();
}

// ---- runs table -----------------------------------------------------------------------------------

function runsTable(runs) {
  if (runs.length === 0) return h('p', { class: 'muted' }, 'No runs yet. Press “Run now” to start one.');
  const columns = [
    { label: 'Run' }, { label: 'Status' }, { label: 'Created' }, { label: 'Duration', numeric: true },
    { label: 'Trigger' }, { label: 'Version', numeric: true }, { label: 'Rows loaded', numeric: true }, { label: 'Exit', numeric: true },
  ];
  const rows = runs.map((run) => {
    const rows = rowsLoaded(run);
    return [
      h('a', { href: `#/runs/${encodeURIComponent(run.run_id)}` }, `Run ${run.run_number}`),
      statusBadge(run.status),
      timeEl(run.created_at),
      duration(runDuration(run)),
      trigger(run),
      run.flight_version ?? '—',
      rows === null ? '—' : count(rows),
      run.exit_code ?? '—',
    ];
  });
  return dataTable({ columns, rows, caption: 'Runs, newest first', className: 'runs-table stacks' });
}

// ---- run now --------------------------------------------------------------------------------------

function runNowForm(ctx, flight) {
  const override = keyValueEditor({ legend: 'Config override (optional)', addText: 'Override a value', param: 'config' });
  const errorSlot = formError();
  const submit = h('button', { type: 'submit', class: 'button primary' }, 'Run now');
  const form = h('form', { class: 'form run-now', novalidate: true },
    h('p', { class: 'muted' }, 'Starts a run of the current version. Values set here replace the flight\u2019s config for this run only.'),
    errorSlot, override.element, h('div', { class: 'actions' }, submit));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    const config = override.read();
    submit.disabled = true;
    submit.textContent = 'Starting…';
    try {
      const run = await post(`/flights/${seg(flight.flight_name)}/runs`, Object.keys(config).length ? { config } : {});
      announce(`Run ${run.run_number} started.`);
      window.location.hash = `#/runs/${encodeURIComponent(run.run_id)}`;
    } catch (error) {
      if (error.name !== 'AbortError') showFieldError(form, error, errorSlot);
    } finally {
      submit.disabled = false;
      submit.textContent = 'Run now';
    }
  });
  return form;
}

// ---- schedule editor --------------------------------------------------------------------------------

function scheduleEditor(ctx, state, onSaved) {
  const flight = state.flight;
  const cronInput = h('input', { type: 'text', name: 'schedule_cron', value: flight.schedule_cron ?? '', autocomplete: 'off', spellcheck: 'false', class: 'mono', placeholder: '15 7 * * *' });
  const cronField = field({ label: 'Cron expression (UTC)', control: cronInput, hint: h('span', {}, cronHint(), ' Empty: on demand only.'), param: 'schedule_cron' });
  const preview = schedulePreview({ input: cronInput, fieldElement: cronField, signal: ctx.signal });
  cronField.appendChild(preview.element);

  const catchUp = h('select', { name: 'catch_up' },
    ['latest', 'none', 'all'].map((value) => h('option', { value, selected: (flight.catch_up ?? 'latest') === value }, value)));
  const catchUpField = field({ label: 'Catch-up after downtime', control: catchUp, hint: 'latest: one run for the latest missed fire; none: skip; all: one per missed fire.', param: 'catch_up' });

  const errorSlot = formError();
  const status = h('p', { class: 'save-status muted', role: 'status' });
  const submit = h('button', { type: 'submit', class: 'button' }, 'Save schedule');
  const form = h('form', { class: 'form schedule-editor', novalidate: true }, errorSlot, cronField, catchUpField, h('div', { class: 'actions' }, submit, status));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    status.textContent = '';
    if (!(await preview.validate())) {
      cronInput.focus();
      return;
    }
    submit.disabled = true;
    try {
      // PATCH semantics: "" clears the schedule; catch_up only matters with one.
      const body = { schedule_cron: cronInput.value.trim() };
      if (body.schedule_cron) body.catch_up = catchUp.value;
      const updated = await patch(`/flights/${seg(flight.flight_name)}`, body);
      if (updated) Object.assign(state.flight, stripVersion(updated));
      if (!body.schedule_cron) state.flight.schedule_cron = null;
      // The description comes from the validator when the PATCH answer lacks it.
      if (body.schedule_cron && !updated?.schedule_description) {
        state.flight.schedule_description = form.querySelector('.schedule-description')?.textContent.replace(/^Runs /, '') ?? null;
      }
      onSaved();
      status.textContent = body.schedule_cron ? 'Schedule saved.' : 'Schedule removed: on demand only.';
    } catch (error) {
      if (error.name !== 'AbortError') showFieldError(form, error, errorSlot);
    } finally {
      submit.disabled = false;
    }
  });
  preview.validate();
  return form;
}

function stripVersion(flightWithVersion) {
  const { version, ...rest } = flightWithVersion;
  return rest;
}

// ---- current version --------------------------------------------------------------------------------

async function renderVersion(ctx, state, holder) {
  let version = state.flight.version ?? {};
  try {
    if (version.source_code === undefined) {
      version = await get(`/flights/${seg(state.flight.flight_name)}/versions/${state.flight.current_version}`, undefined, { signal: ctx.signal });
    }
  } catch (error) {
    if (error.name === 'AbortError') return;
    replace(holder, h('p', { class: 'error-text' }, errorMessage(error)));
    return;
  }
  const runtime = version.runtime ?? state.flight.runtime;
  const config = version.config ?? {};
  const secrets = version.flight_secret_names ?? [];
  replace(
    holder,
    h('dl', { class: 'details' },
      dt('Version'), h('dd', {}, String(version.flight_version ?? state.flight.current_version)),
      dt('Created'), h('dd', {}, timeEl(version.created_at)),
      dt('Runtime'), h('dd', {}, runtime),
      dt('Max runtime'), h('dd', {}, version.max_runtime_sec ? duration(version.max_runtime_sec) : 'no limit'),
      dt('Secrets'), h('dd', {}, secrets.length ? h('ul', { class: 'inline-list' }, secrets.map((s) => h('li', {}, h('code', {}, s)))) : h('span', { class: 'muted' }, 'none')),
      dt('Config'), h('dd', {}, Object.keys(config).length ? configTable(config) : h('span', { class: 'muted' }, 'none'))),
    codeBlock(runtime === 'swift' ? 'main.swift' : 'main.py', version.source_code ?? '', true),
    (version.requirement_warnings ?? []).length
      ? h('div', { class: 'banner requirement-warnings', 'data-kind': 'warning', role: 'note' },
          (version.requirement_warnings ?? []).map((warning) => h('p', {}, `Warning: ${warning}`)))
      : null,
    version.requirements_txt ? codeBlock('requirements.txt', version.requirements_txt, false) : null,
  );
}

const dt = (text) => h('dt', {}, text);

function configTable(config) {
  return h('table', { class: 'data compact kv-table' },
    h('caption', { class: 'visually-hidden' }, 'Config values'),
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Key'), h('th', { scope: 'col' }, 'Value'))),
    h('tbody', {}, Object.keys(config).sort().map((key) => h('tr', {}, h('td', {}, h('code', {}, key)), h('td', {}, config[key])))));
}

function codeBlock(title, text, open) {
  return h('details', { class: 'code-block', open },
    h('summary', {}, title, h('span', { class: 'muted' }, ` · ${lineCount(text)} line${lineCount(text) === 1 ? '' : 's'}`)),
    h('pre', { tabindex: '0' }, h('code', {}, text)));
}

function lineCount(text) {
  if (!text) return 0;
  return text.replace(/\n$/, '').split('\n').length;
}

// ---- versions and diff ----------------------------------------------------------------------------

async function renderVersions(ctx, state, holder, diffSection) {
  let versions;
  try {
    const page = await get(`/flights/${seg(state.flight.flight_name)}/versions`, { limit: 1000 }, { signal: ctx.signal });
    versions = (page.items ?? []).sort((a, b) => b.flight_version - a.flight_version);
  } catch (error) {
    if (error.name === 'AbortError') return;
    replace(holder, h('p', { class: 'error-text' }, errorMessage(error)));
    return;
  }
  const columns = [{ label: 'Version', numeric: true }, { label: 'Created' }, { label: 'Config keys' }, { label: 'Secrets' }];
  const table = dataTable({
    columns,
    caption: 'Versions, newest first',
    className: 'stacks',
    rows: versions.map((v) => [
      String(v.flight_version),
      timeEl(v.created_at),
      Object.keys(v.config ?? {}).sort().join(', ') || '—',
      (v.flight_secret_names ?? []).join(', ') || '—',
    ]),
  });
  if (versions.length < 2) {
    replace(holder, table, h('p', { class: 'muted' }, 'Only one version so far. Updating the flight (', h('code', {}, 'hangar update'), ') makes a new one; then two versions can be compared here.'));
    return;
  }
  const options = (selected) => versions.map((v) => h('option', { value: String(v.flight_version), selected: v.flight_version === selected }, `Version ${v.flight_version}`));
  const fromSelect = h('select', { name: 'from' }, options(versions[1].flight_version));
  const toSelect = h('select', { name: 'to' }, options(versions[0].flight_version));
  const output = h('div', { class: 'diff-output', 'aria-live': 'polite' });
  diffSection.appendChild(output);
  const form = h('form', { class: 'form compare-form' },
    field({ label: 'Compare', control: fromSelect }),
    field({ label: 'with', control: toSelect }),
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'button' }, 'Show diff')));
  const cache = new Map();
  const fetchVersion = (n) => {
    if (!cache.has(n)) cache.set(n, get(`/flights/${seg(state.flight.flight_name)}/versions/${n}`, undefined, { signal: ctx.signal }));
    return cache.get(n);
  };
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    diffSection.hidden = false;
    replace(output, loading('Comparing…'));
    try {
      const [a, b] = await Promise.all([fetchVersion(Number(fromSelect.value)), fetchVersion(Number(toSelect.value))]);
      replace(output, versionDiff(a, b));
      diffSection.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
    } catch (error) {
      if (error.name !== 'AbortError') replace(output, h('p', { class: 'error-text' }, errorMessage(error)));
    }
  });
  replace(holder, table, form);
}

/** The differences between two versions: settings, then source code and requirements as line diffs. */
function versionDiff(a, b) {
  const title = `Version ${a.flight_version} → version ${b.flight_version}`;
  const parts = [h('h3', {}, title)];
  const settings = settingChanges(a, b);
  if (settings.length) parts.push(h('ul', { class: 'setting-changes' }, settings.map((text) => h('li', {}, text))));
  const file = (b.runtime ?? a.runtime) === 'swift' ? 'main.swift' : 'main.py';
  parts.push(fileDiff(file, a.source_code ?? '', b.source_code ?? ''));
  if (a.requirements_txt || b.requirements_txt) parts.push(fileDiff('requirements.txt', a.requirements_txt ?? '', b.requirements_txt ?? ''));
  return h('div', {}, parts);
}

function settingChanges(a, b) {
  const changes = [];
  const configA = a.config ?? {};
  const configB = b.config ?? {};
  for (const key of [...new Set([...Object.keys(configA), ...Object.keys(configB)])].sort()) {
    if (!(key in configA)) changes.push(`config ${key} added: “${configB[key]}”`);
    else if (!(key in configB)) changes.push(`config ${key} removed (was “${configA[key]}”)`);
    else if (configA[key] !== configB[key]) changes.push(`config ${key}: “${configA[key]}” → “${configB[key]}”`);
  }
  const secretsA = (a.flight_secret_names ?? []).join(', ') || 'none';
  const secretsB = (b.flight_secret_names ?? []).join(', ') || 'none';
  if (secretsA !== secretsB) changes.push(`secrets: ${secretsA} → ${secretsB}`);
  if ((a.max_runtime_sec ?? 0) !== (b.max_runtime_sec ?? 0)) changes.push(`max runtime: ${a.max_runtime_sec || 'no limit'} → ${b.max_runtime_sec || 'no limit'}`);
  if (a.runtime && b.runtime && a.runtime !== b.runtime) changes.push(`runtime: ${a.runtime} → ${b.runtime}`);
  return changes;
}

function fileDiff(name, oldText, newText) {
  const ops = diffLines(oldText, newText);
  const heading = h('p', { class: 'diff-file' }, h('code', {}, name));
  if (ops === null) return h('div', { class: 'diff-block' }, heading, h('p', { class: 'muted' }, 'Too large to compare here.'));
  const groups = hunks(ops);
  if (groups.length === 0) return h('div', { class: 'diff-block' }, heading, h('p', { class: 'muted' }, 'No changes.'));
  const { added, removed } = stats(ops);
  append(heading, [' ', h('span', { class: 'diff-stat added' }, `+${added}`), ' ', h('span', { class: 'diff-stat removed' }, `−${removed}`)]);
  const table = h('table', { class: 'diff' },
    h('caption', { class: 'visually-hidden' }, `Changes to ${name}: ${added} lines added, ${removed} removed`),
    h('thead', { class: 'visually-hidden' }, h('tr', {}, h('th', { scope: 'col' }, 'Old line'), h('th', { scope: 'col' }, 'New line'), h('th', { scope: 'col' }, 'Change'), h('th', { scope: 'col' }, 'Text'))));
  groups.forEach((group, index) => {
    const body = h('tbody', {});
    if (index > 0 || (group[0].a ?? group[0].b) > 1) body.appendChild(h('tr', { class: 'diff-gap' }, h('td', { colspan: 4 }, '⋯')));
    for (const entry of group) {
      const kind = entry.op === '+' ? 'add' : entry.op === '-' ? 'del' : 'same';
      body.appendChild(h('tr', { class: `diff-${kind}` },
        h('td', { class: 'ln' }, entry.a ?? ''),
        h('td', { class: 'ln' }, entry.b ?? ''),
        h('td', { class: 'op' }, h('span', { 'aria-hidden': 'true' }, entry.op), h('span', { class: 'visually-hidden' }, kind === 'add' ? 'added' : kind === 'del' ? 'removed' : 'unchanged')),
        h('td', { class: 'text' }, entry.text)));
    }
    table.appendChild(body);
  });
  return h('div', { class: 'diff-block' }, heading, h('div', { class: 'diff-scroll', tabindex: '0', role: 'region', 'aria-label': `Diff of ${name}` }, table));
}

// ---- delete -----------------------------------------------------------------------------------------

function deletePanel(flight) {
  const button = h('button', { type: 'button', class: 'button danger' }, 'Delete flight…');
  button.addEventListener('click', async () => {
    const confirmed = await confirmDialog({
      title: `Delete ${flight.flight_name}?`,
      body: 'The flight, its versions, runs and logs are removed, and an active run is cancelled. Data it already loaded stays in the account. This cannot be undone.',
      confirmText: 'Delete flight',
      danger: true,
    });
    if (!confirmed) {
      button.focus();
      return;
    }
    button.disabled = true;
    try {
      await del(`/flights/${seg(flight.flight_name)}`);
      setFlash(`Flight ${flight.flight_name} was deleted.`);
      window.location.hash = '#/flights';
    } catch (error) {
      showBanner(errorMessage(error));
      button.disabled = false;
    }
  });
  return h('div', { class: 'danger-zone' },
    h('p', {}, 'Removes the flight with its versions, runs and logs.'),
    button);
}
