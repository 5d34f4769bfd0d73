// What both pages draw: elements built with text only (a value from the API never becomes markup), states with their
// colour, times, durations and counts, the API token form, the message line and the refresh loop.
import {ApiError, setToken, token} from './api.js';

/** An element with attributes and children (strings become text nodes). */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== null && value !== undefined && value !== false) {
      e.setAttribute(name, value === true ? '' : value);
    }
  }
  for (const c of children.flat()) {
    if (c !== null && c !== undefined) {
      e.append(c instanceof Node ? c : String(c));
    }
  }
  return e;
}

/** A run's state as shown: its outcome once it ended, else the state under way. */
export function stateOf(run) {
  return run.outcome || run.state || 'PENDING';
}

export function stateBadge(state) {
  return el('span', {class: 'state state-' + state.toLowerCase().replace(/_/g, '-'), 'data-state': state}, state);
}

export function isUnderWay(run) {
  return !run.outcome;
}

export function time(iso) {
  if (!iso) {
    return el('span', {class: 'muted'}, '-');
  }
  const d = new Date(iso);
  return el('time', {datetime: iso, title: iso}, d.toLocaleString());
}

/** 950 ms, 12.3 s, 4 min 05 s, 2 h 03 min. */
export function duration(ms) {
  if (ms === null || ms === undefined) {
    return '-';
  }
  if (ms < 1000) {
    return ms + ' ms';
  }
  const s = ms / 1000;
  if (s < 60) {
    return s.toFixed(1) + ' s';
  }
  const m = Math.floor(s / 60);
  if (m < 60) {
    return m + ' min ' + String(Math.floor(s % 60)).padStart(2, '0') + ' s';
  }
  return Math.floor(m / 60) + ' h ' + String(m % 60).padStart(2, '0') + ' min';
}

/** How long a run took, or has been going. */
export function runDuration(run) {
  if (run.durationMs !== null && run.durationMs !== undefined) {
    return duration(run.durationMs);
  }
  return run.startedAt && isUnderWay(run) ? duration(Date.now() - Date.parse(run.startedAt)) : '-';
}

/** The run's top-level counts that are numbers, e.g. "tasks 2 · reports 1,500" (the run's page shows them all). */
export function countsSummary(counts) {
  return Object.entries(counts || {})
    .filter(([, v]) => typeof v === 'number')
    .map(([k, v]) => k + ' ' + v.toLocaleString())
    .join(' · ');
}

export function remoteIds(run) {
  return Object.values(run.remoteIds || {}).join(', ');
}

const message = () => document.getElementById('message');

/** Shows a one-line problem above the page's content (an API error, serve unreachable). */
export function showMessage(text) {
  message().textContent = text;
  message().hidden = false;
}

export function clearMessage() {
  message().hidden = true;
  message().textContent = '';
}

/** An API failure as the page says it; a 401 opens the token form. */
export function showFailure(e) {
  if (e instanceof ApiError && e.status === 401) {
    document.getElementById('token').open = true;
    showMessage('This server needs its API token: enter it under "API token". (' + e.message + ')');
  } else {
    showMessage(e.message);
  }
}

/** Fills the header's API token form; {@code changed} runs when the user sets or forgets the token. */
export function tokenForm(changed) {
  const details = document.getElementById('token');
  const input = el('input', {id: 'token-input', type: 'password', autocomplete: 'off', spellcheck: 'false'});
  const forget = el('button', {type: 'button', id: 'token-forget'}, 'Forget');
  const form = el('form', {id: 'token-form'},
    el('label', {}, 'Token of this server (', el('code', {}, 'jobpilot.server.api-token'), ') ', input),
    el('button', {type: 'submit', id: 'token-use'}, 'Use'), ' ', forget,
    el('p', {class: 'hint'}, 'Kept in this tab only (sessionStorage), sent as Authorization: Bearer.'));
  const summary = el('summary', {});
  const label = () => {
    summary.textContent = token() ? 'API token: set' : 'API token';
  };
  details.replaceChildren(summary, form);
  label();
  form.addEventListener('submit', event => {
    event.preventDefault();
    setToken(input.value.trim());
    input.value = '';
    details.open = false;
    label();
    changed();
  });
  forget.addEventListener('click', () => {
    setToken(null);
    label();
    changed();
  });
}

/**
 * Fetches with {@code fetchData} and draws the answer with {@code draw}, now and again {@code everyMs} after each
 * answer while {@code active()} holds. Only the latest call draws (a filter changed mid-call wins over the older
 * answer); the "updated" line says when the page last heard from serve. Returns a function that refreshes at once.
 */
export function refresher(fetchData, draw, everyMs, active) {
  let timer = null;
  let latest = 0;
  let failed = false;       // the message line shows this loop's failure: cleared by the next answer, unlike others
  const updated = document.getElementById('updated');
  const refresh = async () => {
    const call = ++latest;
    clearTimeout(timer);
    try {
      const data = await fetchData();
      if (call !== latest) {
        return;
      }
      draw(data);
      if (failed) {
        failed = false;
        clearMessage();
      }
      updated.textContent = 'updated ' + new Date().toLocaleTimeString();
    } catch (e) {
      if (call !== latest) {
        return;
      }
      failed = true;
      showFailure(e);
    }
    if (active()) {
      timer = setTimeout(refresh, everyMs);
    }
  };
  refresh();
  return refresh;
}
