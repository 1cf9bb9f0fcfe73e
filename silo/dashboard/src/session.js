// Sign-in (a development token from /auth/token, or a pasted one), the operator session with its heartbeat, log-out.
import { api, auth } from './api.js';
import { t } from './i18n.js';
import { $ } from './dom.js';

// A third of the session's heartbeat timeout, so two beats may be lost before it expires; within these bounds.
const HEARTBEAT_MIN_MS = 2_000;
const HEARTBEAT_MAX_MS = 30_000;
const VIEWER_ROLES = ['operator', 'supervisor'];
let sessionId = null;
let heartbeat = null;

export const canView = (role) => VIEWER_ROLES.includes(role);

function claims(token) {
  try { return JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))); } catch { return {}; }
}

/** Wires the sign-in form; onSignedIn({ role, agencyId, operatorId }) runs once signed in. */
export function initSignIn(onSignedIn) {
  const fail = (e) => { $('signin-error').textContent = t('signInFailed', e.message); };
  $('signin-dev').addEventListener('click', async () => {
    $('signin-error').textContent = '';
    try {
      const role = $('role').value;
      const minted = await api('POST', '/auth/token', { agencyId: $('agency').value.trim(), operatorId: $('operator').value.trim(), role }, null);
      await start(minted.accessToken, role, onSignedIn);
    } catch (e) { fail(e); }
  });
  $('signin-token').addEventListener('click', async () => {
    $('signin-error').textContent = '';
    try { await start($('pasted').value.trim(), null, onSignedIn); } catch (e) { fail(e); }
  });
  // A token handed over by the deployment's issuer in the fragment (/#access_token=…), which never reaches the server;
  // it is taken out of the address bar at once, so it is neither bookmarked nor left in the history.
  const handed = new URLSearchParams(location.hash.slice(1)).get('access_token');
  if (handed) {
    history.replaceState(null, '', location.pathname + location.search);
    start(handed, null, onSignedIn).catch(fail);
  }
}

async function start(token, role, onSignedIn) {
  const c = claims(token);
  role = role || c.role;
  auth.token = token;
  if (canView(role)) {
    const session = await api('POST', '/sessions', {});
    auth.token = session.accessToken; sessionId = session.sessionId;
    document.body.dataset.session = sessionId;
    const timeout = new Date(session.session.expiresAt) - Date.now();
    heartbeat = setInterval(beat, Math.min(HEARTBEAT_MAX_MS, Math.max(HEARTBEAT_MIN_MS, timeout / 3)));
  }
  const who = { role, agencyId: c.agency || $('agency').value, operatorId: c.sub || '' };
  auth.agencyId = who.agencyId; auth.role = role;
  $('who').textContent = `${who.agencyId} · ${who.operatorId} · ${role}`;
  document.body.dataset.role = role;
  $('signin').hidden = true; $('main').hidden = false; $('logout').hidden = false;
  await onSignedIn(who);
}

/** Keeps the session alive; if the server has ended it (expired, logged out elsewhere), says so instead of failing quietly. */
async function beat() {
  try {
    await api('POST', `/sessions/${sessionId}/heartbeat`, {});
  } catch (e) {
    if (![401, 403, 404].includes(e.status)) return; // the network or the node: the next beat tries again
    clearInterval(heartbeat);
    $('session-lost').textContent = t('sessionLost', e.message);
    $('session-lost').hidden = false;
  }
}

/** Ends the session (every lease it held ends with it), then reloads to the sign-in form. */
export async function endSession() {
  clearInterval(heartbeat);
  if (sessionId) await api('DELETE', `/sessions/${sessionId}`).catch(() => {});
  location.reload();
}
