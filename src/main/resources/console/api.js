// Every call to the admin API goes through here. The session is the HttpOnly cookie the login set; each request that
// changes something also says X-Requested-With, which the API requires of cookie-authenticated calls (CSRF).
// Nothing is written to the browser's console: answers may hold patient data.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

const listeners = new Set();

/** Called with no argument when the API answers 401 (the session ended). */
export function onLoggedOut(listener) {
  listeners.add(listener);
}

export async function api(method, path, body) {
  const headers = { 'X-Requested-With': 'ilinks-console', 'Accept': 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store', redirect: 'error' };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch(path, init);
  } catch (e) {
    throw new ApiError(0, 'the engine cannot be reached');
  }
  const type = response.headers.get('Content-Type') || '';
  const data = type.startsWith('application/json') ? await response.json() : await response.text();
  if (!response.ok) {
    if (response.status === 401 && path !== '/api/login') {
      listeners.forEach(l => l());
    }
    const message = data && typeof data === 'object' && data.error ? data.error : 'HTTP ' + response.status;
    throw new ApiError(response.status, message);
  }
  return data;
}

export const get = path => api('GET', path);
export const post = (path, body) => api('POST', path, body === undefined ? {} : body);

/** A query string from the parameters that have a value: {a: 'x', b: ''} -> '?a=x'. */
export function query(params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '' && v !== false) {
      q.set(k, String(v));
    }
  }
  const s = q.toString();
  return s ? '?' + s : '';
}

export const enc = encodeURIComponent;
