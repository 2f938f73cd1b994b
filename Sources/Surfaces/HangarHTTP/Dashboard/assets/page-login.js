// The token form. The token goes to POST /api/v1/session once; the server answers with an
// HttpOnly cookie, so the page never keeps the token anywhere.

import { h, replace } from './dom.js';
import { login, ApiError } from './api.js';
import { field, setFieldError, clearFieldError, errorMessage } from './ui.js';

export function renderLogin(main, { onSuccess }) {
  const input = h('input', {
    type: 'password',
    name: 'token',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    class: 'mono',
  });
  const tokenField = field({
    label: 'Access token',
    control: input,
    hint: h('span', {}, 'Paste the token from ', h('code', {}, 'hangar token show'), '. It is exchanged for a session cookie and not stored by this page.'),
    param: 'token',
  });
  const submit = h('button', { type: 'submit', class: 'button primary' }, 'Sign in');

  const form = h(
    'form',
    { class: 'login-form', novalidate: true },
    tokenField,
    h('div', { class: 'actions' }, submit),
  );

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFieldError(tokenField);
    const token = input.value.trim();
    if (!token) {
      setFieldError(tokenField, 'Paste the token first.');
      input.focus();
      return;
    }
    submit.disabled = true;
    submit.textContent = 'Signing in…';
    try {
      await login(token);
      input.value = '';
      onSuccess();
    } catch (error) {
      const message = error instanceof ApiError && error.status === 401
        ? 'That token was not accepted. Check it with `hangar token show` (a rotated token replaces the old one).'
        : errorMessage(error);
      setFieldError(tokenField, message);
      input.focus();
      input.select();
    } finally {
      submit.disabled = false;
      submit.textContent = 'Sign in';
    }
  });

  document.title = 'Sign in · Hangar';
  replace(
    main,
    h(
      'div',
      { class: 'login' },
      h(
        'section',
        { class: 'panel login-panel', 'aria-labelledby': 'login-title' },
        h('h1', { id: 'login-title', tabindex: '-1' }, 'Sign in to Hangar'),
        h('p', { class: 'muted' }, 'This dashboard talks to the Hangar server on this machine.'),
        form,
      ),
    ),
  );
  input.focus();
}
