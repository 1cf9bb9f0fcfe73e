// The map: the served districts (Seoul's 25, or a nation's) with no tiles, every camera on one canvas coloured by status and by this operator's access,
// a legend with the counts (also on <body data-cameras-*> for tests), hover for id/purpose/district, click to open.
// The cameras come as columns from GET /cameras/compact (one compressed request) and live in typed arrays; the canvas
// is drawn in chunks, one per animation frame, so the districts show at once and the page never freezes.
import L from 'leaflet';
import { api } from './api.js';
import { servedDistricts, districtName } from './districts.js';
import { t, namedText, onLanguageChange } from './i18n.js';
import { escapeHtml } from './dom.js';
import { accessClass, cellClass, grantedCameraIds, hasAccessOverview } from './accessOverview.js';
import { listReads } from './listReads.js';

const CLASSES = ['allowed', 'granted', 'incident-only', 'denied', 'online', 'degraded', 'offline', 'maintenance'];
const CLASS = Object.fromEntries(CLASSES.map((c, i) => [c, i]));
const colour = {
  allowed: '#1f8a3b', granted: '#0a6cff', 'incident-only': '#e08a00', denied: '#c62828',
  online: '#1f8a3b', degraded: '#e0a000', offline: '#888', maintenance: '#8e44ad',
};
const DOT_RADIUS = 2;
const CAMERAS_PER_FRAME = 12_000;
const HIT_PIXELS = 6;
const SEOUL = L.latLngBounds([37.41, 126.76], [37.72, 127.19]);

// Camera i: ids[i] at (lat[i], lon[i]); districts/purposes/statusNames are the tables its column indexes point into.
const cams = { count: 0, ids: [], lat: null, lon: null, worldX: null, worldY: null, district: null, purpose: null, status: null,
  districts: [], purposes: [], statusNames: [], cls: null, index: null };
let districtCodes = [];
let districtsByCode = new Map();
let map, dots, legend, hoverTip, redrawPending = false;
const districtLabels = [];
export let incidentLayer;
export let contextLayer;

export async function startMap(onCameraClick) {
  if (map) return;
  performance.mark('map:start');
  const camerasArriving = api('GET', '/cameras/compact');
  map = L.map('map', { zoomControl: true, attributionControl: false }).setView([37.5665, 126.978], 11);
  window.safetynetMap = map;
  await drawDistricts();
  performance.measure('map:districts', 'map:start');
  contextLayer = L.layerGroup().addTo(map);
  incidentLayer = L.layerGroup().addTo(map);
  legend = L.control({ position: 'bottomright' });
  legend.onAdd = () => L.DomUtil.create('div', 'legend');
  legend.addTo(map);
  onLanguageChange(renderLegend);
  dots = new CameraDots().addTo(map);
  wirePointer(onCameraClick);
  loadCameras(camerasArriving);
}

export const allDistrictCodes = () => districtCodes;

export const panTo = (lat, lon) => map.panTo([lat, lon]);

let pendingPick = null;

/** The next click on the map hands its point to onPick (placing or moving an incident); a newer pick replaces a waiting one. */
export function pickOnMap(onPick) {
  if (pendingPick) map.off('click', pendingPick);
  pendingPick = (e) => { pendingPick = null; map.getContainer().classList.remove('picking'); onPick(e.latlng.lat, e.latlng.lng); };
  map.getContainer().classList.add('picking');
  map.once('click', pendingPick);
}

async function drawDistricts() {
  const [districts, boundaries] = await Promise.all([
    servedDistricts(),
    fetch('/dashboard/districts.geojson').then((r) => (r.ok ? r.json() : null)).catch(() => null),
  ]);
  const byCode = new Map(districts.map((d) => [d.code, d]));
  districtsByCode = byCode;
  districtCodes = districts.map((d) => d.code);
  const layer = L.layerGroup().addTo(map);
  const renderer = L.svg();
  const style = { color: '#34506b', weight: 1.5, className: 'district', interactive: false, renderer };
  const outlined = new Set();
  for (const feature of boundaries?.features ?? []) {
    const d = byCode.get(feature.properties.code);
    if (!d) continue;
    L.geoJSON(feature, { renderer, style: { ...style, fillColor: '#fff', fillOpacity: 0.6 }, interactive: false }).addTo(layer);
    outlined.add(d.code);
    label(d, layer);
  }
  // A district without a boundary (all of them without the GeoJSON; a synthetic nation's beyond Seoul) is a disc of its area.
  for (const d of districts.filter((x) => !outlined.has(x.code))) {
    L.circle([d.centroid.latitude, d.centroid.longitude], { ...style, radius: Math.sqrt(d.areaKm2 / Math.PI) * 1000, fillOpacity: 0.15 }).addTo(layer);
    label(d, layer);
  }
  document.body.dataset.districts = String(districts.length);
  districtLabels.sort((a, b) => b.area - a.area);
  map.on('zoomend resize', declutterLabels);
  // The view opens on Seoul; a nation's districts reach beyond it, so the view takes them all in.
  const centroids = L.latLngBounds(districts.map((d) => [d.centroid.latitude, d.centroid.longitude]));
  if (districts.length && !SEOUL.contains(centroids)) map.fitBounds(centroids, { animate: false });
  declutterLabels();
}

function label(d, layer) {
  const tip = L.tooltip({ permanent: true, direction: 'center', className: 'district-label' })
    .setLatLng([d.centroid.latitude, d.centroid.longitude])
    .setContent(`<span data-district="${escapeHtml(d.code)}">${escapeHtml(d.name)}<br>${escapeHtml(d.nameEnglish)}</span>`).addTo(layer);
  districtLabels.push({ tip, area: d.areaKm2 });
}

/** How much of a label a larger district's label may cover before it waits for a closer view: Seoul's opening view keeps every name. */
const LABEL_OVERLAP_ALLOWED = 0.2;

/**
 * A label that would be mostly covered by a larger district's is hidden until the view is close enough for both: at a
 * nation's widest view 241 labels would pile into an unreadable block. Hidden labels keep their place (visibility), so each
 * zoom measures all.
 */
function declutterLabels() {
  const shown = [];
  const covered = (r, s) => Math.max(0, Math.min(r.right, s.right) - Math.max(r.left, s.left)) * Math.max(0, Math.min(r.bottom, s.bottom) - Math.max(r.top, s.top));
  for (const { tip } of districtLabels) {
    const element = tip.getElement();
    if (!element) continue;
    // The text's own box: the tooltip's padding is transparent.
    const r = element.firstElementChild.getBoundingClientRect();
    const clear = shown.every((s) => covered(r, s) <= LABEL_OVERLAP_ALLOWED * Math.min(r.width * r.height, s.width * s.height));
    element.classList.toggle('crowded', !clear);
    if (clear) shown.push(r);
  }
  document.body.dataset.labelsShown = String(shown.length);
}

/** Reads every camera (and its status) again: after this page missed a district's status change. */
export const reloadCameras = () => loadCameras(api('GET', '/cameras/compact'));

/** A list read before a status change arrived would otherwise take it back (a camera under maintenance shown online). */
const cameraLists = listReads();

async function loadCameras(arriving) {
  const read = await cameraLists.read(arriving);
  if (!read) return;
  const c = read.list;
  performance.measure('map:cameras-fetched', 'map:start');
  const parsedAt = performance.now();
  const n = c.count;
  Object.assign(cams, {
    count: n, ids: c.ids, lat: Float64Array.from(c.lat), lon: Float64Array.from(c.lon),
    district: Uint8Array.from(c.district), purpose: Uint8Array.from(c.purpose), status: Uint8Array.from(c.status),
    districts: c.districtCodes, purposes: c.purposeNames, statusNames: [...c.statusNames], cls: new Uint8Array(n), index: null,
  });
  // Web Mercator at zoom 0 (Leaflet's EPSG:3857 pixels); a zoom level is then one multiplication.
  cams.worldX = new Float64Array(n); cams.worldY = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const sin = Math.sin((cams.lat[i] * Math.PI) / 180);
    cams.worldX[i] = 256 * (cams.lon[i] / 360 + 0.5);
    cams.worldY[i] = 256 * (0.5 - Math.log((1 + sin) / (1 - sin)) / (4 * Math.PI));
  }
  classify();
  for (const apply of read.meanwhile) apply();
  performance.measure('map:cameras-prepared', { start: parsedAt });
  document.body.dataset.cameras = String(n);
  renderLegend();
  await dots.redraw();
  performance.measure('map:cameras-drawn', 'map:start');
  document.body.dataset.camerasLoaded = 'true';
}

/** Camera id -> position in the columns, built on first use (hover, click and live updates need it; the first draw does not). */
function indexOf(cameraId) {
  if (!cams.index) cams.index = new Map(cams.ids.map((id, i) => [id, i]));
  return cams.index.get(cameraId);
}

/** Every camera's class: a 25 × purposes table from the access overview, then the few cameras whose status or grant overrides it. */
function classify() {
  const overview = hasAccessOverview();
  const purposes = cams.purposes.length;
  const table = new Uint8Array(cams.districts.length * purposes);
  for (let d = 0; d < cams.districts.length; d++)
    for (let p = 0; p < purposes; p++) table[d * purposes + p] = CLASS[cellClass(cams.districts[d], cams.purposes[p])];
  const statusClass = cams.statusNames.map((s) => CLASS[s] ?? CLASS.online);
  const { cls, status, district, purpose } = cams;
  for (let i = 0; i < cams.count; i++) {
    const s = statusClass[status[i]];
    cls[i] = !overview || s === CLASS.offline || s === CLASS.maintenance ? s : table[district[i] * purposes + purpose[i]];
  }
  if (!overview) return;
  for (const id of grantedCameraIds()) {
    const i = indexOf(id);
    if (i !== undefined && cls[i] !== CLASS.offline && cls[i] !== CLASS.maintenance) cls[i] = CLASS.granted;
  }
}

function classOf(i) {
  return accessClass({ id: cams.ids[i], status: cams.statusNames[cams.status[i]], district: cams.districts[cams.district[i]], purpose: cams.purposes[cams.purpose[i]] });
}

/** One canvas over the map holding every camera dot; redrawn after each pan or zoom, in chunks across animation frames. */
const CameraDots = L.Layer.extend({
  onAdd(m) {
    this._canvas = L.DomUtil.create('canvas', 'camera-dots leaflet-zoom-hide');
    this._canvas.style.pointerEvents = 'none';
    m.getPanes().overlayPane.appendChild(this._canvas);
    m.on('moveend zoomend resize', this.redraw, this);
    this._generation = 0;
  },
  onRemove(m) {
    m.off('moveend zoomend resize', this.redraw, this);
    this._canvas.remove();
  },
  /** Starts a fresh drawing (cancelling one under way); resolves once every camera is on the canvas. */
  redraw() {
    const generation = ++this._generation;
    const m = this._map, size = m.getSize(), topLeft = m.containerPointToLayerPoint([0, 0]);
    const ratio = window.devicePixelRatio || 1;
    const canvas = this._canvas;
    L.DomUtil.setPosition(canvas, topLeft);
    canvas.width = size.x * ratio; canvas.height = size.y * ratio;
    canvas.style.width = `${size.x}px`; canvas.style.height = `${size.y}px`;
    const ctx = canvas.getContext('2d');
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const scale = 2 ** m.getZoom(), origin = m.getPixelOrigin();
    const view = { ctx, scale, dx: origin.x + topLeft.x, dy: origin.y + topLeft.y, width: size.x, height: size.y };
    this._view = view;
    return new Promise((resolve) => {
      const chunk = (from) => {
        if (generation !== this._generation) { resolve(); return; }
        const to = Math.min(cams.count, from + CAMERAS_PER_FRAME);
        drawChunk(view, from, to);
        if (to < cams.count) requestAnimationFrame(() => chunk(to)); else resolve();
      };
      chunk(0);
    });
  },
  /** The camera nearest to a container point, within a few pixels, or undefined. */
  hit(point) {
    const v = this._view;
    if (!v) return undefined;
    const px = point.x, py = point.y;
    let best, bestDistance = HIT_PIXELS * HIT_PIXELS;
    for (let i = 0; i < cams.count; i++) {
      const dx = cams.worldX[i] * v.scale - v.dx - px, dy = cams.worldY[i] * v.scale - v.dy - py;
      const d = dx * dx + dy * dy;
      if (d <= bestDistance) { bestDistance = d; best = i; }
    }
    return best;
  },
});

function drawChunk({ ctx, scale, dx, dy, width, height }, from, to) {
  const paths = CLASSES.map(() => new Path2D());
  const rings = new Path2D();
  const degraded = cams.statusNames.indexOf('degraded');
  for (let i = from; i < to; i++) {
    const x = cams.worldX[i] * scale - dx, y = cams.worldY[i] * scale - dy;
    if (x < -DOT_RADIUS || y < -DOT_RADIUS || x > width + DOT_RADIUS || y > height + DOT_RADIUS) continue;
    paths[cams.cls[i]].moveTo(x + DOT_RADIUS, y);
    paths[cams.cls[i]].arc(x, y, DOT_RADIUS, 0, 2 * Math.PI);
    if (cams.status[i] === degraded && cams.cls[i] !== CLASS.degraded) { rings.moveTo(x + DOT_RADIUS, y); rings.arc(x, y, DOT_RADIUS, 0, 2 * Math.PI); }
  }
  ctx.globalAlpha = 0.8;
  CLASSES.forEach((c, k) => { ctx.fillStyle = colour[c]; ctx.fill(paths[k]); });
  ctx.globalAlpha = 1;
  ctx.strokeStyle = colour.degraded; ctx.lineWidth = 1; ctx.stroke(rings);
}

// "11020-00031 · 방범 · 중구 · 볼 수 있음": the camera, its purpose and district by name in the page's language, this operator's access.
function hoverText(i) {
  const code = cams.districts[cams.district[i]];
  const district = districtsByCode.get(code);
  const purpose = cams.purposes[cams.purpose[i]];
  return [cams.ids[i], namedText(`purpose.${purpose}`, {}, purpose), district ? districtName(district) : code, t(`access.${CLASSES[cams.cls[i]]}`)]
    .map(escapeHtml).join(' · ');
}

function wirePointer(onCameraClick) {
  hoverTip = L.tooltip({ direction: 'top', offset: [0, -DOT_RADIUS] });
  let hovered;
  map.on('mousemove', (e) => {
    const i = dots.hit(e.containerPoint);
    if (i === hovered) return;
    hovered = i;
    map.getContainer().style.cursor = i === undefined ? '' : 'pointer';
    if (i === undefined) { map.closeTooltip(hoverTip); return; }
    hoverTip.setLatLng([cams.lat[i], cams.lon[i]])
      .setContent(hoverText(i));
    map.openTooltip(hoverTip);
  });
  map.on('mouseout', () => { hovered = undefined; map.closeTooltip(hoverTip); });
  map.on('click', (e) => {
    if (pendingPick) return; // this click places an incident, it does not open a camera
    const i = dots.hit(e.containerPoint);
    if (i !== undefined) onCameraClick(cams.ids[i]);
  });
}

/** Live changes come in bursts: one redraw per frame at most. */
function scheduleRedraw() {
  if (redrawPending) return;
  redrawPending = true;
  requestAnimationFrame(() => { redrawPending = false; dots.redraw(); });
}

/** Re-colours every camera after the access overview or a camera's status changed. */
export function recolourCameras() {
  if (!cams.count) return;
  classify();
  scheduleRedraw();
  renderLegend();
}

export const setCameraStatus = (cameraId, status) => cameraLists.change(() => applyStatus(cameraId, status));

function applyStatus(cameraId, status) {
  const i = cams.count ? indexOf(cameraId) : undefined;
  if (i === undefined) return;
  if (!cams.statusNames.includes(status)) cams.statusNames.push(status);
  cams.status[i] = cams.statusNames.indexOf(status);
  cams.cls[i] = CLASS[classOf(i)] ?? CLASS.online;
  scheduleRedraw();
  renderLegend();
}

export function cameraAccess(cameraId) {
  const i = cams.count ? indexOf(cameraId) : undefined;
  return i === undefined ? null : CLASSES[cams.cls[i]];
}

/** Every camera id on the map, and where one is (for tests and for panning to it). */
export const cameraIds = () => cams.ids.slice(0, cams.count);
export function cameraLatLng(cameraId) {
  const i = cams.count ? indexOf(cameraId) : undefined;
  return i === undefined ? null : { lat: cams.lat[i], lng: cams.lon[i] };
}

function renderLegend() {
  if (!legend) return;
  const tally = new Array(CLASSES.length).fill(0);
  for (let i = 0; i < cams.count; i++) tally[cams.cls[i]]++;
  const counts = Object.fromEntries(CLASSES.map((c, k) => [c, tally[k]]));
  for (const c of CLASSES) document.body.dataset[`cameras${c.replace(/(^|-)(\w)/g, (_m, _d, ch) => ch.toUpperCase())}`] = String(counts[c]);
  document.body.dataset.access = hasAccessOverview() ? 'overview' : 'status-only';
  const shown = hasAccessOverview() ? ['allowed', 'granted', 'incident-only', 'denied', 'offline', 'maintenance'] : ['online', 'degraded', 'offline', 'maintenance'];
  legend.getContainer().innerHTML = `<strong>${escapeHtml(t(hasAccessOverview() ? 'legendAccess' : 'legendStatus'))}</strong>`
    + shown.map((c) => `<div data-legend="${c}"><i style="background:${colour[c]}"></i>${escapeHtml(t(`access.${c}`))} <span class="count">${counts[c]}</span></div>`).join('')
    + (hasAccessOverview() ? `<div><i class="ring"></i>${escapeHtml(t('access.degradedRing'))}</div>` : '');
}
