// District admins: the certificates a camera was pinned to when the node first reached it over TLS, one for each host and
// port (its RTSPS or HTTPS stream, its ONVIF device; GET /cameras/{id}/certificate-pins). Where the camera later presented
// another, which the node refused, both fingerprints are shown: the admin compares the refused one with the camera's own page
// and, if the camera was re-keyed, forgets that pin (DELETE ?authority=, audited) so that the next connection there learns
// the new certificate. Shown beside the camera's masks.
import { api } from './api.js';
import { t, fmtDate, onLanguageChange } from './i18n.js';
import { $, escapeHtml } from './dom.js';

let shown = null; // { id, pins: [...], error, message: { kind, text } }
let asked = 0;

onLanguageChange(() => { if (shown) render(); });

/** Colon-separated pairs, as a browser's certificate viewer and cameras' own pages write a fingerprint. */
const pairs = (hex) => hex.match(/.{1,2}/g).join(':');

export async function showCertificatePin(id) {
  const ask = ++asked;
  let pins = [];
  let error = null;
  try {
    pins = await api('GET', `/cameras/${encodeURIComponent(id)}/certificate-pins`);
  } catch (e) {
    error = e.message;
  }
  if (ask !== asked) return;
  shown = { id, pins, error, message: null };
  render();
}

export function hideCertificatePin() {
  asked++;
  shown = null;
  const section = $('certificate-pin');
  section.hidden = true;
  section.innerHTML = '';
}

/** What the camera is reached for at the pin's host and port: its stream, its ONVIF device, or (an address it no longer has) nothing. */
const servicesText = (pin) => (pin.services?.length ? pin.services.map((s) => t(`certificatePin.service.${s}`)).join(' · ') : t('certificatePin.service.none'));

const pinHtml = (pin) => `
  <li class="pin" data-authority="${escapeHtml(pin.authority)}" data-services="${escapeHtml((pin.services || []).join(' '))}">
    <p class="service">${escapeHtml(servicesText(pin))}</p>
    <p class="pinned">${escapeHtml(t('certificatePin.pinned', pin.authority, fmtDate(pin.pinnedAt)))}<br><code>${pairs(pin.sha256)}</code></p>
    ${pin.refusedSha256 ? `<div class="refused">
      <p>${escapeHtml(t('certificatePin.refused', fmtDate(pin.refusedAt)))}<br><code>${pairs(pin.refusedSha256)}</code></p>
      <p class="hint">${escapeHtml(t('certificatePin.compare'))}</p>
      <button type="button" class="forget">${escapeHtml(t('certificatePin.forget'))}</button>
    </div>` : pin.services?.length ? '' : `<button type="button" class="forget">${escapeHtml(t('certificatePin.forget'))}</button>`}
  </li>`;

function render() {
  const { id, pins, error, message } = shown;
  const section = $('certificate-pin');
  // Nothing pinned (plain RTSP or HTTP, not reached yet, or pins not used) and nothing to say: nothing to show.
  section.hidden = pins.length === 0 && !error && !message;
  if (section.hidden) { section.innerHTML = ''; return; }
  section.innerHTML = `
    <h4>${escapeHtml(t('certificatePin.title'))}</h4>
    ${error ? `<p class="message error">${escapeHtml(error)}</p>` : ''}
    <ul class="pins">${pins.map(pinHtml).join('')}</ul>
    <p class="message ${message?.kind || ''}">${escapeHtml(message?.text || '')}</p>`;
  section.dataset.camera = id;
  section.querySelectorAll('.pin').forEach((item) => item.querySelector('.forget')?.addEventListener('click', () => forget(item.dataset.authority)));
}

async function forget(authority) {
  const { id } = shown;
  let message;
  try {
    await api('DELETE', `/cameras/${encodeURIComponent(id)}/certificate-pins?authority=${encodeURIComponent(authority)}`);
    message = { kind: 'ok', text: t('certificatePin.forgotten', authority) };
  } catch (e) {
    message = { kind: 'error', text: e.message };
  }
  // The admin may have closed the camera, or opened another, meanwhile.
  if (shown?.id !== id) return;
  shown = { ...shown, pins: message.kind === 'ok' ? shown.pins.filter((p) => p.authority !== authority) : shown.pins, message };
  render();
}
