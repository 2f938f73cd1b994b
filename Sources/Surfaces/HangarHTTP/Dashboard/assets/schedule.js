// Live cron validation: as the user types, a debounced GET /api/v1/schedule?cron=…&count=5 returns
// the schedule in words and its next five fire times, or the parser's message (shown next to
// the field). Used by the new-flight form and the flight page's schedule editor.

import { h, replace, debounce } from './dom.js';
import { get, ApiError } from './api.js';
import { setFieldError, clearFieldError, errorMessage } from './ui.js';
import { utc, relative } from './format.js';

const DELAY_MS = 300;

/**
 * Wires `input` (inside `fieldElement`, made by ui.field) to a preview. Returns
 * {element, validate(): Promise<boolean>} — validate() checks now (used before saving).
 */
export function schedulePreview({ input, fieldElement, signal, emptyText = 'No schedule: the flight runs only when started.' }) {
  const output = h('div', { class: 'schedule-preview', 'aria-live': 'polite' });
  let sequence = 0;
  let lastResult = { cron: null, valid: true };

  async function check() {
    const cron = input.value.trim();
    const mine = ++sequence;
    if (!cron) {
      clearFieldError(fieldElement);
      replace(output, h('p', { class: 'muted' }, emptyText));
      lastResult = { cron, valid: true };
      return true;
    }
    if (lastResult.cron === cron) return lastResult.valid;
    output.setAttribute('aria-busy', 'true');
    try {
      const result = await get('/schedule', { cron, count: 5 }, { signal });
      if (mine !== sequence) return lastResult.valid; // a newer keystroke won
      clearFieldError(fieldElement);
      renderValid(result);
      lastResult = { cron, valid: true };
      return true;
    } catch (error) {
      if (error.name === 'AbortError' || mine !== sequence) return false;
      if (error instanceof ApiError && error.status === 400) {
        setFieldError(fieldElement, errorMessage(error));
        replace(output, h('p', { class: 'muted' }, 'Fix the expression to see when it fires.'));
        lastResult = { cron, valid: false };
        return false;
      }
      // Not the expression's fault (network, server): say so without blocking the form.
      replace(output, h('p', { class: 'muted' }, `Could not check the schedule: ${errorMessage(error)}`));
      return true;
    } finally {
      if (mine === sequence) output.removeAttribute('aria-busy');
    }
  }

  function renderValid(result) {
    const next = Array.isArray(result.next) ? result.next : [];
    replace(
      output,
      h('p', { class: 'schedule-description' }, h('span', { class: 'visually-hidden' }, 'Runs '), result.description ?? result.cron),
      next.length
        ? h(
          'div',
          {},
          h('p', { class: 'small-label' }, 'Next fire times'),
          h('ol', { class: 'fire-times' }, next.map((time) => h('li', {}, h('time', { datetime: time }, utc(time)), ' ', h('span', { class: 'relative', dataset: { at: time } }, relative(time))))),
        )
        : null,
    );
  }

  const debounced = debounce(check, DELAY_MS);
  input.addEventListener('input', debounced);
  signal?.addEventListener('abort', () => debounced.cancel());

  return {
    element: output,
    validate: () => {
      debounced.cancel();
      return check();
    },
  };
}

/** Standard cron hint text. */
export function cronHint() {
  return h(
    'span',
    {},
    '5 fields in UTC: minute hour day-of-month month day-of-week, e.g. ',
    h('code', {}, '15 7 * * *'),
    ' or ',
    h('code', {}, '@hourly'),
    '.',
  );
}
