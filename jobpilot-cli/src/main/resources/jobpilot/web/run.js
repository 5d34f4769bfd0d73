// One run's page (/runs/{runId}): GET /api/runs/{runId}, refreshed while the run is under way (or its notification is
// pending); Stop through POST /api/runs/{runId}/stop; each artifact through GET /api/runs/{runId}/artifacts/{path}.
import {api, artifactPath, download, runPath, stopPath, token} from './api.js';
import {el, isUnderWay, refresher, remoteIds, runDuration, showFailure, stateBadge, stateOf, time, tokenForm} from './view.js';

const REFRESH_MS = 2000;
const runId = decodeURIComponent(location.pathname.replace(/^\/runs\//, ''));
const stop = document.getElementById('stop');
let current = null;
let missing = false;
let stopping = false;

document.title = runId + ' · jobpilot';
document.getElementById('run-id').textContent = runId;

function fact(name, ...value) {
  return [el('dt', {}, name), el('dd', {}, ...value)];
}

function pairs(tableId, entries) {
  const body = document.querySelector('#' + tableId + ' tbody');
  body.replaceChildren(...(entries.length
    ? entries.map(([k, v]) => el('tr', {}, el('th', {}, k),
      el('td', {}, v !== null && typeof v === 'object' ? el('pre', {}, JSON.stringify(v, null, 2)) : String(v))))
    : [el('tr', {}, el('td', {class: 'muted'}, 'none'))]));
}

function summary(run) {
  document.getElementById('summary').replaceChildren(
    ...fact('Workflow', run.workflow),
    ...fact('Origin', run.origin || '-'),
    ...fact('Started', time(run.startedAt)),
    ...fact('Finished', time(run.finishedAt)),
    ...fact('Duration', runDuration(run) + (isUnderWay(run) ? ' so far' : '')),
    ...fact('Remote id', remoteIds(run) || '-'));
}

function error(run) {
  const e = run.error;
  document.getElementById('error-section').hidden = !e;
  if (e) {
    document.getElementById('error').replaceChildren(...fact('Kind', e.kind), ...fact('Vendor code', e.vendorCode || '-'),
      ...fact('Step', e.step || '-'), ...fact('Message', e.message || '-'));
  }
}

function warnings(run) {
  const list = run.warnings || [];
  document.getElementById('warnings-section').hidden = list.length === 0;
  document.getElementById('warnings').replaceChildren(...list.map(w => el('li', {}, w)));
}

function timeline(events) {
  document.getElementById('timeline').replaceChildren(...events.map(e =>
    el('li', {class: 'event event-' + e.state.toLowerCase().replace(/_/g, '-')},
      time(e.at), ' ', stateBadge(e.state), e.detail ? el('span', {class: 'detail'}, e.detail) : null)));
}

function notification(run) {
  const n = run.notification;
  document.getElementById('notification').replaceChildren(...(n
    ? [...fact('State', stateBadge(n.state)), ...fact('URL', n.url), ...fact('Attempts', n.attempts),
      ...fact('Last attempt', time(n.lastAttemptAt)),
      ...(n.nextAttemptAt ? fact('Next attempt', time(n.nextAttemptAt)) : []),
      ...(n.lastError ? fact('Last error', n.lastError) : [])]
    : fact('State', el('span', {class: 'muted'}, 'none (the run has no notify URL)'))));
}

function artifactLink(file) {
  const name = file.split('/').pop();
  const link = el('a', {href: artifactPath(runId, file), download: name, class: 'artifact'}, file);
  link.addEventListener('click', event => {
    if (token()) {        // a link cannot carry the token: fetch the file with it instead
      event.preventDefault();
      download(link.getAttribute('href'), name).catch(showFailure);
    }
  });
  return el('li', {}, link);
}

function artifacts(run) {
  const files = run.artifacts || [];
  document.getElementById('artifacts').replaceChildren(...(files.length
    ? files.map(artifactLink) : [el('li', {class: 'muted'}, 'none yet')]));
}

function draw(view) {
  current = view;
  const run = view.run;
  document.getElementById('run-state').replaceChildren(stateBadge(stateOf(run)));
  stop.hidden = !isUnderWay(run);
  stop.disabled = stopping;
  stop.textContent = stopping ? 'Stopping…' : 'Stop';
  summary(run);
  error(run);
  warnings(run);
  timeline(view.events || []);
  pairs('params', Object.entries(run.params || {}));
  pairs('counts', Object.entries(run.counts || {}));
  notification(run);
  artifacts(run);
  document.getElementById('run').hidden = false;
}

async function fetchRun() {
  try {
    return await api('GET', runPath(runId));
  } catch (e) {
    missing = e.status === 404;
    throw e;
  }
}

const followed = () => !missing && (current === null || isUnderWay(current.run)
  || (current.run.notification && current.run.notification.state === 'PENDING'));
const refresh = refresher(fetchRun, draw, REFRESH_MS, followed);
tokenForm(refresh);

stop.addEventListener('click', async () => {
  if (!confirm('Stop run ' + runId + '? Its remote job is stopped the workflow\'s way; the run ends STOPPED.')) {
    return;
  }
  stopping = true;
  stop.disabled = true;
  stop.textContent = 'Stopping…';
  try {
    await api('POST', stopPath(runId));
    refresh();
  } catch (e) {
    stopping = false;
    stop.disabled = false;
    stop.textContent = 'Stop';
    showFailure(e);
  }
});
