// District admins: the sharing policy of a district as an agency kind × camera purpose grid, edited and saved with
// PUT /districts/{code}/sharing-policy. The server decides who may save; its ProblemDetails are shown as they come.
import { api } from './api.js';
import { t, onLanguageChange } from './i18n.js';
import { $, escapeHtml } from './dom.js';

const LEVELS = ['never', 'during-incident', 'standing'];
let districts = [];
let current = null; // { code, policy, version }
let message = null; // { kind: 'ok' | 'error', text }

export async function showPolicyTable(agencyId) {
  const [all, agency] = await Promise.all([api('GET', '/districts'), api('GET', `/agencies/${encodeURIComponent(agencyId)}`)]);
  districts = all;
  $('policy').hidden = false;
  onLanguageChange(render);
  await load(agency.districts?.[0] || all[0].code);
}

async function load(code) {
  const detail = await api('GET', `/districts/${code}`);
  current = { code, policy: detail.sharingPolicy, version: detail.policyVersion };
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
    <table class="policy" data-district="${current.code}">
      <tr><th>${escapeHtml(t('agencyKind'))} \\ ${escapeHtml(t('purpose'))}</th>${purposes.map((p) => `<th>${escapeHtml(t(`purpose.${p}`))}</th>`).join('')}</tr>
      ${kinds.map((k) => `<tr><th>${escapeHtml(t(`kind.${k}`))}</th>${purposes.map((p) => `<td>
        <select data-kind="${k}" data-purpose="${p}" class="level-${current.policy[k][p]}">${LEVELS.map((l) => `<option value="${l}" ${current.policy[k][p] === l ? 'selected' : ''}>${escapeHtml(t(`level.${l}`))}</option>`).join('')}</select></td>`).join('')}</tr>`).join('')}
    </table>
    <button type="button" class="save">${escapeHtml(t('save'))}</button>
    <p class="message ${message?.kind || ''}">${escapeHtml(message?.text || '')}</p>`;
  section.querySelector('select.district').addEventListener('change', (e) => load(e.target.value));
  section.querySelectorAll('select[data-kind]').forEach((s) => s.addEventListener('change', () => {
    current.policy[s.dataset.kind][s.dataset.purpose] = s.value;
    s.className = `level-${s.value}`;
  }));
  section.querySelector('.save').addEventListener('click', save);
}

async function save() {
  try {
    const saved = await api('PUT', `/districts/${current.code}/sharing-policy`, current.policy);
    current = { code: current.code, policy: saved.sharingPolicy, version: saved.policyVersion };
    message = { kind: 'ok', text: t('policySaved', saved.policyVersion) };
  } catch (e) {
    message = { kind: 'error', text: t('saveFailed', e.status, e.message) };
  }
  render();
}
