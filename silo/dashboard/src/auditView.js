// Auditors: the hash-chain verification (GET /audit/verify) up front, with the signed checkpoint it rests on, and the audit trail (GET /audit) with the
// filters the API supports, newest first, paged, and downloadable (GET /audit/export) as CSV or JSON. District admins get the trail of who viewed
// their cameras (the API narrows it), without the chain check, which is the auditors'.
import { api, apiBlobUrl } from './api.js';
import { t, fmtDate, seoulInputToIso, onLanguageChange } from './i18n.js';
import { $, escapeHtml } from './dom.js';

const PAGE_SIZE = 50;
const KINDS = ['access-decision', 'access-preview', 'policy-change', 'import', 'camera-change', 'agency-change', 'session-start', 'session-end',
  'grant', 'revocation', 'lease', 'view', 'snapshot', 'preemption', 'unmasked-view', 'rewind', 'mask-change', 'evidence-export', 'evidence-deleted',
  'incident-open', 'incident-confirm', 'incident-close', 'misuse-flag', 'flag-acknowledged', 'review-report', 'audit-export', 'ledger-archived',
  'search-keys-repaired', 'clock-step'];
const PURPOSES = ['emergency-response', 'crime-investigation', 'disaster-response', 'vulnerable-protection', 'monitoring'];
const OUTCOMES = ['allow', 'deny'];
const FILTERS = ['agency', 'camera', 'incident', 'session'];
let verification = null;
let page = null; // AuditPage
let filters = { page: 1 };
let error = '';
let checksChain = true;

export async function showAuditView({ verifyChain = true } = {}) {
  checksChain = verifyChain;
  $('audit').hidden = false;
  onLanguageChange(render);
  render();
  await Promise.all([checksChain ? verify() : null, query()]);
}

async function verify() {
  verification = await api('GET', '/audit/verify');
  document.body.dataset.auditChain = verification.intact ? 'ok' : 'broken';
  document.body.dataset.auditCheckpointSeq = String(verification.lastCheckpoint?.seq ?? '');
  render();
}

function filterParams() {
  const params = new URLSearchParams();
  for (const key of [...FILTERS, 'kind', 'outcome', 'purpose', 'from', 'to']) if (filters[key]) params.set(key, filters[key]);
  return params;
}

/** The trail as filtered now, as a file: every matching row, not only this page. */
async function download(format) {
  const params = filterParams();
  params.set('format', format);
  const url = await apiBlobUrl(`/audit/export?${params}`);
  if (!url) { error = t('auditQueryFailed', format); render(); return; }
  const link = document.createElement('a');
  link.href = url;
  link.download = `safetynet-audit.${format}`;
  link.click();
  URL.revokeObjectURL(url);
}

async function query() {
  const params = filterParams();
  params.set('page', String(filters.page));
  params.set('pageSize', String(PAGE_SIZE));
  try {
    page = await api('GET', `/audit?${params}`);
    error = '';
  } catch (e) {
    error = t('auditQueryFailed', e.message);
  }
  document.body.dataset.auditRecords = String(page?.items.length ?? 0);
  render();
}

function renderVerification() {
  if (!checksChain) return '';
  if (!verification) return `<p class="chain">${escapeHtml(t('verifying'))}</p>`;
  const v = verification;
  const headline = v.intact
    ? `<p class="chain ok" data-chain="ok">✔ ${escapeHtml(t('chainOk', v.recordsChecked))}</p>`
    : `<p class="chain broken" data-chain="broken">✘ ${escapeHtml(v.firstBrokenSeq != null ? t('chainBroken', v.firstBrokenSeq, v.problem) : t('checkpointBroken', v.problem))}</p>`;
  const cp = v.brokenCheckpoint;
  const notes = [
    cp ? t('brokenCheckpointAt', cp.number, cp.chain, cp.seq, fmtDate(cp.signedAt), t(`checkpointSource.${cp.source}`)) : null,
    v.intact && v.lastCheckpoint ? t('checkpointCovers', v.lastCheckpoint.seq, fmtDate(v.lastCheckpoint.signedAt), v.uncheckpointedRecords) : null,
    v.intact && !v.lastCheckpoint ? t('noCheckpointYet', v.uncheckpointedRecords) : null,
    v.untrustedCheckpoints > 0 ? t('untrustedCheckpoints', v.untrustedCheckpoints) : null,
  ].filter(Boolean);
  // The ledger is intact, but its search keys had been edited: say which rows, so the auditor can look at who did it.
  const keys = v.searchKeysDisagreeing?.length
    ? `<p class="search-keys" data-search-keys="rebuilt">${escapeHtml(t('searchKeysRebuilt', v.searchKeysDisagreeing.join(', ')))}</p>`
    : '';
  return headline + notes.map((n) => `<p class="checkpoint">${escapeHtml(n)}</p>`).join('') + keys;
}

const select = (key, values, label) => `<label>${escapeHtml(t(`filter.${key}`))} <select name="${key}"><option value="">${escapeHtml(t('any'))}</option>${values.map((v) => `<option value="${v}" ${filters[key] === v ? 'selected' : ''}>${escapeHtml(label(v))}</option>`).join('')}</select></label>`;
const input = (key, type = 'text') => `<label>${escapeHtml(t(`filter.${key}`))} <input name="${key}" type="${type}" value="${escapeHtml(filters[`${key}Input`] ?? filters[key] ?? '')}"></label>`;
const cell = (text, cls = '') => `<td class="${cls}">${escapeHtml(text)}</td>`;

function render() {
  const section = $('audit');
  section.innerHTML = `
    <h2>${escapeHtml(t('auditTrail'))} ${checksChain ? `<button type="button" class="reverify">${escapeHtml(t('verifyAgain'))}</button>` : ''}
      <button type="button" class="export" data-format="csv">${escapeHtml(t('exportCsv'))}</button>
      <button type="button" class="export" data-format="json">${escapeHtml(t('exportJson'))}</button></h2>
    ${renderVerification()}
    <form class="filters">
      ${FILTERS.map((k) => input(k)).join('')}
      ${select('kind', KINDS, (k) => k)} ${select('outcome', OUTCOMES, (o) => t(`outcome.${o}`))} ${select('purpose', PURPOSES, (p) => p)}
      ${input('from', 'datetime-local')} ${input('to', 'datetime-local')}
      <button type="submit">${escapeHtml(t('applyFilters'))}</button> <button type="reset">${escapeHtml(t('clearFilters'))}</button>
      <small>${escapeHtml(t('timesInSeoul'))}</small>
    </form>
    <p class="error">${escapeHtml(error)}</p>
    <table class="audit">
      <tr>${['seq', 'time', 'kind', 'outcome', 'reason', 'actor', 'agency', 'camera', 'incident', 'session', 'purpose', 'district'].map((c) => `<th>${escapeHtml(t(`col.${c}`))}</th>`).join('')}</tr>
      ${(page?.items || []).map((r) => `<tr data-seq="${r.seq}" data-outcome="${escapeHtml(r.entry.outcome)}">${cell(r.seq)}${cell(fmtDate(r.entry.occurredAt))}${cell(r.entry.kind)}${cell(r.entry.outcome, `outcome-${r.entry.outcome}`)}${cell(r.entry.reason)}${cell(r.entry.actor)}${cell(r.entry.agencyId)}${cell(r.entry.cameraId)}${cell(r.entry.incidentId)}${cell(r.entry.sessionId)}${cell(r.entry.purpose)}${cell(r.entry.districtCode)}</tr>`).join('')}
    </table>
    ${page && page.items.length === 0 ? `<p class="empty">${escapeHtml(t('noRecords'))}</p>` : ''}
    <div class="pager"><button type="button" class="prev" ${filters.page > 1 ? '' : 'disabled'}>${escapeHtml(t('previous'))}</button>
      <span class="page">${escapeHtml(t('pageN', filters.page))}</span>
      <button type="button" class="next" ${page?.hasMore ? '' : 'disabled'}>${escapeHtml(t('next'))}</button></div>`;
  const form = section.querySelector('form');
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const data = new FormData(form);
    filters = { page: 1, kind: data.get('kind') || null, outcome: data.get('outcome') || null, purpose: data.get('purpose') || null, fromInput: data.get('from'), toInput: data.get('to'),
      from: seoulInputToIso(data.get('from')), to: seoulInputToIso(data.get('to')) };
    for (const k of FILTERS) filters[k] = String(data.get(k) || '').trim() || null;
    query();
  });
  form.addEventListener('reset', (e) => { e.preventDefault(); filters = { page: 1 }; query(); });
  section.querySelector('.reverify')?.addEventListener('click', verify);
  section.querySelectorAll('.export').forEach((b) => b.addEventListener('click', () => download(b.dataset.format)));
  section.querySelector('.prev').addEventListener('click', () => { filters.page--; query(); });
  section.querySelector('.next').addEventListener('click', () => { filters.page++; query(); });
}
