// Why a camera has its status (GET /cameras/{id}/status): who set it and since when, the cause the node found for an
// offline camera (a changed certificate, an address that does not answer, no picture), and when the node tries it again
// by itself. An operator's tile or panel stopped "camera offline" adds the cause in words. District admins see the status
// beside the camera's masks and certificates, and may have an offline camera checked at once (POST …/status/check, audited).
import { api } from './api.js';
import { t, reasonText, fmtDate, onLanguageChange } from './i18n.js';
import { $, escapeHtml } from './dom.js';

let shown = null; // { id, report, error, message: { kind, text }, checking }
let asked = 0;

onLanguageChange(() => { if (shown) render(); });

/** The camera's status report, or null when it cannot be read (the caller then says no more than it did). */
export const statusOf = (cameraId) => api('GET', `/cameras/${encodeURIComponent(cameraId)}/status`).catch(() => null);

/** An offline camera's who, why, since when and what next, in words; '' when the report adds nothing to "offline". */
export function offlineWhy(report) {
  if (report?.status !== 'offline') return '';
  const parts = [];
  if (report.setBy && report.setBy !== 'relay') parts.push(t(`cameraStatus.setBy.${report.setBy}`));
  if (report.cause) parts.push(reasonText(report.cause, report.cause));
  if (report.since) parts.push(t('cameraStatus.since', fmtDate(report.since)));
  if (report.nextCheckAt) parts.push(t('cameraStatus.nextCheck', fmtDate(report.nextCheckAt)));
  return parts.join('; ');
}

export async function showCameraStatus(id) {
  const ask = ++asked;
  let report = null;
  let error = null;
  try {
    report = await api('GET', `/cameras/${encodeURIComponent(id)}/status`);
  } catch (e) {
    error = e.message;
  }
  if (ask !== asked) return;
  shown = { id, report, error, message: null, checking: false };
  render();
}

export function hideCameraStatus() {
  asked++;
  shown = null;
  const section = $('camera-status');
  section.hidden = true;
  section.innerHTML = '';
}

function render() {
  const { id, report, error, message, checking } = shown;
  const section = $('camera-status');
  section.hidden = false;
  section.dataset.camera = id;
  section.dataset.status = report?.status ?? '';
  section.dataset.cause = report?.cause ?? '';
  const offline = report?.status === 'offline';
  section.innerHTML = `
    <h4>${escapeHtml(t('cameraStatus.title'))}</h4>
    ${error ? `<p class="message error">${escapeHtml(error)}</p>` : ''}
    ${report ? `<p class="status ${escapeHtml(report.status)}">${escapeHtml(t(`access.${report.status}`))}${offline ? `: ${escapeHtml(offlineWhy(report) || t('cameraStatus.noCause'))}` : ''}</p>` : ''}
    ${offline ? `<button type="button" class="check" ${checking ? 'disabled' : ''}>${escapeHtml(t(checking ? 'cameraStatus.checking' : 'cameraStatus.check'))}</button>` : ''}
    <p class="message ${message?.kind || ''}">${escapeHtml(message?.text || '')}</p>`;
  section.querySelector('.check')?.addEventListener('click', check);
}

async function check() {
  const { id } = shown;
  shown = { ...shown, checking: true, message: null };
  render();
  let report = shown.report;
  let message;
  try {
    const result = await api('POST', `/cameras/${encodeURIComponent(id)}/status/check`, {});
    report = result.status;
    message = result.gavePicture
      ? { kind: 'ok', text: t('cameraStatus.gavePicture') }
      : { kind: 'error', text: t('cameraStatus.noPicture', reasonText(result.cause, result.cause)) };
  } catch (e) {
    message = { kind: 'error', text: e.message };
  }
  // The admin may have closed the camera, or opened another, meanwhile.
  if (shown?.id !== id) return;
  shown = { ...shown, report, message, checking: false };
  render();
}
