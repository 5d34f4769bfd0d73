// serve's JSON API as the page calls it: the same endpoints a script would use, with the API token the user gave this
// tab (kept in sessionStorage, so it goes when the tab closes, and never in an address or the page).
const TOKEN_KEY = 'jobpilot.apiToken';

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) {
    sessionStorage.setItem(TOKEN_KEY, value);
  } else {
    sessionStorage.removeItem(TOKEN_KEY);
  }
}

/** An answer other than 2xx: its HTTP status and the API's one-line message. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function headers() {
  const h = {Accept: 'application/json'};
  const t = token();
  if (t) {
    h.Authorization = 'Bearer ' + t;
  }
  return h;
}

/** Calls the API; the parsed JSON answer, or an ApiError carrying the API's {"error": ...} message. */
export async function api(method, path) {
  let response;
  try {
    response = await fetch(path, {method, headers: headers(), cache: 'no-store'});
  } catch (e) {
    throw new ApiError(0, 'jobpilot serve does not answer (' + e.message + ')');
  }
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch (e) {
    // not JSON: the message below says what came back
  }
  if (!response.ok) {
    throw new ApiError(response.status, body && body.error ? body.error : 'HTTP ' + response.status);
  }
  return body;
}

export function runsPath(query) {
  const q = new URLSearchParams(query).toString();
  return '/api/runs' + (q ? '?' + q : '');
}

export function runPath(runId) {
  return '/api/runs/' + encodeURIComponent(runId);
}

export function stopPath(runId) {
  return runPath(runId) + '/stop';
}

export function artifactPath(runId, file) {
  return runPath(runId) + '/artifacts/' + file.split('/').map(encodeURIComponent).join('/');
}

/** The address of a run's page. */
export function runPage(runId) {
  return '/runs/' + encodeURIComponent(runId);
}

/**
 * Saves an artifact through fetch, so the token goes with it (a plain link cannot send a header): the browser's
 * ordinary download of the file's bytes, under its own name.
 */
export async function download(path, name) {
  const response = await fetch(path, {headers: headers(), cache: 'no-store'});
  if (!response.ok) {
    const text = await response.text();
    let message = 'HTTP ' + response.status;
    try {
      message = JSON.parse(text).error || message;
    } catch (e) {
      // keep the status
    }
    throw new ApiError(response.status, message);
  }
  const url = URL.createObjectURL(await response.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
}
