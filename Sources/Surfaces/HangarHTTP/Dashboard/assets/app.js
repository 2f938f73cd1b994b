// The dashboard's entry point: session check, hash routing and page lifecycle.
//
// Routes (hash-based, so reload and back work without server-side routing):
//   #/flights            flights list and "New flight"
//   #/flights/NAME       one flight
//   #/runs/ID            one run, live
//   #/data[/DB[/SCHEMA/TABLE]]  account databases and the SQL box

import { checkSession, logout, onUnauthorized } from './api.js';
import { h, replace } from './dom.js';
import { refreshRelativeTimes } from './format.js';
import { hideBanner, showBanner, showFlash, errorMessage, pageHeader, loading } from './ui.js';
import { renderLogin } from './page-login.js';
import { renderFlights } from './page-flights.js';
import { renderFlight } from './page-flight.js';
import { renderRun } from './page-run.js';
import { renderData } from './page-data.js';

const routes = [
  { pattern: /^\/flights\/?$/, nav: 'flights', render: (main, ctx) => renderFlights(main, ctx) },
  { pattern: /^\/flights\/([^/]+)\/?$/, nav: 'flights', render: (main, ctx, [name]) => renderFlight(main, ctx, name) },
  { pattern: /^\/runs\/([^/]+)\/?$/, nav: 'flights', render: (main, ctx, [id]) => renderRun(main, ctx, id) },
  { pattern: /^\/data(?:\/([^/]+))?(?:\/([^/]+)\/([^/]+))?\/?$/, nav: 'data', render: (main, ctx, parts) => renderData(main, ctx, parts) },
];

const main = document.getElementById('main');
const nav = document.getElementById('main-nav');
const logoutButton = document.getElementById('logout');

// The page being shown: its AbortController (cancels its fetches and timers) and cleanups.
let current = null;
let signedIn = false;
let firstRender = true;

/** What a view gets: a signal that aborts when the user navigates away, and a cleanup hook. */
function newContext() {
  const controller = new AbortController();
  const cleanups = [];
  return {
    signal: controller.signal,
    onLeave(fn) { cleanups.push(fn); },
    get active() { return !controller.signal.aborted; },
    leave() {
      controller.abort();
      for (const fn of cleanups.splice(0)) {
        try { fn(); } catch (error) { console.error(error); }
      }
    },
  };
}

function currentPath() {
  const hash = window.location.hash.replace(/^#/, '');
  return hash.startsWith('/') ? hash : '/flights';
}

async function route() {
  if (current) current.leave();
  hideBanner();
  if (!signedIn) return;
  showFlash();

  const path = currentPath();
  const match = routes.map((r) => ({ r, m: r.pattern.exec(path) })).find((x) => x.m);
  for (const link of nav.querySelectorAll('a[data-nav]')) {
    if (match && link.dataset.nav === match.r.nav) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }

  const ctx = newContext();
  current = ctx;
  if (!match) {
    replace(main, notFound(path));
    focusHeading();
    return;
  }
  const params = match.m.slice(1).map(decodePart);
  // The previous page must not linger (with its timers stopped) while this one loads or fails.
  replace(main, loading());
  try {
    await match.r.render(main, ctx, params);
  } catch (error) {
    if (error.name === 'AbortError' || !ctx.active) return;
    console.error(error);
    showBanner(errorMessage(error));
  }
  // Move focus to the new page's heading so keyboard and screen-reader users start there,
  // except on the first load, where focus should stay at the top of the document.
  if (ctx.active && !firstRender) focusHeading();
  firstRender = false;
}

// A malformed %-escape in a typed-in URL should not throw out of the router.
function decodePart(part) {
  if (part === undefined) return undefined;
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function focusHeading() {
  const heading = main.querySelector('h1');
  if (heading) heading.focus({ preventScroll: false });
}

function notFound(path) {
  return [
    pageHeader('Page not found'),
    h('p', {}, `Nothing lives at ${path}. `, h('a', { href: '#/flights' }, 'Go to the flights')),
  ];
}

function showLogin() {
  signedIn = false;
  if (current) current.leave();
  current = null;
  nav.hidden = true;
  logoutButton.hidden = true;
  renderLogin(main, {
    onSuccess() {
      signIn();
      route();
    },
  });
}

function signIn() {
  signedIn = true;
  nav.hidden = false;
  logoutButton.hidden = false;
}

async function boot() {
  onUnauthorized(() => {
    // The session ended (token rotated, server restarted): ask for the token again, stay on
    // the same route so logging in returns here.
    showLogin();
    showBanner('Your session has ended. Paste the token again to continue.', { kind: 'notice' });
  });
  logoutButton.addEventListener('click', async () => {
    try {
      await logout();
    } catch (error) {
      showBanner(errorMessage(error));
      return;
    }
    showLogin();
  });
  // The skip link's own href would change the route; move focus instead.
  document.getElementById('skip-link').addEventListener('click', (event) => {
    event.preventDefault();
    main.focus();
  });
  window.addEventListener('hashchange', route);
  setInterval(() => refreshRelativeTimes(), 30_000);

  let authenticated;
  try {
    authenticated = await checkSession();
  } catch (error) {
    replace(main);
    showBanner(errorMessage(error));
    return;
  }
  if (!authenticated) {
    showLogin();
    return;
  }
  signIn();
  route();
}

boot();
