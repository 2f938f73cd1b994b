// The HTTP API client. Same origin, session cookie only: the token itself is sent once, to
// POST /api/v1/session, and never kept by the page (no localStorage, no JS-readable cookie).

export const API = '/api/v1';

/** An error the API answered with: `{"error": {"code", "message", "parameter"}}`. */
export class ApiError extends Error {
  constructor(status, code, message, parameter) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.parameter = parameter ?? null;
  }
}

let unauthorizedHandler = () => {};

/** Called when any request (other than the session's own) gets a 401: the session expired. */
export function onUnauthorized(handler) {
  unauthorizedHandler = handler;
}

/** Encodes one path segment (flight names, ids, table names). */
export function seg(value) {
  return encodeURIComponent(String(value));
}

/**
 * request('/flights', {method: 'POST', body: {...}, query: {limit: 20}}) → parsed JSON, or null for
 * 204. Throws ApiError for an API error, and for network failures with code "network".
 */
export async function request(path, { method = 'GET', body, query, signal, quietUnauthorized = false } = {}) {
  let url = API + path;
  if (query) {
    // encodeURIComponent, not URLSearchParams: the latter writes spaces as "+", which not every
    // server reads back as a space (a cron expression is full of spaces).
    const text = Object.entries(query)
      .filter(([, value]) => value !== undefined && value !== null && value !== '')
      .map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`)
      .join('&');
    if (text) url += (url.includes('?') ? '&' : '?') + text;
  }
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json' }, signal };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }

  let response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError(0, 'network', 'The Hangar server did not answer. Is `hangar serve` running?', null);
  }

  if (response.status === 204) return null;
  const text = await response.text();
  let data = null;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = null;
    }
  }
  if (response.ok) return data;

  const problem = data && data.error ? data.error : {};
  const error = new ApiError(
    response.status,
    problem.code ?? `http_${response.status}`,
    problem.message ?? `The server answered ${response.status} ${response.statusText}.`,
    problem.parameter,
  );
  if (response.status === 401 && !quietUnauthorized) unauthorizedHandler(error);
  throw error;
}

export const get = (path, query, options = {}) => request(path, { ...options, query });
export const post = (path, body, options = {}) => request(path, { ...options, method: 'POST', body });
export const patch = (path, body) => request(path, { method: 'PATCH', body });
export const del = (path) => request(path, { method: 'DELETE' });

/** Whether the browser holds a valid session cookie. */
export async function checkSession() {
  try {
    await request('/session', { quietUnauthorized: true });
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return false;
    throw error;
  }
}

export function login(token) {
  return request('/session', { method: 'POST', body: { token }, quietUnauthorized: true });
}

export function logout() {
  return request('/session', { method: 'DELETE', quietUnauthorized: true });
}
