// The flights page: every flight with its schedule in words, next fire, last run and a sparkline
// of recent durations; and the "New flight" form.

import { h, replace, uid } from './dom.js';
import { get, post, ApiError } from './api.js';
import { timeEl, statusBadge, duration, runDuration } from './format.js';
import { sparkBars } from './charts.js';
import {
  pageHeader, dataTable, field, formError, keyValueEditor, showFieldError, clearFieldErrors,
  setFieldError, showBanner, errorMessage, announce, loading,
} from './ui.js';
import { schedulePreview, cronHint } from './schedule.js';

const REFRESH_MS = 15_000;

const SAMPLE_SOURCE = {
  python: 'import os\n\nprint("hello from my flight")\nprint("config REPOS =", os.environ.get("REPOS"))\n',
  swift: 'import FlightKit\n\nprint("hello from my flight")\n',
};

export async function renderFlights(main, ctx) {
  const listHolder = h('div', { class: 'flights-list' }, loading('Loading flights…'));
  const formHolder = h('div', { id: 'new-flight-panel', hidden: true });
  const newButton = h('button', {
    type: 'button',
    class: 'button primary',
    'aria-expanded': 'false',
    'aria-controls': 'new-flight-panel',
    onclick: () => toggleForm(),
  }, 'New flight');

  function toggleForm(open = formHolder.hidden) {
    formHolder.hidden = !open;
    newButton.setAttribute('aria-expanded', String(open));
    if (open) {
      if (!formHolder.firstChild) formHolder.appendChild(newFlightForm(ctx, () => toggleForm(false)));
      formHolder.querySelector('input')?.focus();
    } else {
      newButton.focus();
    }
  }

  replace(
    main,
    pageHeader('Flights', { subtitle: 'Programs that load data into the account, on demand or on a schedule (times in UTC).', actions: newButton }),
    formHolder,
    listHolder,
  );

  async function refresh() {
    // Re-rendering would drop the keyboard focus of someone moving through the table; wait.
    if (listHolder.contains(document.activeElement) && document.activeElement !== document.body) return;
    try {
      const page = await get('/flights', { limit: 200 }, { signal: ctx.signal });
      if (!ctx.active) return;
      replace(listHolder, flightsTable(page.items ?? [], () => toggleForm(true)));
    } catch (error) {
      if (error.name === 'AbortError' || !ctx.active) return;
      showBanner(errorMessage(error));
    }
  }

  await refresh();
  const timer = setInterval(refresh, REFRESH_MS);
  ctx.onLeave(() => clearInterval(timer));
}

function flightsTable(flights, openForm) {
  if (flights.length === 0) {
    return h(
      'div',
      { class: 'empty panel' },
      h('h2', {}, 'No flights yet'),
      h('p', {}, 'A flight is a Python or Swift program Hangar runs for you. Create one here or with ', h('code', {}, 'hangar create'), '.'),
      h('button', { type: 'button', class: 'button', onclick: openForm }, 'Create a flight'),
    );
  }
  const columns = [
    { label: 'Name' },
    { label: 'Runtime' },
    { label: 'Schedule (UTC)' },
    { label: 'Next fire' },
    { label: 'Last run' },
    { label: 'Recent durations' },
  ];
  const rows = flights.map((flight) => {
    const last = flight.last_run;
    return [
      h('a', { href: `#/flights/${encodeURIComponent(flight.flight_name)}`, class: 'flight-link' }, flight.flight_name),
      h('span', { class: 'runtime', dataset: { runtime: flight.runtime } }, flight.runtime),
      scheduleCell(flight),
      flight.next_fire_at ? timeEl(flight.next_fire_at) : h('span', { class: 'muted' }, '—'),
      last
        ? h('div', { class: 'last-run' },
          h('a', { href: `#/runs/${encodeURIComponent(last.run_id)}`, 'aria-label': `Run ${last.run_number}, ${last.status}` }, statusBadge(last.status)),
          ' ', timeEl(last.ended_at ?? last.started_at ?? last.created_at),
          runDuration(last) !== null ? h('span', { class: 'muted' }, ` · ${duration(runDuration(last))}`) : null)
        : h('span', { class: 'muted' }, 'never run'),
      sparkBars(flight.recent_runs ?? []),
    ];
  });
  return dataTable({ columns, rows, caption: 'Flights', className: 'flights-table stacks' });
}

function scheduleCell(flight) {
  if (!flight.schedule_cron) return h('span', { class: 'muted' }, 'on demand');
  const paused = flight.schedule_status && /DISABLED|PAUSED/i.test(flight.schedule_status);
  return h(
    'div',
    { class: 'schedule-cell' },
    h('span', {}, flight.schedule_description ?? flight.schedule_cron),
    paused ? h('span', { class: 'tag' }, 'paused') : null,
    h('code', { class: 'cron' }, flight.schedule_cron),
  );
}

// ---- new flight ----------------------------------------------------------------------------------

function newFlightForm(ctx, close) {
  const nameInput = h('input', { type: 'text', name: 'name', required: true, autocomplete: 'off', spellcheck: 'false', class: 'mono' });
  const nameField = field({ label: 'Name', control: nameInput, hint: 'Letters, digits, _, - and . (starting with a letter, digit or _); unique in the account.', param: 'name' });
  nameField.dataset.aliases = 'flight_name flight';

  // Runtime: a radio group (a fieldset with a legend, so it is labelled as a group).
  const runtimeName = uid('runtime');
  const runtimeRadios = ['python', 'swift'].map((runtime) => {
    const id = uid('runtime');
    return h('label', { class: 'choice', for: id },
      h('input', { type: 'radio', name: runtimeName, id, value: runtime, checked: runtime === 'python' }),
      runtime === 'python' ? 'Python' : 'Swift (FlightKit)');
  });
  const runtimeField = h('fieldset', { class: 'field choices', dataset: { param: 'runtime' } },
    h('legend', {}, 'Runtime'), ...runtimeRadios, h('p', { class: 'field-error', hidden: true }));

  const sourceInput = h('textarea', { name: 'source_code', rows: 12, spellcheck: 'false', class: 'mono code-input', required: true });
  sourceInput.value = SAMPLE_SOURCE.python;
  const sourceField = field({ label: 'Source code', control: sourceInput, hint: 'main.py for Python, main.swift for Swift. Printed lines become the run\u2019s log.', param: 'source_code' });

  const requirementsInput = h('textarea', { name: 'requirements_txt', rows: 3, spellcheck: 'false', class: 'mono', placeholder: 'requests==2.32.3' });
  const requirementsField = field({ label: 'Requirements (requirements.txt)', control: requirementsInput, hint: 'Optional; installed once into a cached environment.', param: 'requirements_txt' });

  const cronInput = h('input', { type: 'text', name: 'schedule_cron', autocomplete: 'off', spellcheck: 'false', class: 'mono', placeholder: '15 7 * * *' });
  const cronField = field({ label: 'Schedule (cron, UTC)', control: cronInput, hint: h('span', {}, 'Optional. ', cronHint(), ' Leave empty to run on demand.'), param: 'schedule_cron' });
  const preview = schedulePreview({ input: cronInput, fieldElement: cronField, signal: ctx.signal });
  cronField.appendChild(preview.element);

  const catchUpSelect = h('select', { name: 'catch_up' },
    h('option', { value: 'latest' }, 'latest — one run for the latest missed fire'),
    h('option', { value: 'none' }, 'none — skip missed fires'),
    h('option', { value: 'all' }, 'all — one run per missed fire'));
  const catchUpField = field({ label: 'Catch-up after downtime', control: catchUpSelect, param: 'catch_up' });

  const config = keyValueEditor({ legend: 'Config', addText: 'Add config value', param: 'config' });

  const secretsInput = h('input', { type: 'text', name: 'flight_secret_names', autocomplete: 'off', spellcheck: 'false', class: 'mono', placeholder: 'github, warehouse' });
  const secretsHint = h('span', {}, 'Optional, comma-separated. Create secrets with ', h('code', {}, 'hangar secret create'), '.');
  const secretsField = field({ label: 'Secret names', control: secretsInput, hint: secretsHint, param: 'flight_secret_names' });
  secretsField.dataset.aliases = 'secrets secret_names';
  listSecretNames(ctx).then((names) => {
    if (names.length) secretsHint.append(` Existing: ${names.join(', ')}.`);
  });

  const maxRuntimeInput = h('input', { type: 'number', name: 'max_runtime_sec', min: '0', step: '1', inputmode: 'numeric', placeholder: '0' });
  const maxRuntimeField = field({ label: 'Max runtime (seconds)', control: maxRuntimeInput, hint: 'Optional; 0 or empty means no limit.', param: 'max_runtime_sec' });

  const errorSlot = formError();
  const submit = h('button', { type: 'submit', class: 'button primary' }, 'Create flight');
  const form = h(
    'form',
    { class: 'panel form new-flight', novalidate: true, 'aria-labelledby': 'new-flight-title' },
    h('h2', { id: 'new-flight-title' }, 'New flight'),
    errorSlot,
    h('div', { class: 'form-grid' },
      h('div', { class: 'form-col' }, nameField, runtimeField, sourceField, requirementsField),
      h('div', { class: 'form-col' }, cronField, catchUpField, config.element, secretsField, maxRuntimeField)),
    h('div', { class: 'actions' },
      submit,
      h('button', { type: 'button', class: 'button subtle', onclick: close }, 'Cancel')),
  );

  // Switching runtime swaps the sample code (only if untouched) and hides requirements for Swift.
  form.addEventListener('change', (event) => {
    if (event.target.name !== runtimeName) return;
    const runtime = event.target.value;
    if (Object.values(SAMPLE_SOURCE).includes(sourceInput.value)) sourceInput.value = SAMPLE_SOURCE[runtime];
    requirementsField.hidden = runtime === 'swift';
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldErrors(form);
    const name = nameInput.value.trim();
    if (!name) {
      setFieldError(nameField, 'A flight needs a name.');
      nameInput.focus();
      return;
    }
    if (!sourceInput.value.trim()) {
      setFieldError(sourceField, 'A flight needs source code.');
      sourceInput.focus();
      return;
    }
    if (!(await preview.validate())) {
      cronInput.focus();
      return;
    }
    const runtime = form.querySelector(`input[name="${runtimeName}"]:checked`)?.value ?? 'python';
    const body = { name, runtime, source_code: sourceInput.value };
    if (runtime === 'python' && requirementsInput.value.trim()) body.requirements_txt = requirementsInput.value;
    if (cronInput.value.trim()) {
      body.schedule_cron = cronInput.value.trim();
      body.catch_up = catchUpSelect.value;
    }
    const configValues = config.read();
    if (Object.keys(configValues).length) body.config = configValues;
    const secrets = secretsInput.value.split(',').map((s) => s.trim()).filter(Boolean);
    if (secrets.length) body.flight_secret_names = secrets;
    if (maxRuntimeInput.value !== '') {
      const seconds = Number(maxRuntimeInput.value);
      if (!Number.isInteger(seconds) || seconds < 0) {
        setFieldError(maxRuntimeField, 'A whole number of seconds, 0 or more.');
        maxRuntimeInput.focus();
        return;
      }
      body.max_runtime_sec = seconds;
    }

    submit.disabled = true;
    submit.textContent = 'Creating…';
    try {
      const created = await post('/flights', body);
      announce(`Flight ${name} created.`);
      window.location.hash = `#/flights/${encodeURIComponent(created?.flight_name ?? name)}`;
    } catch (error) {
      if (error instanceof ApiError && error.status === 409) setFieldError(nameField, error.message);
      else showFieldError(form, error, errorSlot);
    } finally {
      submit.disabled = false;
      submit.textContent = 'Create flight';
    }
  });

  return form;
}

async function listSecretNames(ctx) {
  try {
    const result = await get('/secrets', undefined, { signal: ctx.signal });
    return (result.items ?? []).map((secret) => secret.name);
  } catch {
    return [];
  }
}
