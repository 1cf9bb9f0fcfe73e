// District admins: the certificate an RTSPS or HTTPS camera was pinned to when the node first reached it
// (GET /cameras/{id}/certificate-pin). When the camera later presented another, which the node refused, both fingerprints
// are shown: the admin compares the refused one with the camera's own page and, if the camera was re-keyed, forgets the
// pin (DELETE, audited) so that the next connection learns the new certificate. Shown beside the camera's masks.
import { api } from './api.js';
import { t, fmtDate, onLanguageChange } from './i18n.js';
import { $, escapeHtml } from './dom.js';

let shown = null; // { id, pin, message: { kind, text } }
let asked = 0;

onLanguageChange(() => { if (shown) render(); });

/** Colon-separated pairs, as a browser's certificate viewer and cameras' own pages write a fingerprint. */
const pairs = (hex) => hex.match(/.{1,2}/g).join(':');

export async function showCertificatePin(id) {
  const ask = ++asked;
  let pin = null;
  try {
    pin = await api('GET', `/cameras/${encodeURIComponent(id)}/certificate-pin`);
  } catch (e) {
    // 404: nothing pinned (plain RTSP or HTTP, not reached yet, or pins not used): nothing to show.
    if (e.status !== 404) pin = { error: e.message };
  }
  if (ask !== asked) return;
  shown = { id, pin, message: null };
  render();
}

export function hideCertificatePin() {
  asked++;
  shown = null;
  const section = $('certificate-pin');
  section.hidden = true;
  section.innerHTML = '';
}

function render() {
  const { id, pin, message } = shown;
  const section = $('certificate-pin');
  section.hidden = pin === null && message === null;
  if (section.hidden) { section.innerHTML = ''; return; }
  const refused = pin?.refusedSha256;
  section.innerHTML = `
    <h4>${escapeHtml(t('certificatePin.title'))}</h4>
    ${pin?.error ? `<p class="message error">${escapeHtml(pin.error)}</p>` : ''}
    ${pin?.sha256 ? `<p class="pinned">${escapeHtml(t('certificatePin.pinned', pin.authority, fmtDate(pin.pinnedAt)))}<br><code>${pairs(pin.sha256)}</code></p>` : ''}
    ${refused ? `<div class="refused">
      <p>${escapeHtml(t('certificatePin.refused', fmtDate(pin.refusedAt)))}<br><code>${pairs(refused)}</code></p>
      <p class="hint">${escapeHtml(t('certificatePin.compare'))}</p>
      <button type="button" class="forget">${escapeHtml(t('certificatePin.forget'))}</button>
    </div>` : ''}
    <p class="message ${message?.kind || ''}">${escapeHtml(message?.text || '')}</p>`;
  section.dataset.camera = id;
  section.querySelector('.forget')?.addEventListener('click', forget);
}

async function forget() {
  const { id } = shown;
  let message;
  try {
    await api('DELETE', `/cameras/${encodeURIComponent(id)}/certificate-pin`);
    message = { kind: 'ok', text: t('certificatePin.forgotten') };
  } catch (e) {
    message = { kind: 'error', text: e.message };
  }
  // The admin may have closed the camera, or opened another, meanwhile.
  if (shown?.id !== id) return;
  shown = message.kind === 'ok' ? { id, pin: null, message } : { ...shown, message };
  render();
}
