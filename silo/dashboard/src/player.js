// One live view: takes a lease, plays it on the low-latency path (fMP4 over WebSocket into MSE, see liveStream.js) where
// the browser has MediaSource, else (or when that path cannot start) its HLS playlist with hls.js; renews it at half its
// remaining lifetime (the URLs stay the same across renewals), releases it on stop. Shared by the camera wall and the camera
// panel. When the right ends, the tile stops and says why: at once on leaseRevoked / accessRevoked from the hub, else when
// the live socket closes with the lease-end reason, or at the next playlist or segment request, refused with the reason.
// A lease that only lapsed (its renewals came late: a sleeping laptop, a stalled browser, a lost network) is asked for
// again, as a new audited decision, a few times a minute at most; a refusal then stops the tile with its reason. A lease
// request the service cannot answer for now (a database restart: it cannot audit the view) is not a denial: the tile says
// it waits and asks again, no sooner than the server's Retry-After and less often while the outage lasts. So does a view
// whose encode the busy node gave to an incident's viewer: routine watching resumes by itself once there is room again.
import Hls from 'hls.js';
import { liveSupported, startLiveStream } from './liveStream.js';
import { api, isTransient } from './api.js';
import { t, reasonText } from './i18n.js';
import { escapeHtml } from './dom.js';
import { attachRewindBar } from './rewindBar.js';
import { statusOf, offlineWhy } from './cameraStatus.js';

const MIN_RENEW_DELAY_MS = 1_000;
const LIVE_RECONNECT_MS = 500;
const LIVE_RECONNECTS = 5;
const CLOSE_LEASE_ENDED = 1008;
const CLOSE_RECONNECT = 1012;
const RENEW_RETRY_MS = 1_000;
const LAPSED = ['lease-expired', 'lease-ended'];
const CAMERA_OFFLINE = 'camera-offline';
const GAVE_WAY = 'encode-yielded';
const REOPENS_PER_WINDOW = 3;
const REOPEN_WINDOW_MS = 60_000;
const UNAVAILABLE_RETRY_MS = 2_000;
const UNAVAILABLE_RETRY_MAX_MS = 10_000;
const players = new Set();

/**
 * Plays <cameraId> into <container> (which it fills with a video and a state line); <onStop> hears why it stopped;
 * <explainEnd>(reason code) may name the cause better than the code does (the wall knows its incident closed); <onLease> hears
 * the lease once granted (its rights: unmasked, ptz).
 */
export function startPlayer(container, cameraId, { purpose, incidentId, onStop, explainEnd, onLease }) {
  container.dataset.camera = cameraId;
  delete container.dataset.renewals; delete container.dataset.stopReason; delete container.dataset.stoppedAt;
  container.classList.remove('stopped', 'denied');
  delete container.dataset.offlineWhy;
  container.innerHTML = `<video muted autoplay playsinline></video><span class="state">${escapeHtml(cameraId)} · ${escapeHtml(t('requesting'))}</span>`;
  const player = { cameraId, incidentId, purpose, container, onStop, explainEnd, onLease, hls: null, live: null, leaseId: null, playlistUrl: null, liveUrl: null, timer: null, stopped: false, generation: 0, reopenedAt: [], waits: 0 };
  players.add(player);
  play(player);
  return player;
}

const endText = (player, code, fallback) => player.explainEnd?.(code) || reasonText(code, fallback);

const setState = (player, text) => { player.container.querySelector('.state').textContent = `${player.cameraId} · ${text}`; };

async function play(player) {
  let lease;
  try {
    lease = await api('POST', `/cameras/${encodeURIComponent(player.cameraId)}/leases`, { purpose: player.purpose, incidentId: player.incidentId });
  } catch (e) {
    if (player.stopped) return;
    if (isTransient(e)) waitAndPlay(player, e);
    else deny(player, e);
    return;
  }
  delete player.container.dataset.waiting;
  player.waits = 0;
  player.gaveWay = false;
  try {
    player.leaseId = lease.leaseId;
    player.playlistUrl = lease.playlistUrl;
    player.liveUrl = lease.liveUrl;
    if (player.stopped) { release(player); return; }
    player.onLease?.(lease);
    scheduleRenewal(player, lease);
    const rewindBar = attachRewindBar(player, lease, { playRecorded: (url, startAt) => playRecorded(player, url, startAt), playLiveAgain: () => playLiveAgain(player) });
    if (liveSupported() && lease.liveUrl) playLive(player, LIVE_RECONNECTS);
    else await playHls(player, lease.playlistUrl);
    // A lease asked for again while the viewer was rewound goes back to that moment: a rewind of its own, in the ledger.
    const resumeAt = player.resumeAt;
    player.resumeAt = null;
    if (resumeAt && rewindBar) await rewindBar.rewindTo(resumeAt);
  } catch (e) {
    deny(player, e);
  }
}

function deny(player, e) {
  player.stopped = true;
  players.delete(player);
  player.container.classList.add('stopped', 'denied');
  player.container.querySelector('video')?.remove();
  setState(player, t('denied', reasonText(e.problem?.reason, e.problem?.detail || e.message)));
  addOfflineWhy(player, e.problem?.reason);
}

/**
 * A view refused or stopped because its camera is offline adds why (a changed certificate, an address that does not
 * answer) and when the node tries it again, once the camera's status is read; only to the line it was asked for, as the
 * tile may have started another view meanwhile.
 */
async function addOfflineWhy(player, code) {
  if (code !== CAMERA_OFFLINE) return;
  const line = player.container.querySelector('.state');
  const said = line?.textContent;
  const why = offlineWhy(await statusOf(player.cameraId));
  if (!why || !line?.isConnected || line.textContent !== said) return;
  line.textContent = `${said} (${why})`;
  player.container.dataset.offlineWhy = why;
}

/** Stops the view for a server's reason code, in words, with an offline camera's cause added. */
function stopFor(player, code, text) {
  stopPlayer(player, text);
  addOfflineWhy(player, code);
}

/**
 * The service could not answer the lease request for now: says so on the tile and asks again, no sooner than its
 * Retry-After, backing off while it lasts and spread out (every console in the room waits out the same outage, and
 * should not all ask again in the same second it ends).
 */
function waitAndPlay(player, e) {
  player.waits++;
  player.container.dataset.waiting = 'true';
  // A view that gave its encode way keeps saying so while it waits: the refusals that follow are only why it still waits.
  const reason = e.problem?.reason;
  const why = reasonText(reason, e.problem?.detail || e.message);
  player.gaveWay ||= reason === GAVE_WAY;
  setState(player, t('unavailable', player.gaveWay && reason !== GAVE_WAY ? `${reasonText(GAVE_WAY)}; ${why}` : why));
  const backoff = Math.min(UNAVAILABLE_RETRY_MAX_MS, UNAVAILABLE_RETRY_MS * 2 ** (player.waits - 1));
  const delay = Math.max((e.retryAfterSeconds ?? 0) * 1000, backoff * (0.75 + Math.random() / 2));
  player.timer = setTimeout(() => { if (!player.stopped) play(player); }, delay);
}

/**
 * The low-latency path. A close with the lease-end reason stops the tile with it; a relay restart reconnects; anything else
 * before the first picture (a refused handshake, which a browser cannot read, or a codec MSE cannot take) falls back to HLS,
 * whose playlist answers a refusal with its reason.
 */
function playLive(player, reconnects) {
  const video = player.container.querySelector('video');
  const generation = player.generation;
  player.container.dataset.path = 'live';
  player.live = startLiveStream(video, player.liveUrl, {
    onPlaying: () => setState(player, t('playing')),
    onEnd: ({ code, reason, playing }) => {
      // A rewind closes the live path on purpose (the tile plays the window playlist now), and so does a reopening.
      if (player.stopped || player.recorded || player.generation !== generation) return;
      player.live = null;
      if (code === CLOSE_LEASE_ENDED) endOrReopen(player, reason, t('leaseRevoked'));
      else if (code === CLOSE_RECONNECT && reconnects > 0) setTimeout(() => { if (!player.stopped) playLive(player, reconnects - 1); }, LIVE_RECONNECT_MS);
      else playHls(player, player.playlistUrl);
    },
  });
}

/**
 * A rewind: the tile leaves the live path for a new hls.js on the lease's window playlist, which starts loading only once
 * <startAt>(the window's level details) has named the position. Left to start by itself, hls.js would place a playlist
 * still growing at its live edge when its first segment is buffered, over any position set before that.
 */
function playRecorded(player, windowUrl, startAt) {
  player.recorded = true;
  player.live?.close(); player.live = null;
  player.hls?.destroy(); player.hls = null;
  playHls(player, windowUrl, startAt);
  player.container.dataset.path = 'recorded';
}

/** Back from a rewind: the low-latency path where the browser has it, else the live playlist. */
function playLiveAgain(player) {
  player.recorded = false;
  if (liveSupported() && player.liveUrl) { player.hls?.destroy(); player.hls = null; playLive(player, LIVE_RECONNECTS); }
  else { player.hlsUrl = player.playlistUrl; player.hls?.loadSource(player.playlistUrl); player.container.dataset.path = 'hls'; }
}

/** Plays <url> with hls.js from its live edge, or from the position <startAt>(level details) names (null: the live edge). */
async function playHls(player, url, startAt = null) {
  try {
    player.container.dataset.path = 'hls';
    player.hlsUrl = url;
    if (player.stopped) return;
    const video = player.container.querySelector('video');
    if (Hls.isSupported()) {
      // The node holds the first playlist request until the camera's stream is ready (or answers 503 with Retry-After), so
      // a few slower retries cover a camera that is failing; there is no 404 to poll through.
      const hls = new Hls({ liveSyncDurationCount: 2, manifestLoadingTimeOut: 15000, manifestLoadingMaxRetry: 4, manifestLoadingRetryDelay: 2000, levelLoadingMaxRetry: 4, autoStartLoad: !startAt });
      player.hls = hls;
      if (startAt) hls.once(Hls.Events.LEVEL_LOADED, (_e, data) => {
        hls.startLoad(startAt(data.details) ?? -1);
        hls.config.autoStartLoad = true; // a reload after a network error starts by itself again
      });
      hls.loadSource(url);
      player.hls.attachMedia(video);
      player.hls.on(Hls.Events.MANIFEST_PARSED, () => video.play().catch(() => {}));
      player.hls.on(Hls.Events.ERROR, (_e, data) => {
        if (data.fatal && data.response?.code === 403) { stopForRefusal(player); return; }
        if (data.response?.code === 503) sayWhyHlsWaits(player);
        if (data.fatal && data.type === Hls.ErrorTypes.NETWORK_ERROR) setTimeout(() => player.hls?.loadSource(player.hlsUrl), 1000);
      });
      video.addEventListener('playing', () => {
        if (!player.container.dataset.waiting || player.stopped) return;
        delete player.container.dataset.waiting;
        setState(player, t('playing'));
      });
    } else video.src = url;
    setState(player, t('playing'));
  } catch {
    await stopForRefusal(player);
  }
}

/**
 * The playlist is refused for now (503: the node has no CPU for the encode the camera needs, say), and hls.js asks again:
 * the tile says it waits and why, in the operator's language, until a picture plays. hls.js does not hand over the body,
 * so the reason is read from the playlist once more.
 */
async function sayWhyHlsWaits(player) {
  if (player.container.dataset.waiting) return;
  player.container.dataset.waiting = 'true';
  const problem = await fetch(player.hlsUrl, { cache: 'no-store' }).then((r) => (r.status === 503 ? r.json() : null)).catch(() => null);
  if (player.stopped || !player.container.dataset.waiting) return;
  if (problem) setState(player, t('unavailable', reasonText(problem.reason, problem.detail)));
  else delete player.container.dataset.waiting;
}

/** Renews at half the lifetime the server says is left (so clock skew does not matter), and again after each renewal. */
function scheduleRenewal(player, lease) {
  const left = lease.expiresInSeconds ?? (new Date(lease.expiresAt) - Date.now()) / 1000;
  clearTimeout(player.timer);
  player.timer = setTimeout(() => renew(player), Math.max(MIN_RENEW_DELAY_MS, (left * 1000) / 2));
}

async function renew(player) {
  if (player.stopped) return;
  const generation = player.generation;
  const current = () => !player.stopped && player.generation === generation;
  try {
    const lease = await api('POST', `/leases/${player.leaseId}/renew`, {});
    if (!current()) return;
    // The same URL as before, unless the camera's relay moved to another node: then follow it.
    if (lease.playlistUrl !== player.playlistUrl) { player.playlistUrl = lease.playlistUrl; if (!player.recorded) { player.hlsUrl = lease.playlistUrl; player.hls?.loadSource(lease.playlistUrl); } }
    if (lease.liveUrl !== player.liveUrl) { player.liveUrl = lease.liveUrl; if (player.live) { player.live.close(); playLive(player, LIVE_RECONNECTS); } }
    player.container.dataset.renewals = String(Number(player.container.dataset.renewals || 0) + 1);
    scheduleRenewal(player, lease);
  } catch (e) {
    // Refused: stop and say why. A lease already gone (404, 409) was ended by the server a moment earlier (the end of a
    // grace, a revocation, a lapse); its playlist still answers with the reason. Otherwise (network, server busy): retry
    // shortly.
    if (!current()) return;
    if (e.status === 403) stopFor(player, e.problem?.reason, endText(player, e.problem?.reason, e.problem?.detail || e.message));
    else if ([404, 409].includes(e.status)) await stopForRefusal(player);
    else player.timer = setTimeout(() => renew(player), RENEW_RETRY_MS);
  }
}

/** hls.js was refused a playlist or segment; the playlist's refusal says why (policy changed, maintenance, incident closed, ...). */
async function stopForRefusal(player) {
  const generation = player.generation;
  const problem = await fetch(player.playlistUrl, { cache: 'no-store' }).then((r) => r.json()).catch(() => null);
  if (player.generation === generation) endOrReopen(player, problem?.reason, problem?.detail || t('leaseRevoked'));
}

/**
 * The lease ended: a lapse is asked for again (within the budget) unless the caller knows a better cause; a view that gave
 * its encode way waits, saying so, and asks again as a lease the node cannot serve yet does; else the tile stops.
 */
function endOrReopen(player, code, fallback) {
  if (player.stopped) return;
  const explained = player.explainEnd?.(code);
  if (!explained && LAPSED.includes(code) && mayReopen(player)) reopen(player);
  else if (!explained && code === GAVE_WAY) { dropLease(player); waitAndPlay(player, { problem: { reason: code } }); }
  else if (explained) stopPlayer(player, explained);
  else stopFor(player, code, reasonText(code, fallback));
}

function mayReopen(player) {
  const now = Date.now();
  player.reopenedAt = player.reopenedAt.filter((at) => now - at < REOPEN_WINDOW_MS);
  return player.reopenedAt.length < REOPENS_PER_WINDOW;
}

/** Drops what the lapsed lease was playing and asks for a new one; the renewals counted so far carry on. */
function reopen(player) {
  player.reopenedAt.push(Date.now());
  player.resumeAt = player.recorded ? (player.hls?.playingDate ?? null) : null;
  dropLease(player);
  player.container.dataset.reopens = String(Number(player.container.dataset.reopens || 0) + 1);
  setState(player, t('reopening'));
  play(player);
}

/** Stops playing what an ended lease played; whatever it still reports (a socket's close, a refused segment) is ignored. */
function dropLease(player) {
  player.generation++;
  clearTimeout(player.timer);
  player.hls?.destroy(); player.hls = null;
  player.live?.close(); player.live = null;
  player.recorded = false;
  player.leaseId = null;
  player.container.querySelector('.rewind')?.remove();
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
  player.live?.close(); player.live = null;
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
  for (const p of [...players]) if (p.leaseId === event.leaseId || (!event.leaseId && p.cameraId === event.cameraId)) endOrReopen(p, event.reason, t('leaseRevoked'));
}

/** An incident's access to some cameras ended (accessRevoked from the hub). */
export function revokeIncidentAccess(event) {
  const cameras = new Set(event.cameraIds || []);
  for (const p of [...players]) if (p.incidentId === event.incidentId && cameras.has(p.cameraId)) stopPlayer(p, endText(p, event.reason, t('leaseRevoked')));
}

export function stopAllPlayers(reason) {
  for (const p of [...players]) stopPlayer(p, reason);
}
