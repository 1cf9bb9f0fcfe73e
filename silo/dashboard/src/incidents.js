// Live incidents: markers (the newest pulses), the list by priority then time, and the selected incident's panel
// (timeline, agencies, cameras, context, actions) with its camera wall. A closed incident stays listed as closing, its
// wall playing, until the grace ends; then its access is revoked and every tile stops.
import L from 'leaflet';
import { api } from './api.js';
import { t, fmtDate, reasonText, onLanguageChange } from './i18n.js';
import { $, escapeHtml } from './dom.js';
import { incidentLayer, panTo } from './map.js';
import { subscribeIncident } from './hub.js';
import { startWall, updateWall, stopWall, wallClosing } from './wall.js';
import { contextDetails, drawIncidentContext } from './incidentContext.js';
import { incidentPurpose } from './purpose.js';
import { incidentActions, updateIncidentActions } from './incidentActions.js';

// Agencies with no grant of the incident hear no revocation at the end of the grace: they take it from the clock.
const GRACE_BACKSTOP_MS = 2_000;

const incidents = new Map();
const markers = new Map();
let selected = null; // id
let selectedView = null;
let actions = null; // the selected incident's action forms
let onCameraClick = () => {};
const graceTimers = new Map();

export const selectedIncident = () => selected;

/** The context a view made from the selected incident's panel uses: its id and its grant's purpose. */
export const selectedIncidentContext = () => (selected && selectedView ? { incidentId: selected, purpose: incidentPurpose(selectedView) } : null);

export function initIncidents(cameraClick) {
  onCameraClick = cameraClick;
  onLanguageChange(() => {
    renderList();
    if (!selectedView) return;
    if (actions) { const fresh = incidentActions(selected); actions.replaceWith(fresh); actions = fresh; }
    renderIncident(selectedView);
  });
  renderList();
}

/** After (re)connecting: the open incidents of this agency, and the selected one again. */
export async function resubscribe(open, changedMeanwhile = new Set()) {
  // The answer is the whole current set: one listed here but not there closed while this page was not listening. An
  // incident an event changed while the answer was on its way is as the event left it, which is never older.
  const current = new Set(open.map((i) => i.id));
  for (const id of [...incidents.keys()]) if (!current.has(id) && !changedMeanwhile.has(id)) finishIncident(id);
  for (const i of open) if (!changedMeanwhile.has(i.id)) upsertIncident(i);
  if (selected) await subscribeIncident(selected);
}

export function upsertIncident(i) {
  if (i.status === 'closed') { closeIncident(i); return; }
  incidents.set(i.id, { ...(incidents.get(i.id) || {}), ...i });
  const pos = [i.position.latitude, i.position.longitude];
  let marker = markers.get(i.id);
  if (!marker) {
    marker = L.marker(pos, { icon: L.divIcon({ className: '', html: '<div class="incident-icon"></div>', iconSize: [18, 18] }), zIndexOffset: 1000 })
      .on('click', () => selectIncident(i.id)).addTo(incidentLayer);
    markers.set(i.id, marker);
  } else marker.setLatLng(pos);
  const newest = [...incidents.values()].reduce((a, b) => (!a || new Date(b.openedAt) > new Date(a.openedAt) ? b : a), null);
  for (const [id, m] of markers) m.getElement()?.querySelector('.incident-icon')?.classList.toggle('newest', id === newest?.id);
  renderList();
  if (selected === i.id && i.timeline) {
    selectedView = i;
    renderIncident(i);
    if (i.status === 'open') updateWall($('incident').querySelector('.wall'), i, reasonText('incident-moved'));
  }
}

/** incidentClosed: the incident is closing; its grants (and the wall) last until the grace ends. */
export function closeIncident(i) {
  if (i.status !== 'closing') { finishIncident(i.id, i); return; }
  upsertIncident(i);
  if (selected === i.id) wallClosing(i.graceUntil);
  clearTimeout(graceTimers.get(i.id));
  const left = Math.max(0, new Date(i.graceUntil) - Date.now());
  graceTimers.set(i.id, setTimeout(() => finishIncident(i.id), left + GRACE_BACKSTOP_MS));
}

/** accessRevoked: when it is the end of an incident's grace, the incident is over here. */
export function incidentAccessEnded(event) {
  if (event.reason === 'incident-closed') finishIncident(event.incidentId);
}

function finishIncident(id, view) {
  clearTimeout(graceTimers.get(id));
  graceTimers.delete(id);
  const known = view || incidents.get(id);
  incidents.delete(id);
  markers.get(id)?.remove();
  markers.delete(id);
  renderList();
  if (selected === id) {
    stopWall(reasonText('incident-closed'));
    selectedView = { ...(known || selectedView), status: 'closed' };
    renderIncident(selectedView);
  }
}

function renderList() {
  const list = $('incidents');
  const items = [...incidents.values()].sort((a, b) => a.priority - b.priority || new Date(b.openedAt) - new Date(a.openedAt));
  list.innerHTML = items.length ? '' : `<li class="empty">${escapeHtml(t('noIncidents'))}</li>`;
  for (const i of items) {
    const li = document.createElement('li');
    li.dataset.incident = i.id;
    li.className = i.id === selected ? 'selected' : '';
    li.dataset.status = i.status;
    li.innerHTML = `<span class="p${i.priority}">${escapeHtml(t('priority', i.priority))}</span> ${escapeHtml(i.type)} · ${escapeHtml(i.externalReference || i.id)}
      <br><small>${escapeHtml(i.districtCode)} · ${escapeHtml(fmtDate(i.openedAt))} · ${escapeHtml(i.status)}</small>`;
    li.addEventListener('click', () => selectIncident(i.id));
    list.appendChild(li);
  }
}

export async function selectIncident(id) {
  if (selected === id && selectedView) return;
  if (selected) stopWall(t('close'));
  selected = id;
  selectedView = null;
  actions = incidentActions(id);
  renderList();
  // Joined before the read: the agency's stream brings only cards, so a change made while the read is on its way must
  // come as the whole view.
  await subscribeIncident(id);
  const view = await api('GET', `/incidents/${encodeURIComponent(id)}`);
  if (selected !== id) return;
  selectedView = view;
  renderIncident(view);
  panTo(view.position.latitude, view.position.longitude);
  if (view.status === 'closed') return;
  startWall($('incident').querySelector('.wall'), view);
  if (view.status === 'closing') wallClosing(view.graceUntil);
}

const cell = (text) => `<td>${escapeHtml(text)}</td>`;

/** An SOS incident's person and trail, present only when this agency responds to it (the server withholds them otherwise). */
function person(v) {
  if (!v.personCategory && !v.trail) return '';
  const trail = [...(v.trail || [])].reverse();
  return `<h4>${escapeHtml(t('person'))}</h4>
    <p class="person-category">${escapeHtml(v.personCategory ? t(`category.${v.personCategory}`) : t('category.unstated'))}</p>
    <h4>${escapeHtml(t('trail', trail.length))}</h4>
    <table class="trail">${trail.map((p) => `<tr>${cell(fmtDate(p.at))}${cell(`${p.position.latitude.toFixed(5)}, ${p.position.longitude.toFixed(5)}`)}${cell(p.accuracyMeters != null ? `±${Math.round(p.accuracyMeters)} m` : '')}${cell(p.reportedBy)}</tr>`).join('')}</table>`;
}

function renderIncident(v) {
  const panel = $('incident');
  panel.hidden = false;
  panel.dataset.incident = v.id;
  panel.dataset.status = v.status;
  panel.dataset.purpose = incidentPurpose(v);
  const wall = panel.querySelector('.wall');
  panel.innerHTML = `
    <h3>${escapeHtml(t('incident'))} ${escapeHtml(v.externalReference || v.id)} <span class="p${v.priority}">${escapeHtml(t('priority', v.priority))}</span></h3>
    <p>${escapeHtml(t('status'))}: <span class="status">${escapeHtml(v.status)}</span> · ${escapeHtml(t('openedAt'))}: ${escapeHtml(fmtDate(v.openedAt))}
      · ${escapeHtml(t('purpose'))}: <span class="purpose">${escapeHtml(incidentPurpose(v))}</span>
      ${v.status === 'closing' ? `<br><span class="closing">${escapeHtml(t('accessEndsAt', fmtDate(v.graceUntil)))}</span>` : ''}
      ${v.pendingReview ? `<br><span class="pending">${escapeHtml(t('pendingReview', (v.pendingAgencies || []).join(', ')))}</span>` : ''}</p>
    <div class="actions-slot"></div>
    <h4>${escapeHtml(t('cameraWall'))}</h4><div class="wall"></div>
    <h4>${escapeHtml(t('timeline'))}</h4>
    <table class="timeline">${(v.timeline || []).map((e) => `<tr>${cell(fmtDate(e.at))}${cell(e.kind)}${cell(e.text)}${cell(e.actor)}</tr>`).join('')}</table>
    <h4>${escapeHtml(t('agencies'))}</h4><p class="agencies">${(v.agencies || []).map(escapeHtml).join(', ')}</p>
    <h4>${escapeHtml(t('cameras'))}</h4>
    <table class="cameras"><tr><th>${escapeHtml(t('camera'))}</th><th>${escapeHtml(t('purpose'))}</th><th>${escapeHtml(t('distance'))}</th><th>${escapeHtml(t('bearing'))}</th></tr>
      ${(v.cameras || []).map((c) => `<tr data-camera="${escapeHtml(c.cameraId)}">${cell(c.cameraId)}${cell(c.purpose)}${cell(`${Math.round(c.distanceMeters)} m`)}${cell(`${Math.round(c.bearingDegrees)}°`)}</tr>`).join('')}</table>
    ${person(v)}
    <h4>${escapeHtml(t('context'))}</h4>
    ${(v.context || []).length ? `<table class="context">${v.context.map((f) => `<tr data-layer="${escapeHtml(f.layer)}">${cell(t(`layer.${f.layer}`))}${cell(f.name)}${cell(contextDetails(f))}${cell(f.distanceMeters != null ? `${Math.round(f.distanceMeters)} m` : '')}</tr>`).join('')}</table>` : `<p>${escapeHtml(t('noContext'))}</p>`}`;
  drawIncidentContext(v);
  if (wall) panel.querySelector('.wall').replaceWith(wall); // keep the live players across re-renders
  if (actions) { panel.querySelector('.actions-slot').replaceWith(actions); updateIncidentActions(actions, v); }
  panel.querySelectorAll('tr[data-camera]').forEach((tr) => tr.addEventListener('click', () => onCameraClick(tr.dataset.camera)));
}
