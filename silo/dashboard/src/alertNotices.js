// Whole-area CAP alerts (heavy rain for all of Seoul): the notices of every agency answering for some of ours, above the
// incident list, each naming the agency that sent it. They open no camera access. Read again at every (re)subscription, kept live by
// alertNoticePosted/alertNoticeEnded, hidden once they expire.
import { api } from './api.js';
import { t, fmtDate, onLanguageChange } from './i18n.js';
import { $, escapeHtml } from './dom.js';
import { listReads } from './listReads.js';

const notices = new Map(); // sender and identifier -> notice
let expiryTimer = null;
// A list read before a notice was posted (or ended) would otherwise drop it (or bring it back).
const lists = listReads();

export function initAlertNotices() {
  onLanguageChange(render);
  render();
}

export async function loadAlertNotices() {
  const read = await lists.read(api('GET', '/incidents/cap/notices'));
  if (read) {
    notices.clear();
    for (const notice of read.list.items) notices.set(keyOf(notice.postedBy, notice.identifier), notice);
    for (const change of read.meanwhile) change();
  }
  render();
  document.body.dataset.alertNoticeReads = String(Number(document.body.dataset.alertNoticeReads ?? 0) + 1);
}

const changed = (change) => {
  lists.change(change);
  render();
};

// Two agencies' gateways may use the same identifier; each agency's messages find only its own notices.
const keyOf = (sender, identifier) => `${sender}\n${identifier}`;

// An update takes the place of the notice it references: the new one lists every message that reached it.
const forget = (notice) => {
  for (const id of [notice.identifier, ...(notice.messages ?? [])]) notices.delete(keyOf(notice.postedBy, id));
};

export const noticePosted = (notice) => changed(() => {
  forget(notice);
  notices.set(keyOf(notice.postedBy, notice.identifier), notice);
});

export const noticeEnded = (notice) => changed(() => forget(notice));

/** The sending room by kind and name ("재난안전상황실 · Seoul Disaster and Safety Situation Room"); its id for a notice stored without them. */
function senderOf(notice) {
  if (!notice.postedByName) return notice.postedBy ?? '';
  return notice.postedByKind ? `${t(`kind.${notice.postedByKind}`)} · ${notice.postedByName}` : notice.postedByName;
}

function render() {
  const section = $('alert-notices');
  const now = Date.now();
  const shown = [...notices.values()].filter((n) => Date.parse(n.expiresAt) > now)
    .sort((a, b) => a.priority - b.priority || Date.parse(b.receivedAt) - Date.parse(a.receivedAt));
  section.hidden = shown.length === 0;
  section.innerHTML = shown.length === 0 ? '' : `
    <h2>${escapeHtml(t('alertNotices'))}</h2>
    <p class="no-access">${escapeHtml(t('alertNotice.noAccess'))}</p>
    <ul>${shown.map((n) => `<li data-notice="${escapeHtml(n.identifier)}" data-sender="${escapeHtml(n.postedBy ?? '')}" class="p${Number(n.priority)}">
      <strong>${escapeHtml(n.area)}</strong> · ${escapeHtml(n.headline || n.event || '')}
      <span class="sender">${escapeHtml(t('alertNotice.sender', senderOf(n)))}</span>
      <small>${escapeHtml(t('alertNotice.until', fmtDate(n.expiresAt)))}</small></li>`).join('')}</ul>`;
  document.body.dataset.alertNotices = String(shown.length);
  clearTimeout(expiryTimer);
  const next = Math.min(...shown.map((n) => Date.parse(n.expiresAt)));
  if (Number.isFinite(next)) expiryTimer = setTimeout(render, Math.min(next - now + 50, 2 ** 31 - 1));
}
