// District admins: a camera's privacy masks drawn on a frame of it. Click to add points, "finish polygon" closes one,
// Save replaces the camera's masks with what is drawn (PUT /cameras/{id}/masks). Coordinates are fractions of the frame,
// as the server stores them. The frame comes from /cameras/{id}/masks/frame, which the server audits as a view.
import { api, apiBlobUrl } from './api.js';
import { t, onLanguageChange } from './i18n.js';
import { $, escapeHtml } from './dom.js';
import { showCertificatePin, hideCertificatePin } from './certificatePin.js';
import { showCameraStatus, hideCameraStatus } from './cameraStatus.js';

let editor = null; // { id, frame, polygons: [[{x,y}]], draft: [{x,y}], message: { kind, text } }

onLanguageChange(() => { if (editor) render(); });

export async function openMaskEditor(id) {
  closeMaskEditor();
  // First: an offline camera's frame takes the node's input timeout to fail, and its status says why.
  showCameraStatus(id);
  const [masks, frame] = await Promise.all([
    api('GET', `/cameras/${encodeURIComponent(id)}/masks`),
    apiBlobUrl(`/cameras/${encodeURIComponent(id)}/masks/frame`),
  ]);
  editor = { id, frame, polygons: (masks.polygons || []).map((p) => p.points), draft: [], message: null };
  $('masks').hidden = false;
  render();
  // Opened from the map, below the district's policy and reports: brought into view rather than left off screen.
  $('masks').scrollIntoView({ block: 'start' });
  showCertificatePin(id);
}

const round = (v) => Math.round(Math.min(1, Math.max(0, v)) * 10000) / 10000;
const pointsAttr = (points) => points.map((p) => `${p.x},${p.y}`).join(' ');

function render() {
  const { id, frame, polygons, draft, message } = editor;
  const section = $('masks');
  section.innerHTML = `
    <h3>${escapeHtml(t('masksOf', id))} <button type="button" class="close">${escapeHtml(t('close'))}</button></h3>
    <p class="hint">${escapeHtml(t('masksHint'))}</p>
    <div class="mask-canvas">
      ${frame ? `<img class="frame" alt="${escapeHtml(id)}" src="${frame}">` : `<div class="frame none">${escapeHtml(t('masksNoFrame'))}</div>`}
      <svg viewBox="0 0 1 1" preserveAspectRatio="none">
        ${polygons.map((p, i) => `<polygon class="mask" data-index="${i}" points="${pointsAttr(p)}"/>`).join('')}
        ${draft.length ? `<polyline class="draft" points="${pointsAttr(draft)}"/>` : ''}
        ${draft.map((p) => `<circle class="draft" cx="${p.x}" cy="${p.y}" r="0.008"/>`).join('')}
      </svg>
    </div>
    <div class="actions">
      <button type="button" class="finish" ${draft.length < 3 ? 'disabled' : ''}>${escapeHtml(t('masksFinish'))}</button>
      <button type="button" class="undo" ${draft.length || polygons.length ? '' : 'disabled'}>${escapeHtml(t('masksUndo'))}</button>
      <button type="button" class="clear">${escapeHtml(t('masksClear'))}</button>
      <button type="button" class="save" ${draft.length ? 'disabled' : ''}>${escapeHtml(t('save'))}</button>
      <span class="count">${escapeHtml(t('masksCount', polygons.length))}</span>
    </div>
    <p class="message ${message?.kind || ''}">${escapeHtml(message?.text || '')}</p>`;
  section.querySelector('.close').addEventListener('click', closeMaskEditor);
  section.querySelector('svg').addEventListener('click', (e) => {
    const box = e.currentTarget.getBoundingClientRect();
    draft.push({ x: round((e.clientX - box.left) / box.width), y: round((e.clientY - box.top) / box.height) });
    render();
  });
  section.querySelector('.finish').addEventListener('click', () => { polygons.push(draft.splice(0)); render(); });
  section.querySelector('.undo').addEventListener('click', () => { if (draft.length) draft.pop(); else polygons.pop(); render(); });
  section.querySelector('.clear').addEventListener('click', () => { polygons.length = 0; draft.length = 0; render(); });
  section.querySelector('.save').addEventListener('click', save);
}

async function save() {
  try {
    const saved = await api('PUT', `/cameras/${encodeURIComponent(editor.id)}/masks`, { polygons: editor.polygons.map((points) => ({ points })) });
    editor.polygons = saved.polygons.map((p) => p.points);
    editor.message = { kind: 'ok', text: t('masksSaved', saved.polygonCount) };
  } catch (e) {
    editor.message = { kind: 'error', text: e.message };
  }
  render();
}

function closeMaskEditor() {
  if (editor?.frame) URL.revokeObjectURL(editor.frame);
  hideCameraStatus();
  hideCertificatePin();
  editor = null;
  const section = $('masks');
  section.hidden = true;
  section.innerHTML = '';
}
