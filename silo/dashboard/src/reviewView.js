// The monthly review (privacy officers, city-wide auditors, district admins): pick a district and month, read the signed
// report (GET /audit/reviews/{district}/{month}) in the page, download it as CSV or JSON, or print it.
import { auth, api } from './api.js';
import { servedDistricts, districtLabel } from './districts.js';
import { t, onLanguageChange } from './i18n.js';
import { escapeHtml } from './dom.js';

let section = null;
let districts = [];
let choice = null; // { district, month }
let shown = null; // { html, sha256, signature, trigger, interim } or { error }

/** Last month in Seoul (UTC+9 all year), as yyyy-MM. */
function previousMonth() {
  const seoul = new Date(Date.now() + 9 * 3600 * 1000);
  const first = new Date(Date.UTC(seoul.getUTCFullYear(), seoul.getUTCMonth() - 1, 1));
  return `${first.getUTCFullYear()}-${String(first.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** Adds the review section after <paramref name="anchor"/> and lists the districts the caller may review. */
export async function showReviewView(anchor) {
  section = document.createElement('section');
  section.id = 'review';
  anchor.after(section);
  const [all, agency] = await Promise.all([servedDistricts(), api('GET', `/agencies/${encodeURIComponent(auth.agencyId)}`)]);
  districts = agency.cityWide ? all : all.filter((d) => agency.districts.includes(d.code));
  choice = { district: districts[0]?.code ?? '', month: previousMonth() };
  onLanguageChange(() => { render(); if (shown?.html) load(); });
  render();
  if (choice.district) await load();
}

const path = (format) => `/api/v1/audit/reviews/${choice.district}/${choice.month}?format=${format}&lang=${document.documentElement.lang === 'en' ? 'en' : 'ko'}`;

async function fetchReport(format) {
  const response = await fetch(path(format), { headers: { authorization: `Bearer ${auth.token}` } });
  if (!response.ok) {
    const problem = await response.json().catch(() => ({}));
    throw new Error(problem.detail || problem.title || `${response.status}`);
  }
  return response;
}

async function load() {
  try {
    const response = await fetchReport('html');
    shown = { html: await response.text(), sha256: response.headers.get('x-safetynet-document-sha256'),
      signature: response.headers.get('x-safetynet-signature'), trigger: response.headers.get('x-safetynet-review-trigger'),
      interim: response.headers.get('x-safetynet-review-interim') === 'true' };
  } catch (e) {
    shown = { error: t('reviewFailed', e.message) };
  }
  document.body.dataset.reviewShown = shown.html ? `${choice.district}/${choice.month}` : 'error';
  render();
}

async function download(format) {
  try {
    const response = await fetchReport(format);
    const link = document.createElement('a');
    link.href = URL.createObjectURL(await response.blob());
    link.download = `safetynet-review-${choice.district}-${choice.month}.${format}`;
    link.click();
    URL.revokeObjectURL(link.href);
    document.body.dataset.reviewDownloaded = format;
  } catch (e) {
    shown = { ...shown, error: t('reviewFailed', e.message) };
    render();
  }
}

function render() {
  section.innerHTML = `
    <h2>${escapeHtml(t('reviewTitle'))}</h2>
    <form class="review-pick">
      <label>${escapeHtml(t('reviewDistrict'))} <select name="district">${districts.map((d) => `<option value="${d.code}" ${d.code === choice.district ? 'selected' : ''}>${escapeHtml(districtLabel(d))}</option>`).join('')}</select></label>
      <label>${escapeHtml(t('reviewMonth'))} <input name="month" type="month" value="${escapeHtml(choice.month)}" required></label>
      <button type="submit">${escapeHtml(t('reviewShow'))}</button>
      <button type="button" data-download="csv">${escapeHtml(t('reviewCsv'))}</button>
      <button type="button" data-download="json">${escapeHtml(t('reviewJson'))}</button>
      <button type="button" class="print">${escapeHtml(t('reviewPrint'))}</button>
    </form>
    ${shown?.error ? `<p class="error">${escapeHtml(shown.error)}</p>` : ''}
    ${shown?.html ? `<p class="review-signature">${escapeHtml(t(shown.interim ? 'reviewInterim' : 'reviewStored', shown.trigger))} · SHA-256 ${escapeHtml(shown.sha256)} · ${escapeHtml(t('reviewKey', shown.signature.split(':')[0]))}</p>
      <iframe class="review-report" title="${escapeHtml(t('reviewTitle'))}"></iframe>` : ''}`;
  if (shown?.html) section.querySelector('iframe').srcdoc = shown.html;
  const form = section.querySelector('form');
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const data = new FormData(form);
    choice = { district: data.get('district'), month: data.get('month') };
    load();
  });
  section.querySelectorAll('[data-download]').forEach((b) => b.addEventListener('click', () => download(b.dataset.download)));
  section.querySelector('.print').addEventListener('click', () => section.querySelector('iframe')?.contentWindow.print());
}
