// District and platform admins: import a camera list (CSV, tab-separated text or GeoJSON) from a file, as POST
// /cameras/import takes it, and read the report: created, updated, and each rejected row with its line and reason. A
// text file that is not UTF-8 (nor UTF-16 with its mark) is sent as EUC-KR, the encoding Korean Excel saves "CSV (comma
// delimited)" in; the server's report says which charset it read, and which the file was declared in when they differ.
import { auth } from './api.js';
import { servedDistricts, districtLabel } from './districts.js';
import { t, onLanguageChange, reasonText, namedText } from './i18n.js';
import { escapeHtml } from './dom.js';

const SHOWN_ERRORS = 50;
let section = null;
let state = null; // { file, report } or { file, error } or { file, busy }
let imported = () => {};
let districts = Promise.resolve(new Map()); // code -> { name, nameEnglish }, to name the districts a rejection names

/** Adds the import section after anchor; onImported runs after cameras were created or updated (to redraw the map). */
export function showCameraImport(anchor, onImported) {
  imported = onImported;
  districts = servedDistricts().then((list) => new Map(list.map((d) => [d.code, d]))).catch(() => new Map());
  section = document.createElement('section');
  section.id = 'camera-import';
  anchor.after(section);
  onLanguageChange(render);
  render();
}

const isGeoJson = (name) => /\.(geo)?json$/i.test(name);
// Excel's "Unicode text" is saved as .txt: tab-separated.
const isTabSeparated = (name) => /\.(tsv|txt)$/i.test(name);

/**
 * UTF-16 when the file starts with its byte order mark (the server reads the mark), else UTF-8 when the bytes decode as
 * UTF-8, else EUC-KR; a file that is none of these is still sent, and its rows are refused by line.
 */
function textEncoding(bytes) {
  const start = new Uint8Array(bytes, 0, Math.min(2, bytes.byteLength));
  if ((start[0] === 0xff && start[1] === 0xfe) || (start[0] === 0xfe && start[1] === 0xff)) return 'utf-16';
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return 'utf-8';
  } catch {
    return 'euc-kr';
  }
}

async function upload(file) {
  state = { file: file.name, busy: true };
  render();
  try {
    const bytes = await file.arrayBuffer();
    const encoding = isGeoJson(file.name) ? null : textEncoding(bytes);
    const mediaType = isTabSeparated(file.name) ? 'text/tab-separated-values' : 'text/csv';
    const contentType = !encoding ? 'application/geo+json' : encoding === 'utf-16' ? mediaType : `${mediaType}; charset=${encoding}`;
    const response = await fetch('/api/v1/cameras/import', {
      method: 'POST', body: bytes, headers: { authorization: `Bearer ${auth.token}`, 'content-type': contentType, accept: 'application/json' },
    });
    const body = await response.json().catch(() => ({}));
    if (!response.ok) throw new Error(refusalText(body));
    state = { file: file.name, report: body, districts: await districts };
    // The import stands even if the map cannot be redrawn now; the next reload shows the cameras.
    if (body.created + body.updated > 0) await Promise.resolve(imported()).catch(() => {});
  } catch (e) {
    state = { file: file.name, error: e.message };
  }
  document.body.dataset.cameraImport = state.report ? `${state.report.created}/${state.report.updated}/${state.report.rejected}` : 'error';
  render();
}

// A district a rejection names, by name and code ("중구(11020)", "Jung-gu (11020)"); a value that is no district as given.
function districtOrValue(code, names) {
  const district = names?.get(code);
  return district ? districtLabel(district) : code;
}

const DISTRICT_VALUES = ['district', 'located', 'given'];

// A value as a rejection names it: a district by name, a refused URL's rule in words (the server's English for a rule
// this dashboard does not know).
function valueText(name, value, values, names) {
  if (DISTRICT_VALUES.includes(name)) return districtOrValue(value, names);
  if (name === 'rule') return namedText(`urlRefusal.${value}`, values, values.detail);
  return value;
}

// A rejected row in the interface language from its code; the server's English for a code this dashboard does not know.
function rejectionText(error, names) {
  const values = error.values ?? {};
  return namedText(`importRejection.${error.code}`,
    Object.fromEntries(Object.entries(values).map(([name, value]) => [name, valueText(name, value, values, names)])), error.reason);
}

// A list refused as a whole (400) by its code: a header line cut short is refused with its row's code.
const refusalText = (problem) => namedText(`importRefusal.${problem.reason}`, problem.values,
  namedText(`importRejection.${problem.reason}`, problem.values, reasonText(problem.reason, problem.detail || problem.title || '')));

const charsetText = ({ charset, declaredCharset }) => (declaredCharset && declaredCharset !== charset
  ? t('importEncodingDeclared', charset, declaredCharset) : t('importEncoding', charset));

function reportHtml() {
  if (!state) return '';
  if (state.busy) return `<p class="message">${escapeHtml(t('importBusy', state.file))}</p>`;
  if (state.error) return `<p class="message error" role="alert">${escapeHtml(t('importFailed', state.file, state.error))}</p>`;
  const { report } = state;
  const rows = report.errors.slice(0, SHOWN_ERRORS).map((e) =>
    `<tr data-row="${e.row}"><td>${e.row}</td><td>${escapeHtml(e.cameraId ?? '')}</td><td>${escapeHtml(rejectionText(e, state.districts))}</td></tr>`).join('');
  return `
    <p class="message ${report.rejected ? 'warn' : 'ok'}">${escapeHtml(t('importDone', state.file, report.created, report.updated, report.rejected))}
      ${report.charset ? `<span class="encoding">${escapeHtml(charsetText(report))}</span>` : ''}</p>
    ${rows ? `<table class="import-errors"><thead><tr><th>${escapeHtml(t('importRow'))}</th><th>${escapeHtml(t('importCamera'))}</th>
      <th>${escapeHtml(t('importReason'))}</th></tr></thead><tbody>${rows}</tbody></table>` : ''}
    ${report.errors.length > SHOWN_ERRORS ? `<p class="hint">${escapeHtml(t('importMoreErrors', report.errors.length - SHOWN_ERRORS))}</p>` : ''}`;
}

function render() {
  if (!section) return;
  section.innerHTML = `
    <h3>${escapeHtml(t('importTitle'))}</h3>
    <p class="hint">${escapeHtml(t('importHint'))}</p>
    <input type="file" accept=".csv,.tsv,.txt,.geojson,.json,text/csv,text/tab-separated-values,application/geo+json" ${state?.busy ? 'disabled' : ''}>
    ${reportHtml()}`;
  section.querySelector('input[type=file]').addEventListener('change', (e) => { if (e.target.files[0]) upload(e.target.files[0]); });
}
