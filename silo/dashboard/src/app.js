// SafetyNet situation-room dashboard: sign-in, map (no tiles), live incidents over SignalR, incident panel with a
// camera wall (hls.js), camera panel. Every string comes from i18n/{ko,en}.json; dates are shown in Asia/Seoul.
import L from 'leaflet';
import Hls from 'hls.js';
import * as signalR from '@microsoft/signalr';
import ko from './i18n/ko.json';
import en from './i18n/en.json';

const resources = { ko, en };
const $ = (id) => document.getElementById(id);
const state = {
  lang: localStorage.getItem('safetynet.lang') || 'ko',
  token: null, sessionId: null, agencyId: null, heartbeat: null,
  hub: null, incidents: new Map(), markers: new Map(), newest: null,
  selected: null, players: [], renewals: [], cameraCount: 0,
};

// ---- language -------------------------------------------------------------------------------------------------
function t(key, ...args) {
  const text = resources[state.lang][key] ?? key;
  return args.reduce((s, a, i) => s.replace(`{${i}}`, a), text);
}
function fmtDate(iso) {
  if (!iso) return '';
  return new Intl.DateTimeFormat(state.lang === 'ko' ? 'ko-KR' : 'en-GB',
    { timeZone: 'Asia/Seoul', dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso));
}
function applyLanguage() {
  document.documentElement.lang = state.lang;
  document.querySelectorAll('[data-i18n]').forEach((el) => { el.textContent = t(el.dataset.i18n); });
  $('lang').textContent = t('switchLanguage');
  renderConnection();
  renderIncidentList();
  if (state.selected) renderIncident(state.incidents.get(state.selected) ?? state.selectedView);
  if (state.cameraView) renderCamera(state.cameraView);
}
$('lang').addEventListener('click', () => {
  state.lang = state.lang === 'ko' ? 'en' : 'ko';
  localStorage.setItem('safetynet.lang', state.lang);
  applyLanguage();
});

// ---- REST -----------------------------------------------------------------------------------------------------
async function api(method, path, body, token = state.token) {
  const headers = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const data = text && (response.headers.get('content-type') || '').includes('json') ? JSON.parse(text) : text;
  if (!response.ok) {
    const error = new Error((data && (data.detail || data.title)) || `${response.status}`);
    error.status = response.status; error.problem = data;
    throw error;
  }
  return data;
}
const escapeHtml = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

// ---- sign-in / session ----------------------------------------------------------------------------------------
async function signInDev() {
  $('signin-error').textContent = '';
  try {
    const role = $('role').value;
    const minted = await api('POST', '/auth/token', { agencyId: $('agency').value.trim(), operatorId: $('operator').value.trim(), role }, null);
    await startWith(minted.accessToken, role);
  } catch (e) { $('signin-error').textContent = t('signInFailed', e.message); }
}
async function signInToken() {
  $('signin-error').textContent = '';
  try { await startWith($('pasted').value.trim(), null); } catch (e) { $('signin-error').textContent = t('signInFailed', e.message); }
}
function claims(token) {
  try { return JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))); } catch { return {}; }
}
async function startWith(token, role) {
  const c = claims(token);
  role = role || c.role || c['http://schemas.microsoft.com/ws/2008/06/identity/claims/role'];
  state.token = token;
  if (role === 'operator' || role === 'supervisor') {
    const session = await api('POST', '/sessions', {});
    state.token = session.accessToken; state.sessionId = session.sessionId;
    state.heartbeat = setInterval(() => api('POST', `/sessions/${state.sessionId}/heartbeat`, {}).catch(() => {}), 30_000);
  }
  state.agencyId = c.agency || c.agency_id || $('agency').value;
  $('who').textContent = `${state.agencyId} · ${c.sub || c.operator || ''} · ${role}`;
  $('signin').hidden = true; $('main').hidden = false; $('logout').hidden = false;
  await startMap();
  await connectHub();
}
async function logout() {
  clearInterval(state.heartbeat);
  stopWall(t('close'));
  if (state.hub) await state.hub.stop().catch(() => {});
  if (state.sessionId) await api('DELETE', `/sessions/${state.sessionId}`).catch(() => {});
  location.reload();
}
$('signin-dev').addEventListener('click', signInDev);
$('signin-token').addEventListener('click', signInToken);
$('logout').addEventListener('click', logout);

// ---- map ------------------------------------------------------------------------------------------------------
let map, cameraLayer, incidentLayer;
const statusColour = { online: '#1f8a3b', offline: '#888', degraded: '#e0a000', maintenance: '#5470c6' };
async function startMap() {
  if (map) return;
  const renderer = L.canvas({ padding: 0.2 });
  map = L.map('map', { preferCanvas: true, renderer, zoomControl: true, attributionControl: false }).setView([37.5665, 126.978], 11);
  window.safetynetMap = map;
  const districts = await api('GET', '/districts');
  const byCode = new Map(districts.map((d) => [d.code, d]));
  const districtLayer = L.layerGroup().addTo(map);
  let drawn = 0;
  const boundaries = await fetch('/dashboard/districts.geojson').then((r) => (r.ok ? r.json() : null)).catch(() => null);
  if (boundaries) {
    for (const feature of boundaries.features) {
      const d = byCode.get(feature.properties.code);
      L.geoJSON(feature, { renderer: L.svg(), style: { color: '#34506b', weight: 1.5, fillColor: '#fff', fillOpacity: 0.6, className: 'district' }, interactive: false }).addTo(districtLayer);
      drawn++;
      if (d) label(d, districtLayer);
    }
  } else {
    for (const d of districts) {
      L.circle([d.centroid.latitude, d.centroid.longitude], { radius: 1500, renderer: L.svg(), color: '#34506b', weight: 1.5, fillOpacity: 0.15, className: 'district', interactive: false }).addTo(districtLayer);
      label(d, districtLayer); drawn++;
    }
  }
  document.body.dataset.districts = String(drawn);
  cameraLayer = L.layerGroup().addTo(map);
  incidentLayer = L.layerGroup().addTo(map);
  loadCameras(renderer);
}
function label(d, layer) {
  L.tooltip({ permanent: true, direction: 'center', className: 'district-label' })
    .setLatLng([d.centroid.latitude, d.centroid.longitude])
    .setContent(`<span data-district="${escapeHtml(d.code)}">${escapeHtml(d.name)}<br>${escapeHtml(d.nameEnglish)}</span>`).addTo(layer);
}
async function loadCameras(renderer) {
  for (let page = 1; ; page++) {
    const fc = await api('GET', `/cameras?page=${page}&pageSize=20000`);
    for (const f of fc.features) {
      const [lon, lat] = f.geometry.coordinates;
      const p = f.properties;
      L.circleMarker([lat, lon], { renderer, radius: 2, weight: 0, fillOpacity: 0.8, fillColor: statusColour[p.status] || '#1f8a3b' })
        .bindTooltip(() => `${escapeHtml(p.id)} · ${escapeHtml(p.purpose)} · ${escapeHtml(p.district)}`)
        .on('click', () => openCamera(p.id))
        .addTo(cameraLayer);
    }
    state.cameraCount += fc.features.length;
    document.body.dataset.cameras = String(state.cameraCount);
    if (fc.features.length < 20000) break;
  }
}

// ---- incidents over SignalR -----------------------------------------------------------------------------------
async function connectHub() {
  const hub = new signalR.HubConnectionBuilder()
    .withUrl('/hubs/operations', { accessTokenFactory: () => state.token })
    .withAutomaticReconnect()
    .build();
  state.hub = hub;
  hub.on('incidentOpened', (i) => upsertIncident(i));
  hub.on('incidentUpdated', (i) => upsertIncident(i));
  hub.on('incidentClosed', (i) => closeIncident(i));
  hub.on('leaseRevoked', (e) => stopTile(e.cameraId, e.reason || t('leaseRevoked')));
  hub.on('accessRevoked', (e) => { if (e.incidentId === state.selected) for (const id of e.cameraIds || []) stopTile(id, e.reason || t('leaseRevoked')); });
  hub.onreconnected(subscribe);
  hub.onclose(renderConnection);
  hub.onreconnecting(renderConnection);
  await hub.start();
  await subscribe();
}
async function subscribe() {
  const open = await state.hub.invoke('SubscribeIncidents');
  for (const i of open) upsertIncident(i);
  if (state.selected) await state.hub.invoke('SubscribeIncident', state.selected).catch(() => {});
  renderConnection();
}
function renderConnection() {
  const connected = state.hub && state.hub.state === signalR.HubConnectionState.Connected;
  $('conn').textContent = state.hub ? t(connected ? 'connected' : 'disconnected') : '';
}
function upsertIncident(i) {
  if (i.status === 'closed') return closeIncident(i);
  state.incidents.set(i.id, { ...(state.incidents.get(i.id) || {}), ...i });
  const pos = [i.position.latitude, i.position.longitude];
  let marker = state.markers.get(i.id);
  if (!marker) {
    marker = L.marker(pos, { icon: L.divIcon({ className: '', html: '<div class="incident-icon"></div>', iconSize: [18, 18] }), zIndexOffset: 1000 })
      .on('click', () => selectIncident(i.id)).addTo(incidentLayer);
    state.markers.set(i.id, marker);
  } else marker.setLatLng(pos);
  // The most recently opened incident pulses.
  const newest = [...state.incidents.values()].reduce((a, b) => (!a || new Date(b.openedAt) > new Date(a.openedAt) ? b : a), null);
  for (const [id, m] of state.markers) m.getElement()?.querySelector('.incident-icon')?.classList.toggle('newest', id === newest?.id);
  renderIncidentList();
  if (state.selected === i.id && i.timeline) { state.selectedView = i; renderIncident(i); }
}
function closeIncident(i) {
  state.incidents.delete(i.id);
  state.markers.get(i.id)?.remove();
  state.markers.delete(i.id);
  renderIncidentList();
  if (state.selected === i.id) {
    state.selectedView = i;
    stopWall(t('incidentClosed'));
    renderIncident(i);
  }
}
function renderIncidentList() {
  const list = $('incidents');
  if (!list) return;
  const items = [...state.incidents.values()].sort((a, b) => a.priority - b.priority || new Date(b.openedAt) - new Date(a.openedAt));
  list.innerHTML = items.length ? '' : `<li class="empty">${escapeHtml(t('noIncidents'))}</li>`;
  for (const i of items) {
    const li = document.createElement('li');
    li.dataset.incident = i.id;
    li.className = i.id === state.selected ? 'selected' : '';
    li.innerHTML = `<span class="p${i.priority}">${escapeHtml(t('priority', i.priority))}</span> ${escapeHtml(i.type)} · ${escapeHtml(i.externalReference || i.id)}
      <br><small>${escapeHtml(i.districtCode)} · ${escapeHtml(fmtDate(i.openedAt))} · ${escapeHtml(i.status)}</small>`;
    li.addEventListener('click', () => selectIncident(i.id));
    list.appendChild(li);
  }
}

// ---- incident panel and camera wall ---------------------------------------------------------------------------
async function selectIncident(id) {
  if (state.selected && state.selected !== id) stopWall(t('close'));
  state.selected = id;
  renderIncidentList();
  const view = await api('GET', `/incidents/${encodeURIComponent(id)}`);
  state.selectedView = view;
  await state.hub.invoke('SubscribeIncident', id).catch(() => {});
  renderIncident(view);
  map.panTo([view.position.latitude, view.position.longitude]);
  if (view.status !== 'closed') startWall(view);
}
function renderIncident(v) {
  const panel = $('incident');
  if (!v) return;
  panel.hidden = false;
  const wall = panel.querySelector('.wall');
  panel.innerHTML = `
    <h3>${escapeHtml(t('incident'))} ${escapeHtml(v.externalReference || v.id)} <span class="p${v.priority}">${escapeHtml(t('priority', v.priority))}</span></h3>
    <p>${escapeHtml(t('status'))}: <span class="status">${escapeHtml(v.status)}</span> · ${escapeHtml(t('openedAt'))}: ${escapeHtml(fmtDate(v.openedAt))}</p>
    <h4>${escapeHtml(t('cameraWall'))}</h4><div class="wall"></div>
    <h4>${escapeHtml(t('timeline'))}</h4>
    <table class="timeline">${(v.timeline || []).map((e) => `<tr><td>${escapeHtml(fmtDate(e.at))}</td><td>${escapeHtml(e.kind)}</td><td>${escapeHtml(e.text)}</td><td>${escapeHtml(e.actor)}</td></tr>`).join('')}</table>
    <h4>${escapeHtml(t('agencies'))}</h4><p class="agencies">${(v.agencies || []).map(escapeHtml).join(', ')}</p>
    <h4>${escapeHtml(t('cameras'))}</h4>
    <table class="cameras"><tr><th>${escapeHtml(t('camera'))}</th><th>${escapeHtml(t('purpose'))}</th><th>${escapeHtml(t('distance'))}</th><th>${escapeHtml(t('bearing'))}</th></tr>
      ${(v.cameras || []).map((c) => `<tr data-camera="${escapeHtml(c.cameraId)}"><td>${escapeHtml(c.cameraId)}</td><td>${escapeHtml(c.purpose)}</td><td>${Math.round(c.distanceMeters)} m</td><td>${Math.round(c.bearingDegrees)}°</td></tr>`).join('')}</table>
    <h4>${escapeHtml(t('context'))}</h4>
    ${(v.context || []).length ? `<table class="context">${v.context.map((f) => `<tr><td>${escapeHtml(f.layer)}</td><td>${escapeHtml(f.name)}</td><td>${f.distanceMeters != null ? Math.round(f.distanceMeters) + ' m' : ''}</td></tr>`).join('')}</table>` : `<p>${escapeHtml(t('noContext'))}</p>`}`;
  if (wall) panel.querySelector('.wall').replaceWith(wall); // keep the live players across re-renders
  panel.querySelectorAll('tr[data-camera]').forEach((tr) => tr.addEventListener('click', () => openCamera(tr.dataset.camera)));
}
function startWall(view) {
  const wall = $('incident').querySelector('.wall');
  for (const c of (view.cameras || []).slice(0, 4)) {
    const tile = document.createElement('div');
    tile.className = 'tile'; tile.dataset.camera = c.cameraId;
    tile.innerHTML = `<video muted autoplay playsinline></video><span class="state">${escapeHtml(c.cameraId)} · ${escapeHtml(t('requesting'))}</span>`;
    wall.appendChild(tile);
    const player = { cameraId: c.cameraId, tile, hls: null, leaseId: null, timer: null };
    state.players.push(player);
    playTile(player, view.id);
  }
}
async function playTile(player, incidentId) {
  const stateEl = player.tile.querySelector('.state');
  try {
    const lease = await api('POST', `/cameras/${encodeURIComponent(player.cameraId)}/leases`, { purpose: 'emergency-response', incidentId });
    if (player.stopped) { api('DELETE', `/leases/${lease.leaseId}`).catch(() => {}); return; }
    player.leaseId = lease.leaseId;
    const video = player.tile.querySelector('video');
    // The relay needs a few seconds to write its first segments: wait for the playlist before handing it to hls.js.
    for (let i = 0; i < 60 && !player.stopped; i++) {
      const r = await fetch(lease.playlistUrl, { cache: 'no-store' });
      if (r.ok && (await r.text()).includes('.ts')) break;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    if (player.stopped) return;
    if (Hls.isSupported()) {
      player.hls = new Hls({ liveSyncDurationCount: 2, manifestLoadingMaxRetry: 30, manifestLoadingRetryDelay: 1000, levelLoadingMaxRetry: 30 });
      player.hls.loadSource(lease.playlistUrl);
      player.hls.attachMedia(video);
      player.hls.on(Hls.Events.MANIFEST_PARSED, () => video.play().catch(() => {}));
      player.hls.on(Hls.Events.ERROR, (_e, data) => {
        if (data.fatal && data.response?.code === 403) stopTile(player.cameraId, t('leaseRevoked'));
        else if (data.fatal && data.type === Hls.ErrorTypes.NETWORK_ERROR) setTimeout(() => player.hls?.loadSource(lease.playlistUrl), 1000);
      });
    } else video.src = lease.playlistUrl;
    stateEl.textContent = `${player.cameraId} · ${t('playing')}`;
    player.timer = setInterval(async () => {
      try { await api('POST', `/leases/${player.leaseId}/renew`, {}); } catch (e) { stopTile(player.cameraId, e.problem?.reason || e.message); }
    }, 60_000);
  } catch (e) {
    player.tile.classList.add('stopped', 'denied');
    stateEl.textContent = `${player.cameraId} · ${t('denied', e.problem?.detail || e.problem?.reason || e.message)}`;
  }
}
function stopTile(cameraId, reason) {
  for (const p of state.players.filter((x) => x.cameraId === cameraId)) stopPlayer(p, reason);
}
function stopPlayer(p, reason) {
  if (p.stopped) return;
  p.stopped = true;
  clearInterval(p.timer);
  p.hls?.destroy(); p.hls = null;
  const video = p.tile.querySelector('video');
  video.pause(); video.removeAttribute('src'); video.load();
  p.tile.classList.add('stopped');
  p.tile.querySelector('.state').textContent = `${p.cameraId} · ${t('stopped', reason)}`;
  if (p.leaseId) api('DELETE', `/leases/${p.leaseId}`).catch(() => {});
}
function stopWall(reason) {
  for (const p of state.players) stopPlayer(p, reason);
  state.players = [];
}

// ---- camera panel ---------------------------------------------------------------------------------------------
async function openCamera(id) {
  const purpose = state.selected ? 'emergency-response' : 'monitoring';
  const incident = state.selected ? `&incident=${encodeURIComponent(state.selected)}` : '';
  const decision = await api('GET', `/cameras/${encodeURIComponent(id)}/access?purpose=${purpose}${incident}`);
  let snapshot = null;
  if (decision.allowed) {
    const r = await fetch(`/api/v1/cameras/${encodeURIComponent(id)}/snapshot?purpose=${purpose}${incident}`, { headers: { authorization: `Bearer ${state.token}` } });
    if (r.ok) snapshot = URL.createObjectURL(await r.blob());
  }
  state.cameraView = { id, decision, snapshot };
  renderCamera(state.cameraView);
}
function renderCamera({ id, decision, snapshot }) {
  const panel = $('camera');
  panel.hidden = false;
  panel.innerHTML = `<h3>${escapeHtml(t('camera'))} ${escapeHtml(id)} <button type="button" class="close">${escapeHtml(t('close'))}</button></h3>
    ${decision.allowed
      ? (snapshot ? `<img class="snapshot" alt="${escapeHtml(id)}" src="${snapshot}">` : '')
      : `<p class="denied" data-reason="${escapeHtml(decision.reason)}">${escapeHtml(t('denied', decision.explanation || decision.reason))}</p>`}`;
  panel.querySelector('.close').addEventListener('click', () => { panel.hidden = true; state.cameraView = null; });
}

window.safetynet = { state, openCamera, selectIncident };
applyLanguage();
