// District admins: the sharing policy of a district as an agency kind × camera purpose grid. Saving sends only the cells
// the admin changed, with PATCH /districts/{code}/sharing-policy, so that nothing else can move, and shows the server's
// list of what changed. The server decides who may save; its ProblemDetails are shown as they come. A policy the server
// does not believe as stored (a record put back from an older copy) is shown as the one in force, with why; any save
// stores the whole table afresh.
import { api } from './api.js';
import { servedDistricts } from './districts.js';
import { t, onLanguageChange } from './i18n.js';
import { $, escapeHtml } from './dom.js';

const LEVELS = ['never', 'during-incident', 'standing'];
let districts = [];
let current = null; // { code, policy, version, fallback } as the server last answered
let edits = {}; // 'kind|purpose' -> level, only cells that differ from current.policy
let message = null; // { kind: 'ok' | 'error', text, changes? }

export async function showPolicyTable(agencyId) {
  const [all, agency] = await Promise.all([servedDistricts(), api('GET', `/agencies/${encodeURIComponent(agencyId)}`)]);
  districts = all;
  $('policy').hidden = false;
  onLanguageChange(render);
  await load(agency.districts?.[0] || all[0].code);
}

async function load(code) {
  const detail = await api('GET', `/districts/${code}`);
  current = { code, policy: detail.sharingPolicy, version: detail.policyVersion, fallback: detail.policyFallback };
  edits = {};
  message = null;
  render();
}

function render() {
  const section = $('policy');
  if (!current) return;
  const kinds = Object.keys(current.policy);
  const purposes = Object.keys(current.policy[kinds[0]]);
  section.innerHTML = `
    <h2>${escapeHtml(t('sharingPolicy'))}</h2>
    <label>${escapeHtml(t('district'))} <select class="district">${districts.map((d) => `<option value="${d.code}" ${d.code === current.code ? 'selected' : ''}>${escapeHtml(d.code)} ${escapeHtml(d.name)} / ${escapeHtml(d.nameEnglish)}</option>`).join('')}</select></label>
    <span class="version">${escapeHtml(t('policyVersion', current.version))}</span>
    ${current.fallback ? `<p class="policy-fallback" data-reason="${escapeHtml(current.fallback)}">${escapeHtml(t(`policyFallback.${current.fallback}`))}</p>` : ''}
    <table class="policy" data-district="${current.code}">
      <tr><th>${escapeHtml(t('agencyKind'))} \\ ${escapeHtml(t('purpose'))}</th>${purposes.map((p) => `<th>${escapeHtml(t(`purpose.${p}`))}</th>`).join('')}</tr>
      ${kinds.map((k) => `<tr><th>${escapeHtml(t(`kind.${k}`))}</th>${purposes.map((p) => `<td>${cell(k, p)}</td>`).join('')}</tr>`).join('')}
    </table>
    <button type="button" class="save">${escapeHtml(t('save'))}</button>
    <p class="message ${message?.kind || ''}">${escapeHtml(message?.text || '')}</p>
    ${message?.changes?.length ? `<ul class="changes">${message.changes.map(changeItem).join('')}</ul>` : ''}`;
  section.querySelector('select.district').addEventListener('change', (e) => load(e.target.value));
  section.querySelectorAll('select[data-kind]').forEach((s) => s.addEventListener('change', () => {
    const key = `${s.dataset.kind}|${s.dataset.purpose}`;
    if (s.value === current.policy[s.dataset.kind][s.dataset.purpose]) delete edits[key];
    else edits[key] = s.value;
    s.className = `level-${s.value}${key in edits ? ' edited' : ''}`;
  }));
  section.querySelector('.save').addEventListener('click', save);
}

function cell(kind, purpose) {
  const key = `${kind}|${purpose}`;
  const level = edits[key] ?? current.policy[kind][purpose];
  return `<select data-kind="${kind}" data-purpose="${purpose}" class="level-${level}${key in edits ? ' edited' : ''}">${LEVELS.map((l) =>
    `<option value="${l}" ${level === l ? 'selected' : ''}>${escapeHtml(t(`level.${l}`))}</option>`).join('')}</select>`;
}

function changeItem(c) {
  return `<li data-kind="${escapeHtml(c.kind)}" data-purpose="${escapeHtml(c.purpose)}" data-to="${escapeHtml(c.to)}">${escapeHtml(t('policyChange',
    t(`kind.${c.kind}`), t(`purpose.${c.purpose}`), t(`level.${c.from}`), t(`level.${c.to}`)))}</li>`;
}

async function save() {
  const keys = Object.keys(edits);
  if (keys.length === 0) {
    message = { kind: 'ok', text: t('policyNothingToSave') };
    render();
    return;
  }
  const body = {};
  for (const key of keys) {
    const [kind, purpose] = key.split('|');
    (body[kind] ??= {})[purpose] = edits[key];
  }
  try {
    const saved = await api('PATCH', `/districts/${current.code}/sharing-policy`, body);
    current = { code: current.code, policy: saved.sharingPolicy, version: saved.policyVersion, fallback: saved.policyFallback };
    edits = {};
    message = { kind: 'ok', text: t('policySaved', saved.policyVersion, saved.changes.length), changes: saved.changes };
  } catch (e) {
    message = { kind: 'error', text: t('saveFailed', e.status, e.message) };
  }
  render();
}
