// Whole-area CAP alerts (heavy rain for all of Seoul): every agency's notices, above the incident list, each naming the
// agency that sent it. They open no camera access. Read again at every (re)subscription, kept live by
// alertNoticePosted/alertNoticeEnded, hidden once they expire.
import { api } from './api.js';
import { t, fmtDate, onLanguageChange } from './i18n.js';
import { $, escapeHtml } from './dom.js';

const notices = new Map(); // sender and identifier -> notice
let expiryTimer = null;

export function initAlertNotices() {
  onLanguageChange(render);
  render();
}

export async function loadAlertNotices() {
  const { items } = await api('GET', '/incidents/cap/notices');
  notices.clear();
  for (const notice of items) notices.set(keyOf(notice.postedBy, notice.identifier), notice);
  render();
}

// Two agencies' gateways may use the same identifier; each agency's messages find only its own notices.
const keyOf = (sender, identifier) => `${sender}\n${identifier}`;

// An update takes the place of the notice it references: the new one lists every message that reached it.
const forget = (notice) => {
  for (const id of [notice.identifier, ...(notice.messages ?? [])]) notices.delete(keyOf(notice.postedBy, id));
};

export function noticePosted(notice) {
  forget(notice);
  notices.set(keyOf(notice.postedBy, notice.identifier), notice);
  render();
}

export function noticeEnded(notice) {
  forget(notice);
  render();
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
      <span class="sender">${escapeHtml(t('alertNotice.sender', n.postedBy ?? ''))}</span>
      <small>${escapeHtml(t('alertNotice.until', fmtDate(n.expiresAt)))}</small></li>`).join('')}</ul>`;
  document.body.dataset.alertNotices = String(shown.length);
  clearTimeout(expiryTimer);
  const next = Math.min(...shown.map((n) => Date.parse(n.expiresAt)));
  if (Number.isFinite(next)) expiryTimer = setTimeout(render, Math.min(next - now + 50, 2 ** 31 - 1));
}
