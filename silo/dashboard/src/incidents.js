// Live incidents: markers (the newest pulses), the list by priority then time, and the selected incident's panel
// (timeline, agencies, cameras, context) with its camera wall.
import L from 'leaflet';
import { api } from './api.js';
import { t, fmtDate, onLanguageChange } from './i18n.js';
import { $, escapeHtml } from './dom.js';
import { incidentLayer, panTo } from './map.js';
import { subscribeIncident } from './hub.js';
import { startWall, stopWall } from './wall.js';
import { contextDetails, drawIncidentContext } from './incidentContext.js';

const incidents = new Map();
const markers = new Map();
let selected = null; // id
let selectedView = null;
let onCameraClick = () => {};

export const selectedIncident = () => selected;

export function initIncidents(cameraClick) {
  onCameraClick = cameraClick;
  onLanguageChange(() => { renderList(); if (selectedView) renderIncident(selectedView); });
  renderList();
}

/** After (re)connecting: the open incidents of this agency, and the selected one again. */
export async function resubscribe(open) {
  for (const i of open) upsertIncident(i);
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
  if (selected === i.id && i.timeline) { selectedView = i; renderIncident(i); }
}

export function closeIncident(i) {
  incidents.delete(i.id);
  markers.get(i.id)?.remove();
  markers.delete(i.id);
  renderList();
  if (selected === i.id) {
    selectedView = i;
    stopWall(t('incidentClosed'));
    renderIncident(i);
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
    li.innerHTML = `<span class="p${i.priority}">${escapeHtml(t('priority', i.priority))}</span> ${escapeHtml(i.type)} · ${escapeHtml(i.externalReference || i.id)}
      <br><small>${escapeHtml(i.districtCode)} · ${escapeHtml(fmtDate(i.openedAt))} · ${escapeHtml(i.status)}</small>`;
    li.addEventListener('click', () => selectIncident(i.id));
    list.appendChild(li);
  }
}

export async function selectIncident(id) {
  if (selected && selected !== id) stopWall(t('close'));
  selected = id;
  renderList();
  const view = await api('GET', `/incidents/${encodeURIComponent(id)}`);
  selectedView = view;
  await subscribeIncident(id);
  renderIncident(view);
  panTo(view.position.latitude, view.position.longitude);
  if (view.status !== 'closed') startWall($('incident').querySelector('.wall'), view);
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
  const wall = panel.querySelector('.wall');
  panel.innerHTML = `
    <h3>${escapeHtml(t('incident'))} ${escapeHtml(v.externalReference || v.id)} <span class="p${v.priority}">${escapeHtml(t('priority', v.priority))}</span></h3>
    <p>${escapeHtml(t('status'))}: <span class="status">${escapeHtml(v.status)}</span> · ${escapeHtml(t('openedAt'))}: ${escapeHtml(fmtDate(v.openedAt))}</p>
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
  panel.querySelectorAll('tr[data-camera]').forEach((tr) => tr.addEventListener('click', () => onCameraClick(tr.dataset.camera)));
}
