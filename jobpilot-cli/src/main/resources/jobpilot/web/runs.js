// The runs list (/): GET /api/runs with the state and workflow filters, the text filter applied here, refreshed every
// few seconds. The filters live in the page's address, so a filtered list can be bookmarked or shared.
import {api, runPage, runsPath} from './api.js';
import {countsSummary, el, refresher, remoteIds, runDuration, stateBadge, stateOf, time, tokenForm} from './view.js';

const REFRESH_MS = 2000;
const filters = document.getElementById('filters');
const state = document.getElementById('filter-state');
const workflow = document.getElementById('filter-workflow');
const text = document.getElementById('filter-text');
const auto = document.getElementById('auto-refresh');
const rows = document.querySelector('#runs tbody');
const workflows = new Set();
let listed = [];

function readAddress() {
  const q = new URLSearchParams(location.search);
  state.value = (q.get('state') || '').toUpperCase();
  workflow.value = q.get('workflow') || '';
  text.value = q.get('q') || '';
}

function writeAddress() {
  const q = new URLSearchParams();
  if (state.value) {
    q.set('state', state.value);
  }
  if (workflow.value.trim()) {
    q.set('workflow', workflow.value.trim());
  }
  if (text.value.trim()) {
    q.set('q', text.value.trim());
  }
  const search = q.toString();
  history.replaceState(null, '', search ? '?' + search : location.pathname);
}

/** The filters the API applies. */
function apiQuery() {
  const q = {};
  if (state.value) {
    q.state = state.value;
  }
  if (workflow.value.trim()) {
    q.workflow = workflow.value.trim();
  }
  return q;
}

/** Every word of the text filter appears in the run's id, workflow, origin, state, remote ids, parameters or error. */
function matches(run, words) {
  const error = run.error || {};
  const seen = [run.runId, run.workflow, run.origin, stateOf(run), remoteIds(run), error.kind, error.vendorCode, error.message,
    ...Object.entries(run.params || {}).flat()].join(' ').toLowerCase();
  return words.every(w => seen.includes(w));
}

function row(run) {
  return el('tr', {'data-run-id': run.runId},
    el('td', {}, el('a', {href: runPage(run.runId), class: 'run-link'}, run.runId)),
    el('td', {}, run.workflow),
    el('td', {}, run.origin || '-'),
    el('td', {}, stateBadge(stateOf(run))),
    el('td', {class: 'mono'}, remoteIds(run) || '-'),
    el('td', {}, time(run.startedAt)),
    el('td', {class: 'num'}, runDuration(run)),
    el('td', {}, countsSummary(run.counts) || '-'));
}

function emptyRow(text) {
  return el('tr', {class: 'empty'}, el('td', {colspan: 8}, text));
}

function draw(runs) {
  listed = runs;
  runs.forEach(r => workflows.add(r.workflow));
  document.getElementById('workflows').replaceChildren(...[...workflows].sort().map(w => el('option', {value: w})));
  const words = text.value.toLowerCase().split(/\s+/).filter(Boolean);
  const visible = runs.filter(r => matches(r, words));
  if (visible.length) {
    rows.replaceChildren(...visible.map(row));
  } else if (runs.length) {
    rows.replaceChildren(emptyRow('No run matches "' + text.value.trim() + '".'));
  } else {
    rows.replaceChildren(emptyRow(Object.keys(apiQuery()).length ? 'No runs match these filters.' : 'No runs yet.'));
  }
}

readAddress();
const refresh = refresher(() => api('GET', runsPath(apiQuery())), draw, REFRESH_MS, () => auto.checked);
tokenForm(refresh);
const filtersChanged = () => {
  writeAddress();
  refresh();
};
state.addEventListener('change', filtersChanged);
workflow.addEventListener('change', filtersChanged);
filters.addEventListener('submit', event => {
  event.preventDefault();
  filtersChanged();
});
text.addEventListener('input', () => {
  writeAddress();
  draw(listed);
});
auto.addEventListener('change', () => {
  if (auto.checked) {
    refresh();
  }
});
