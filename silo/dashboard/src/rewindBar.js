// Beside a live player: for a lease with the recorded-video right, −1 min / −10 s buttons, a scrub bar over the window the
// relay keeps, and a way back to live. Every rewind (a button, a release of the scrub bar) is a POST /leases/{id}/rewind, so
// each time looked at is in the ledger; the answer's window playlist is loaded into the player's hls.js and the video is
// placed at the asked time by the segments' #EXT-X-PROGRAM-DATE-TIME. A lease without the right gets a disabled bar saying why.
import { api } from './api.js';
import { t, reasonText, addStrings, fmtDate } from './i18n.js';
import { escapeHtml } from './dom.js';
import ko from './i18n/rewind.ko.json';
import en from './i18n/rewind.en.json';

addStrings({ ko, en });

/**
 * Adds the bar to <player>.container for <lease>. <controls>.playRecorded(url, startAt) switches the tile to the window
 * playlist, starting where startAt(level details) says; <controls>.playLiveAgain() returns it to live. Returns
 * { rewindTo(date) } when the lease may rewind.
 */
export function attachRewindBar(player, lease, controls) {
  const bar = document.createElement('div');
  bar.className = 'rewind';
  player.container.append(bar);
  if (!lease.recordedVideo) {
    bar.classList.add('disabled');
    bar.innerHTML = `<button type="button" disabled>${escapeHtml(t('rewind.back', 60))}</button>
      <span class="why">${escapeHtml(t('rewind.notAllowed'))}</span>`;
    return;
  }
  const rewind = { player, bar, controls, window: null, at: null, rewound: false };
  bar.innerHTML = `<button type="button" data-back="60">${escapeHtml(t('rewind.back', 60))}</button>
    <button type="button" data-back="10">${escapeHtml(t('rewind.back', 10))}</button>
    <input type="range" class="scrub" min="0" max="0" step="1" value="0" disabled aria-label="${escapeHtml(t('rewind.scrub'))}">
    <button type="button" class="live-button" disabled>${escapeHtml(t('rewind.live'))}</button>
    <span class="when"></span>`;
  for (const button of bar.querySelectorAll('[data-back]'))
    button.addEventListener('click', () => rewindTo(rewind, new Date(shownTime(rewind) - Number(button.dataset.back) * 1000)));
  const scrub = bar.querySelector('.scrub');
  scrub.addEventListener('change', () => rewindTo(rewind, new Date(rewind.window.start.getTime() + Number(scrub.value) * 1000)));
  bar.querySelector('.live-button').addEventListener('click', () => backToLive(rewind));
  return { rewindTo: (at) => rewindTo(rewind, at) };
}

/** What the viewer sees now, by the stream's own clock when hls.js knows it, else the wall clock. */
function shownTime(rewind) {
  const playing = rewind.player.hls?.playingDate;
  return playing ? playing.getTime() : Date.now();
}

async function rewindTo(rewind, at) {
  const { player, bar } = rewind;
  const when = bar.querySelector('.when');
  if (rewind.window && at < rewind.window.start) at = rewind.window.start;
  try {
    const answer = await api('POST', `/leases/${encodeURIComponent(player.leaseId)}/rewind`, { at: at.toISOString() });
    rewind.window = { start: new Date(answer.windowStart), end: new Date(answer.windowEnd) };
    rewind.at = new Date(answer.at);
    bar.classList.add('rewound');
    bar.querySelector('.live-button').disabled = false;
    updateScrub(rewind);
    when.textContent = t('rewind.showing', fmtDate(answer.at));
    if (!rewind.rewound) {
      rewind.rewound = true;
      rewind.controls.playRecorded(answer.windowPlaylistUrl, (details) => position(rewind, details));
    } else seek(rewind, player.hls?.levels[player.hls.currentLevel]?.details);
  } catch (e) {
    when.textContent = t('rewind.refused', reasonText(e.problem?.reason, e.problem?.detail || e.message));
  }
}

/**
 * Where in the window playlist the rewind's time is: the fragment whose program date time covers it, plus the offset into
 * it (null when no fragment does). Marks the bar with the time of that fragment.
 */
function position(rewind, details) {
  const target = rewind.at.getTime();
  const fragment = details?.fragments.findLast((f) => f.programDateTime !== null && f.programDateTime <= target);
  if (!fragment) return null;
  rewind.bar.dataset.seekedTo = new Date(fragment.programDateTime).toISOString();
  return fragment.start + Math.min(fragment.duration, (target - fragment.programDateTime) / 1000);
}

/** Moves a window playlist already playing to the rewind's time. */
function seek(rewind, details) {
  const video = rewind.player.container.querySelector('video');
  const at = position(rewind, details);
  if (at === null || !video) return;
  video.currentTime = at;
  video.play().catch(() => {});
}

function updateScrub(rewind) {
  const scrub = rewind.bar.querySelector('.scrub');
  const span = Math.round((rewind.window.end - rewind.window.start) / 1000);
  scrub.max = String(span);
  scrub.value = String(Math.max(0, Math.min(span, Math.round((rewind.at - rewind.window.start) / 1000))));
  scrub.disabled = false;
}

function backToLive(rewind) {
  const { player, bar } = rewind;
  rewind.rewound = false;
  rewind.at = null;
  bar.classList.remove('rewound');
  bar.querySelector('.live-button').disabled = true;
  bar.querySelector('.when').textContent = '';
  delete bar.dataset.seekedTo;
  rewind.controls.playLiveAgain();
}
