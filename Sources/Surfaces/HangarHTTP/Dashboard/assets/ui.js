// Shared pieces of the interface: the error banner, screen-reader announcements, form fields
// with their error slots, key/value row editors, tables and the confirmation dialog.

import { h, replace, uid } from './dom.js';
import { ApiError } from './api.js';

// ---- banner and announcements ----------------------------------------------------------------

/** Shows an error (or notice) in the page banner, which is role="alert". */
export function showBanner(message, { kind = 'error' } = {}) {
  const banner = document.getElementById('banner');
  banner.dataset.kind = kind;
  replace(
    banner,
    h('p', { class: 'banner-text' }, message),
    h('button', { type: 'button', class: 'button subtle small', onclick: hideBanner }, 'Dismiss'),
  );
  banner.hidden = false;
}

export function hideBanner() {
  const banner = document.getElementById('banner');
  banner.hidden = true;
  banner.replaceChildren();
}

// A message to show after the next navigation (e.g. "Flight deleted" on the flights page).
let flash = null;
export function setFlash(message, kind = 'notice') {
  flash = { message, kind };
}
export function showFlash() {
  if (!flash) return;
  showBanner(flash.message, { kind: flash.kind });
  flash = null;
}

/** Polite announcement for screen readers (status changes, saved forms). */
export function announce(message) {
  const region = document.getElementById('announcer');
  // Clearing first makes a repeated message be read again.
  region.textContent = '';
  setTimeout(() => { region.textContent = message; }, 50);
}

/** A message for any error: the API's own words when it gave them. */
export function errorMessage(error) {
  if (error instanceof ApiError) return error.message;
  return error && error.message ? error.message : String(error);
}

// ---- form fields ---------------------------------------------------------------------------------

/**
 * A labelled field: <div class="field"><label/>control<p hint/><p error/></div>. `param` names the
 * API parameter, so an API error naming it lands next to this field.
 */
export function field({ label, control, hint, param, className = '' }) {
  const id = control.id || uid('field');
  control.id = id;
  const hintId = hint ? `${id}-hint` : null;
  const errorId = `${id}-error`;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ');
  control.setAttribute('aria-describedby', describedBy);
  return h(
    'div',
    { class: `field ${className}`.trim(), dataset: param ? { param } : {} },
    h('label', { for: id }, label),
    control,
    hint ? h('p', { class: 'hint', id: hintId }, hint) : null,
    h('p', { class: 'field-error', id: errorId, hidden: true }),
  );
}

/** Puts an error message on the field for `param` (case-insensitive), else in `fallback`. */
export function showFieldError(form, error, fallback) {
  clearFieldErrors(form);
  const message = errorMessage(error);
  const param = error instanceof ApiError && error.parameter ? String(error.parameter).toLowerCase() : null;
  const target = param ? findField(form, param) : null;
  if (target) {
    setFieldError(target, message);
    target.querySelector('input, textarea, select')?.focus();
    return;
  }
  if (fallback) {
    replace(fallback, message);
    fallback.hidden = false;
  } else {
    showBanner(message);
  }
}

export function setFieldError(fieldElement, message) {
  const slot = fieldElement.querySelector('.field-error');
  const control = fieldElement.querySelector('input, textarea, select');
  slot.textContent = message;
  slot.hidden = false;
  control?.setAttribute('aria-invalid', 'true');
  fieldElement.classList.add('has-error');
}

export function clearFieldError(fieldElement) {
  const slot = fieldElement.querySelector('.field-error');
  if (slot) {
    slot.textContent = '';
    slot.hidden = true;
  }
  fieldElement.querySelector('[aria-invalid]')?.removeAttribute('aria-invalid');
  fieldElement.classList.remove('has-error');
}

export function clearFieldErrors(form) {
  for (const fieldElement of form.querySelectorAll('.field.has-error, [data-param]')) clearFieldError(fieldElement);
  for (const slot of form.querySelectorAll('.form-error')) {
    slot.hidden = true;
    slot.replaceChildren();
  }
}

// The API may name a parameter "schedule_cron", "SCHEDULE_CRON", "config.KEY"...; match on the
// field's own name or its prefix.
function findField(form, param) {
  const fields = [...form.querySelectorAll('[data-param]')];
  return fields.find((f) => f.dataset.param.toLowerCase() === param)
    ?? fields.find((f) => param.startsWith(f.dataset.param.toLowerCase()))
    ?? fields.find((f) => (f.dataset.aliases ?? '').toLowerCase().split(' ').includes(param))
    ?? null;
}

/** A form-level error slot (role="alert" so it is read out when it appears). */
export function formError() {
  return h('div', { class: 'form-error', role: 'alert', hidden: true });
}

// ---- key/value rows ------------------------------------------------------------------------------

/**
 * An editor of KEY=value rows (config, config override). Returns {element, read()} where read()
 * gives an object of the non-empty rows.
 */
export function keyValueEditor({ legend, keyLabel = 'Key', valueLabel = 'Value', initial = {}, addText = 'Add a value', param }) {
  const rows = h('div', { class: 'kv-rows' });
  const fieldset = h(
    'fieldset',
    { class: 'kv field', dataset: param ? { param } : {} },
    h('legend', {}, legend),
    rows,
    h('button', { type: 'button', class: 'button subtle small', onclick: () => addRow('', '', true) }, `+ ${addText}`),
    h('p', { class: 'field-error', hidden: true }),
  );

  function addRow(key, value, focus = false) {
    const keyInput = h('input', { type: 'text', value: key, autocomplete: 'off', spellcheck: 'false', class: 'mono' });
    const valueInput = h('input', { type: 'text', value, autocomplete: 'off', spellcheck: 'false' });
    const keyId = uid('kv-key');
    const valueId = uid('kv-value');
    keyInput.id = keyId;
    valueInput.id = valueId;
    const row = h(
      'div',
      { class: 'kv-row' },
      h('div', { class: 'kv-cell' }, h('label', { for: keyId, class: 'small-label' }, keyLabel), keyInput),
      h('div', { class: 'kv-cell' }, h('label', { for: valueId, class: 'small-label' }, valueLabel), valueInput),
      h('button', {
        type: 'button',
        class: 'button subtle small kv-remove',
        'aria-label': `Remove ${keyLabel.toLowerCase()} row`,
        onclick: () => { row.remove(); },
      }, 'Remove'),
    );
    rows.appendChild(row);
    if (focus) keyInput.focus();
  }

  for (const [key, value] of Object.entries(initial ?? {})) addRow(key, value);

  return {
    element: fieldset,
    read() {
      const result = {};
      for (const row of rows.querySelectorAll('.kv-row')) {
        const [keyInput, valueInput] = row.querySelectorAll('input');
        const key = keyInput.value.trim();
        if (key) result[key] = valueInput.value;
      }
      return result;
    },
  };
}

// ---- tables ----------------------------------------------------------------------------------------

/**
 * A table that turns into stacked cards on narrow screens: each cell carries its column name in
 * data-label, which CSS shows before the value there.
 * columns: [{label, className?, numeric?}]; rows: arrays of cell contents (nodes or text).
 */
export function dataTable({ columns, rows, caption, className = '' }) {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { class: `data ${className}`.trim() },
      caption ? h('caption', { class: 'visually-hidden' }, caption) : null,
      h('thead', {}, h('tr', {}, columns.map((c) => h('th', { scope: 'col', class: c.numeric ? 'num' : null }, c.label)))),
      h('tbody', {}, rows.map((cells) => tableRow(columns, cells))),
    ),
  );
}

export function tableRow(columns, cells) {
  // The inner div keeps a cell's content one grid item when the row becomes a card.
  return h('tr', {}, cells.map((cell, i) => h('td', { 'data-label': columns[i].label, class: columns[i].numeric ? 'num' : (columns[i].className ?? null) }, h('div', { class: 'cell' }, cell))));
}

/** A SQL value in a result cell: NULL shown as such, nested values as JSON. */
export function sqlValue(value) {
  if (value === null || value === undefined) return h('span', { class: 'null' }, 'NULL');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** Columns + rows (arrays) as a result table. */
export function resultTable(columns, rows, caption) {
  const cols = columns.map((c) => ({ label: c.name ?? String(c), numeric: isNumericType(c.type) }));
  return h(
    'div',
    { class: 'table-wrap result' },
    h(
      'table',
      { class: 'data compact' },
      caption ? h('caption', { class: 'visually-hidden' }, caption) : null,
      h('thead', {}, h('tr', {}, cols.map((c, i) => h('th', { scope: 'col', class: c.numeric ? 'num' : null, title: columns[i].type ?? null }, c.label)))),
      h('tbody', {}, rows.map((row) => h('tr', {}, row.map((value, i) => h('td', { class: cols[i]?.numeric ? 'num' : null }, sqlValue(value)))))),
    ),
  );
}

function isNumericType(type) {
  // Whole type only: INTEGER[] (a list) is not a number.
  return /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|UHUGEINT|FLOAT|DOUBLE|REAL|DECIMAL(\(\d+,\s*\d+\))?)$/i.test(String(type ?? '').trim());
}

// ---- dialog --------------------------------------------------------------------------------------

/**
 * A modal confirmation (native <dialog>: focus is trapped and Escape cancels). Resolves true
 * when the user confirms.
 */
export function confirmDialog({ title, body, confirmText, danger = false }) {
  return new Promise((resolve) => {
    const titleId = uid('dialog-title');
    const dialog = h(
      'dialog',
      { class: 'dialog', 'aria-labelledby': titleId },
      h(
        'form',
        { method: 'dialog' },
        h('h2', { id: titleId }, title),
        h('p', {}, body),
        h(
          'div',
          { class: 'actions' },
          h('button', { type: 'submit', value: 'cancel', class: 'button', autofocus: true }, 'Cancel'),
          h('button', { type: 'submit', value: 'confirm', class: `button ${danger ? 'danger' : 'primary'}` }, confirmText),
        ),
      ),
    );
    dialog.addEventListener('close', () => {
      resolve(dialog.returnValue === 'confirm');
      dialog.remove();
    });
    document.body.appendChild(dialog);
    dialog.showModal();
  });
}

/** A page's top: title (focused after navigation), optional sub-title and actions. */
export function pageHeader(title, { subtitle, actions, crumbs, badge } = {}) {
  // The window title names the page too (history entries, tabs, screen readers).
  document.title = `${title} · Hangar`;
  return h(
    'header',
    { class: 'page-header' },
    crumbs ? h('nav', { 'aria-label': 'Breadcrumb', class: 'crumbs' }, h('ol', {}, crumbs.map((c) => h('li', {}, c)))) : null,
    h(
      'div',
      { class: 'page-title-row' },
      h('div', { class: 'page-title' },
        badge ? h('div', { class: 'title-with-badge' }, h('h1', { tabindex: '-1' }, title), badge) : h('h1', { tabindex: '-1' }, title),
        subtitle ? h('p', { class: 'subtitle' }, subtitle) : null),
      actions ? h('div', { class: 'page-actions' }, actions) : null,
    ),
  );
}

/** A <section> with a heading, for the parts of a page. */
export function section(title, ...children) {
  const id = uid('section');
  return h('section', { class: 'panel', 'aria-labelledby': id }, h('h2', { id }, title), ...children);
}

/** A loading placeholder. */
export function loading(text = 'Loading…') {
  return h('p', { class: 'loading muted', role: 'status' }, text);
}
