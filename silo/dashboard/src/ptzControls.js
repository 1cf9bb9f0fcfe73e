// PTZ controls in the camera panel, shown only when the lease carries the PTZ right: take or give back the camera's lock,
// an arrow pad (press and hold = continuous move, release = stop; a move takes the lock first when it is free), home, and
// who holds the lock until when. The server decides everything (right, lock, priority); this only asks and says the answer.
import { api } from './api.js';
import { t, fmtDate, addStrings, reasonText } from './i18n.js';
import { escapeHtml } from './dom.js';
import ko from './i18n/ptz.ko.json';
import en from './i18n/ptz.en.json';

addStrings({ ko, en });

const REFRESH_MS = 5_000;
const PAD = [
  ['up', 0, 1, '▲'], ['left', -1, 0, '◀'], ['home', 0, 0, '⌂'], ['right', 1, 0, '▶'], ['down', 0, -1, '▼'],
];
const SPEED = 0.5;
const mounted = new Set();

/** Adds the controls for <cameraId> to <container>; returns a handle whose dispose() removes them. */
export function mountPtzControls(container, cameraId) {
  const root = document.createElement('div');
  root.className = 'ptz';
  root.dataset.camera = cameraId;
  root.innerHTML = `<div class="ptz-pad">${PAD.map(([name, , , label]) =>
    `<button type="button" class="ptz-${name}" data-dir="${name}" title="${escapeHtml(t(`ptz.${name}`))}">${label}</button>`).join('')}</div>
    <div class="ptz-side"><p class="ptz-lock"></p><p class="ptz-message" role="status"></p><button type="button" class="ptz-take"></button></div>`;
  container.append(root);
  const control = { cameraId, root, state: null, moving: false, timer: null };
  mounted.add(control);
  for (const button of root.querySelectorAll('.ptz-pad button')) {
    const [name, pan, tilt] = PAD.find(([n]) => n === button.dataset.dir);
    if (name === 'home') { button.addEventListener('click', async () => { if (mine(control) || await takeLock(control)) command(control, 'home'); }); continue; }
    button.addEventListener('pointerdown', (e) => { e.preventDefault(); startMove(control, pan * SPEED, tilt * SPEED); });
    for (const end of ['pointerup', 'pointerleave', 'pointercancel']) button.addEventListener(end, () => stopMove(control));
  }
  root.querySelector('.ptz-take').addEventListener('click', () => (mine(control) ? release(control) : takeLock(control)));
  refresh(control);
  control.timer = setInterval(() => refresh(control), REFRESH_MS);
  return { dispose: () => dispose(control) };
}

/** ptzPreempted from the hub: a higher-priority incident took one of our cameras' locks. */
export function ptzPreempted(event) {
  for (const control of mounted) if (control.cameraId === event.cameraId) { refresh(control); say(control, t('ptz.preempted', event.by)); }
}

const mine = (control) => control.state?.lock?.yours === true;
const path = (control, action = '') => `/cameras/${encodeURIComponent(control.cameraId)}/ptz${action}`;

async function refresh(control) {
  try {
    render(control, await api('GET', path(control)));
  } catch (e) {
    say(control, refusal(e));
  }
}

async function takeLock(control) {
  try {
    render(control, await api('POST', path(control, '/lock')));
    say(control, '');
    return true;
  } catch (e) {
    say(control, refusal(e));
    return false;
  }
}

async function release(control) {
  try {
    render(control, await api('DELETE', path(control, '/lock')));
    say(control, '');
  } catch (e) {
    say(control, refusal(e));
  }
}

async function startMove(control, pan, tilt) {
  if (!mine(control) && !(await takeLock(control))) return;
  control.moving = true;
  await command(control, 'move', { pan, tilt, zoom: 0 });
}

function stopMove(control) {
  if (!control.moving) return;
  control.moving = false;
  command(control, 'stop');
}

async function command(control, name, body) {
  try {
    render(control, await api('POST', path(control, `/${name}`), body ?? {}));
    say(control, '');
  } catch (e) {
    control.moving = false;
    say(control, refusal(e));
  }
}

function render(control, state) {
  control.state = state;
  const { root } = control;
  const lock = state.lock;
  root.dataset.lock = !lock ? 'free' : lock.yours ? 'mine' : 'other';
  root.querySelector('.ptz-lock').textContent = !lock ? t('ptz.free')
    : lock.yours ? t('ptz.yours', fmtDate(lock.until)) : t('ptz.held', lock.agencyId, fmtDate(lock.until));
  root.querySelector('.ptz-take').textContent = lock?.yours ? t('ptz.release') : t('ptz.take');
  for (const button of root.querySelectorAll('.ptz-pad button')) button.disabled = !!lock && !lock.yours;
}

/** Why the last request was refused (or who took the lock), kept beside the lock's state until a request succeeds. */
function say(control, text) {
  control.root.querySelector('.ptz-message').textContent = text;
}

function refusal(e) {
  const reason = reasonText(e.problem?.reason, e.problem?.detail || e.message);
  return e.problem?.holderAgency ? t('ptz.held', e.problem.holderAgency, fmtDate(e.problem.until)) : reason;
}

function dispose(control) {
  clearInterval(control.timer);
  mounted.delete(control);
  control.root.remove();
}
