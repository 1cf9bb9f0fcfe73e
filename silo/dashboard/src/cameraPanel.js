// The camera panel: the access decision for this operator; when allowed a snapshot and a live player (lease, renewal,
// release on close), when denied the reason in words and no video.
import { api, apiBlobUrl } from './api.js';
import { t, reasonText, onLanguageChange } from './i18n.js';
import { $, escapeHtml } from './dom.js';
import { grantFor } from './accessOverview.js';
import { selectedIncidentContext } from './incidents.js';
import { startPlayer, stopPlayer } from './player.js';
import { mountPtzControls } from './ptzControls.js';
import { statusOf, offlineWhy } from './cameraStatus.js';

let view = null; // { id, purpose, incidentId, decision, snapshot }
let player = null;
let ptz = null;

onLanguageChange(() => { if (view) renderHeaderAndDecision(); });

/** Under the selected incident (for its grant's purpose); else under the incident that grants us this camera; else for monitoring. */
function viewingContext(id) {
  const incident = selectedIncidentContext();
  if (incident) return incident;
  const grant = grantFor(id);
  return grant ? { purpose: grant.purpose, incidentId: grant.incidentId } : { purpose: 'monitoring', incidentId: null };
}

export async function openCamera(id) {
  closeCamera();
  const { purpose, incidentId } = viewingContext(id);
  const query = `purpose=${purpose}${incidentId ? `&incident=${encodeURIComponent(incidentId)}` : ''}`;
  let decision;
  try {
    decision = await api('GET', `/cameras/${encodeURIComponent(id)}/access?${query}`);
  } catch (e) {
    $('camera').hidden = false;
    $('camera').innerHTML = `<p class="error">${escapeHtml(t('cameraFailed', id, e.message))}</p>`;
    return;
  }
  view = { id, purpose, incidentId, decision, snapshot: null };
  const panel = $('camera');
  panel.hidden = false;
  panel.innerHTML = '<div class="head"></div><div class="decision"></div><div class="live tile" hidden></div>';
  renderHeaderAndDecision();
  if (decision.allowed) {
    const live = panel.querySelector('.live');
    live.hidden = false;
    const started = startPlayer(live, id, {
      purpose, incidentId,
      onStop: (reason) => { if (player === started) accessEnded(reason); },
      onLease: (lease) => { if (lease.ptz && player === started && !ptz) ptz = mountPtzControls(panel, id); },
    });
    player = started;
    // The still (itself audited) comes beside the live picture, never before it: a cold camera's one-shot grab takes a second.
    showSnapshot(view, `/cameras/${encodeURIComponent(id)}/snapshot?${query}`);
  } else if (decision.reason === 'camera-offline') showOfflineWhy(view);
}

/** Refused because the camera is offline: the panel adds why and when the node tries it again. */
async function showOfflineWhy(shown) {
  const why = offlineWhy(await statusOf(shown.id));
  if (view === shown && why) { shown.offlineWhy = why; renderHeaderAndDecision(); }
}

/** Adds the still to the panel when it arrives, unless the panel moved on to another camera meanwhile. */
async function showSnapshot(shown, path) {
  const snapshot = await apiBlobUrl(path).catch(() => null);
  if (view === shown && snapshot && !shown.ended) { shown.snapshot = snapshot; renderHeaderAndDecision(); }
  else if (snapshot) URL.revokeObjectURL(snapshot);
}

/** The player stopped while the panel stays open (revoked, expired): the panel no longer says "allowed". */
function accessEnded(reason) {
  ptz?.dispose(); ptz = null;
  view.ended = reason;
  renderHeaderAndDecision();
}

function renderHeaderAndDecision() {
  const panel = $('camera');
  const { id, decision, snapshot, ended, offlineWhy: why } = view;
  panel.querySelector('.head').innerHTML = `<h3>${escapeHtml(t('camera'))} ${escapeHtml(id)} <button type="button" class="close">${escapeHtml(t('close'))}</button></h3>`;
  panel.querySelector('.close').addEventListener('click', closeCamera);
  panel.querySelector('.decision').innerHTML = ended
    ? `<p class="denied ended">${escapeHtml(t('accessEnded', ended))}</p>`
    : decision.allowed
    ? `<p class="allowed" data-reason="${escapeHtml(decision.reason)}">${escapeHtml(t('allowedBecause', reasonText(decision.reason, decision.explanation)))}</p>
       ${snapshot ? `<img class="snapshot" alt="${escapeHtml(id)}" src="${snapshot}">` : ''}`
    : `<p class="denied" data-reason="${escapeHtml(decision.reason)}">${escapeHtml(t('denied', reasonText(decision.reason, decision.explanation)))}${why ? ` (${escapeHtml(why)})` : ''}</p>`;
}

function closeCamera() {
  const closing = player;
  player = null;
  ptz?.dispose(); ptz = null;
  if (closing) stopPlayer(closing, t('close'));
  if (view?.snapshot) URL.revokeObjectURL(view.snapshot);
  view = null;
  const panel = $('camera');
  panel.hidden = true;
  panel.innerHTML = '';
}
