// Privacy officers and city-wide auditors: the misuse flags the rules raised over the ledger (GET /audit/flags), kept live
// over SignalR (SubscribeFlags: the hub sends each its own districts' flags), each with its evidence (ledger seqs) and,
// while open, a note to acknowledge it with (POST /audit/flags/{id}/acknowledge, itself written to the ledger).
import * as signalR from '@microsoft/signalr';
import { keepReconnecting } from './reconnect.js';
import { api, auth } from './api.js';
import { t, fmtDate, onLanguageChange, addStrings } from './i18n.js';
import { $, escapeHtml } from './dom.js';
import { sequenceTracker } from './sequence.js';
import ko from './i18n/flags.ko.json';
import en from './i18n/flags.en.json';

addStrings({ ko, en });
const MAX_NOTE = 2000;
const flags = new Map(); // id -> flag
let statusFilter = 'open';
let error = '';
let live = false;

export async function showFlagsView() {
  $('flags').hidden = false;
  onLanguageChange(render);
  render();
  await load();
  await connect();
}

/**
 * A flag is raised open and acknowledged once, never reopened: an answer read before an acknowledgement arrived (a list
 * still on its way after a gap) does not take it back to open.
 */
function keep(flag) {
  if (flags.get(flag.id)?.status === 'acknowledged' && flag.status === 'open') return;
  flags.set(flag.id, flag);
}

async function load() {
  try {
    for (const flag of await api('GET', '/audit/flags?limit=1000')) keep(flag);
    error = '';
  } catch (e) {
    error = t('flags.loadFailed', e.message);
  }
  render();
  document.body.dataset.flagReads = String(Number(document.body.dataset.flagReads ?? 0) + 1);
}

async function connect() {
  const hub = new signalR.HubConnectionBuilder()
    .withUrl('/hubs/operations', { accessTokenFactory: () => auth.token })
    .withAutomaticReconnect(keepReconnecting)
    .build();
  // A gap in a district's flag numbers (or its sequencer's new epoch) means a flag was raised or acknowledged unseen.
  const sequence = sequenceTracker();
  const track = (payload, isHeartbeat) => { if (sequence.observe(payload?.sequence, isHeartbeat)) load(); };
  const upsert = (flag) => { keep(flag); render(); track(flag, false); };
  hub.on('misuseFlagRaised', upsert);
  hub.on('misuseFlagAcknowledged', upsert);
  hub.on('sequencePosition', (position) => track(position, true));
  const subscribe = async () => {
    sequence.reset();
    (await hub.invoke('SubscribeFlags')).forEach(keep);
    live = true;
    render();
  };
  hub.onreconnected(subscribe);
  hub.onreconnecting(() => { live = false; render(); });
  await hub.start();
  await subscribe();
}

async function acknowledge(id, note) {
  try {
    keep(await api('POST', `/audit/flags/${encodeURIComponent(id)}/acknowledge`, { note }));
    error = '';
  } catch (e) {
    error = t('flags.acknowledgeFailed', e.message);
  }
  render();
}

const ruleText = (rule) => t(`flags.rule.${rule}`);

function row(f) {
  const evidence = `<details><summary>${escapeHtml(t('flags.entries', f.evidence.length))}</summary><span class="seqs">${f.evidence.map((s) => `#${s}`).join(' ')}</span></details>`;
  const action = f.status === 'open'
    ? `<form class="ack"><textarea name="note" rows="2" maxlength="${MAX_NOTE}" required placeholder="${escapeHtml(t('flags.notePlaceholder'))}"></textarea>
        <button type="submit">${escapeHtml(t('flags.acknowledge'))}</button></form>`
    : `<span class="acknowledged">${escapeHtml(t('flags.acknowledgedBy', f.acknowledgedBy, fmtDate(f.acknowledgedAt)))}</span><q>${escapeHtml(f.note)}</q>`;
  return `<tr data-flag-id="${escapeHtml(f.id)}" data-rule="${escapeHtml(f.rule)}" data-status="${escapeHtml(f.status)}">
    <td>${escapeHtml(fmtDate(f.raisedAt))}</td><td class="rule">${escapeHtml(ruleText(f.rule))}</td><td>${escapeHtml(f.suspect)}</td>
    <td>${escapeHtml(f.districtCode ?? '')}</td><td class="summary">${escapeHtml(f.summary)}</td><td>${evidence}</td><td>${action}</td></tr>`;
}

function render() {
  const section = $('flags');
  // A flag arriving while a note is being written re-renders the list; the notes typed so far survive it.
  const typed = new Map([...section.querySelectorAll('form.ack')].map((f) => [f.closest('tr').dataset.flagId, f.elements.note.value]));
  const shown = [...flags.values()].filter((f) => !statusFilter || f.status === statusFilter)
    .sort((a, b) => b.raisedAt.localeCompare(a.raisedAt));
  const open = [...flags.values()].filter((f) => f.status === 'open').length;
  document.body.dataset.flags = String(flags.size);
  document.body.dataset.flagsLive = String(live);
  section.innerHTML = `
    <h2>${escapeHtml(t('flags.title'))} <span class="count">${escapeHtml(t('flags.openCount', open))}</span>
      <small class="live">${escapeHtml(t(live ? 'connected' : 'disconnected'))}</small></h2>
    <label>${escapeHtml(t('flags.show'))} <select name="status">${['open', 'acknowledged', ''].map((s) =>
      `<option value="${s}" ${s === statusFilter ? 'selected' : ''}>${escapeHtml(t(`flags.status.${s || 'all'}`))}</option>`).join('')}</select></label>
    <p class="error">${escapeHtml(error)}</p>
    <table class="flags">
      <tr>${['raised', 'rule', 'suspect', 'district', 'summary', 'evidence', 'action'].map((c) => `<th>${escapeHtml(t(`flags.col.${c}`))}</th>`).join('')}</tr>
      ${shown.map(row).join('')}
    </table>
    ${shown.length === 0 ? `<p class="empty">${escapeHtml(t('flags.none'))}</p>` : ''}`;
  section.querySelectorAll('form.ack').forEach((form) => { form.elements.note.value = typed.get(form.closest('tr').dataset.flagId) ?? ''; });
  section.querySelector('select').addEventListener('change', (e) => { statusFilter = e.target.value; render(); });
  section.querySelectorAll('form.ack').forEach((form) => form.addEventListener('submit', (e) => {
    e.preventDefault();
    const note = String(new FormData(form).get('note') || '').trim();
    if (note) acknowledge(form.closest('tr').dataset.flagId, note);
  }));
}
