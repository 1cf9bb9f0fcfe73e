// One live view: takes a lease, plays its HLS playlist with hls.js, renews it at half its remaining lifetime (the playlist
// URL stays the same across renewals), releases it on stop. Shared by the camera wall and the camera panel. When the right
// ends, the tile stops and says why: at once on leaseRevoked / accessRevoked from the hub, else at the next playlist or
// segment request, which the server refuses with the reason.
import Hls from 'hls.js';
import { api } from './api.js';
import { t, reasonText } from './i18n.js';
import { escapeHtml } from './dom.js';
import { attachRewindBar } from './rewindBar.js';

const MIN_RENEW_DELAY_MS = 1_000;
const RENEW_RETRY_MS = 1_000;
const players = new Set();

/**
 * Plays <cameraId> into <container> (which it fills with a video and a state line); <onStop> hears why it stopped;
 * <explainEnd>(reason code) may name the cause better than the code does (the wall knows its incident closed).
 */
export function startPlayer(container, cameraId, { purpose, incidentId, onStop, explainEnd }) {
  container.dataset.camera = cameraId;
  delete container.dataset.renewals; delete container.dataset.stopReason; delete container.dataset.stoppedAt;
  container.classList.remove('stopped', 'denied');
  container.innerHTML = `<video muted autoplay playsinline></video><span class="state">${escapeHtml(cameraId)} · ${escapeHtml(t('requesting'))}</span>`;
  const player = { cameraId, incidentId, container, onStop, explainEnd, hls: null, leaseId: null, playlistUrl: null, timer: null, stopped: false };
  players.add(player);
  play(player, purpose);
  return player;
}

const endText = (player, code, fallback) => player.explainEnd?.(code) || reasonText(code, fallback);

const setState = (player, text) => { player.container.querySelector('.state').textContent = `${player.cameraId} · ${text}`; };

async function play(player, purpose) {
  try {
    const lease = await api('POST', `/cameras/${encodeURIComponent(player.cameraId)}/leases`, { purpose, incidentId: player.incidentId });
    player.leaseId = lease.leaseId;
    player.playlistUrl = lease.playlistUrl;
    if (player.stopped) { release(player); return; }
    scheduleRenewal(player, lease);
    // The relay needs a few seconds to write its first segments: wait for the playlist before handing it to hls.js.
    for (let i = 0; i < 60 && !player.stopped; i++) {
      const r = await fetch(lease.playlistUrl, { cache: 'no-store' });
      if (r.status === 403) { stopPlayer(player, await refusalText(player, r)); return; }
      if (r.ok && (await r.text()).includes('.ts')) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    if (player.stopped) return;
    const video = player.container.querySelector('video');
    if (Hls.isSupported()) {
      player.hls = new Hls({ liveSyncDurationCount: 2, manifestLoadingMaxRetry: 30, manifestLoadingRetryDelay: 1000, levelLoadingMaxRetry: 30 });
      player.hls.loadSource(lease.playlistUrl);
      player.hls.attachMedia(video);
      player.hls.on(Hls.Events.MANIFEST_PARSED, () => video.play().catch(() => {}));
      player.hls.on(Hls.Events.ERROR, (_e, data) => {
        if (data.fatal && data.response?.code === 403) stopForRefusal(player);
        else if (data.fatal && data.type === Hls.ErrorTypes.NETWORK_ERROR) setTimeout(() => player.hls?.loadSource(player.playlistUrl), 1000);
      });
    } else video.src = lease.playlistUrl;
    setState(player, t('playing'));
    attachRewindBar(player, lease);
  } catch (e) {
    player.stopped = true;
    players.delete(player);
    player.container.classList.add('stopped', 'denied');
    player.container.querySelector('video')?.remove();
    setState(player, t('denied', reasonText(e.problem?.reason, e.problem?.detail || e.message)));
  }
}

/** Renews at half the lifetime the server says is left (so clock skew does not matter), and again after each renewal. */
function scheduleRenewal(player, lease) {
  const left = lease.expiresInSeconds ?? (new Date(lease.expiresAt) - Date.now()) / 1000;
  clearTimeout(player.timer);
  player.timer = setTimeout(() => renew(player), Math.max(MIN_RENEW_DELAY_MS, (left * 1000) / 2));
}

async function renew(player) {
  if (player.stopped) return;
  try {
    const lease = await api('POST', `/leases/${player.leaseId}/renew`, {});
    if (player.stopped) return;
    // The same URL as before, unless the camera's relay moved to another node: then follow it.
    if (lease.playlistUrl !== player.playlistUrl) { player.playlistUrl = lease.playlistUrl; player.hls?.loadSource(lease.playlistUrl); }
    player.container.dataset.renewals = String(Number(player.container.dataset.renewals || 0) + 1);
    scheduleRenewal(player, lease);
  } catch (e) {
    // Refused: stop and say why. A lease already gone (404, 409) was ended by the server a moment earlier (the end of a
    // grace, a revocation); its playlist still answers with the reason. Otherwise (network, server busy): retry shortly.
    if (e.status === 403) stopPlayer(player, endText(player, e.problem?.reason, e.problem?.detail || e.message));
    else if ([404, 409].includes(e.status)) await stopForRefusal(player);
    else player.timer = setTimeout(() => renew(player), RENEW_RETRY_MS);
  }
}

/** hls.js was refused a playlist or segment; the playlist's refusal says why (policy changed, maintenance, incident closed, ...). */
async function stopForRefusal(player) {
  try {
    stopPlayer(player, await refusalText(player, await fetch(player.playlistUrl, { cache: 'no-store' })));
  } catch {
    stopPlayer(player, t('leaseRevoked'));
  }
}

async function refusalText(player, response) {
  const problem = await response.json().catch(() => null);
  return endText(player, problem?.reason, problem?.detail || t('leaseRevoked'));
}

function release(player) {
  if (player.leaseId) api('DELETE', `/leases/${player.leaseId}`).catch(() => {});
}

/** Stops playing, says why, and releases the lease. */
export function stopPlayer(player, reason) {
  if (player.stopped) return;
  player.stopped = true;
  players.delete(player);
  clearTimeout(player.timer);
  player.hls?.destroy(); player.hls = null;
  const video = player.container.querySelector('video');
  if (video) { video.pause(); video.removeAttribute('src'); video.load(); }
  player.container.classList.add('stopped');
  player.container.dataset.stopReason = reason;
  player.container.dataset.stoppedAt = String(Date.now());
  setState(player, t('stopped', reason));
  release(player);
  player.onStop?.(reason);
}

/** A lease was revoked (leaseRevoked from the hub). */
export function revokeLease(event) {
  for (const p of [...players]) if (p.leaseId === event.leaseId || (!event.leaseId && p.cameraId === event.cameraId)) stopPlayer(p, endText(p, event.reason, t('leaseRevoked')));
}

/** An incident's access to some cameras ended (accessRevoked from the hub). */
export function revokeIncidentAccess(event) {
  const cameras = new Set(event.cameraIds || []);
  for (const p of [...players]) if (p.incidentId === event.incidentId && cameras.has(p.cameraId)) stopPlayer(p, endText(p, event.reason, t('leaseRevoked')));
}

export function stopAllPlayers(reason) {
  for (const p of [...players]) stopPlayer(p, reason);
}
