// The map: 25 districts with no tiles, every camera on one canvas coloured by status and by this operator's access,
// a legend with the counts (also on <body data-cameras-*> for tests), hover for id/purpose/district.
import L from 'leaflet';
import { api } from './api.js';
import { t, onLanguageChange } from './i18n.js';
import { escapeHtml } from './dom.js';
import { accessClass, hasAccessOverview } from './accessOverview.js';

const PAGE_SIZE = 20_000;
const CLASSES = ['allowed', 'granted', 'incident-only', 'denied', 'online', 'degraded', 'offline', 'maintenance'];
const colour = {
  allowed: '#1f8a3b', granted: '#0a6cff', 'incident-only': '#e08a00', denied: '#c62828',
  online: '#1f8a3b', degraded: '#e0a000', offline: '#888', maintenance: '#8e44ad',
};
const cameras = new Map(); // id -> { props, marker }
let districtCodes = [];
let map, renderer, legend;
export let incidentLayer;
export let contextLayer;

export async function startMap(onCameraClick) {
  if (map) return;
  renderer = L.canvas({ padding: 0.2 });
  map = L.map('map', { preferCanvas: true, renderer, zoomControl: true, attributionControl: false }).setView([37.5665, 126.978], 11);
  window.safetynetMap = map;
  await drawDistricts();
  contextLayer = L.layerGroup().addTo(map);
  incidentLayer = L.layerGroup().addTo(map);
  legend = L.control({ position: 'bottomright' });
  legend.onAdd = () => L.DomUtil.create('div', 'legend');
  legend.addTo(map);
  onLanguageChange(renderLegend);
  loadCameras(L.layerGroup().addTo(map), onCameraClick);
}

export const allDistrictCodes = () => districtCodes;

export const panTo = (lat, lon) => map.panTo([lat, lon]);

async function drawDistricts() {
  const districts = await api('GET', '/districts');
  const byCode = new Map(districts.map((d) => [d.code, d]));
  districtCodes = districts.map((d) => d.code);
  const layer = L.layerGroup().addTo(map);
  const style = { color: '#34506b', weight: 1.5, className: 'district', interactive: false, renderer: L.svg() };
  const boundaries = await fetch('/dashboard/districts.geojson').then((r) => (r.ok ? r.json() : null)).catch(() => null);
  let drawn = 0;
  if (boundaries) {
    for (const feature of boundaries.features) {
      L.geoJSON(feature, { renderer: L.svg(), style: { ...style, fillColor: '#fff', fillOpacity: 0.6 }, interactive: false }).addTo(layer);
      drawn++;
      const d = byCode.get(feature.properties.code);
      if (d) label(d, layer);
    }
  } else {
    for (const d of districts) {
      L.circle([d.centroid.latitude, d.centroid.longitude], { ...style, radius: 1500, fillOpacity: 0.15 }).addTo(layer);
      label(d, layer); drawn++;
    }
  }
  document.body.dataset.districts = String(drawn);
}

function label(d, layer) {
  L.tooltip({ permanent: true, direction: 'center', className: 'district-label' })
    .setLatLng([d.centroid.latitude, d.centroid.longitude])
    .setContent(`<span data-district="${escapeHtml(d.code)}">${escapeHtml(d.name)}<br>${escapeHtml(d.nameEnglish)}</span>`).addTo(layer);
}

function style(props) {
  const cls = accessClass(props);
  return { radius: 2, weight: props.status === 'degraded' && cls !== 'degraded' ? 1 : 0, color: colour.degraded, fillOpacity: 0.8, fillColor: colour[cls] };
}

async function loadCameras(layer, onCameraClick) {
  for (let page = 1; ; page++) {
    const fc = await api('GET', `/cameras?page=${page}&pageSize=${PAGE_SIZE}`);
    for (const f of fc.features) {
      const [lon, lat] = f.geometry.coordinates;
      const p = f.properties;
      const marker = L.circleMarker([lat, lon], { renderer, ...style(p) })
        .bindTooltip(() => `${escapeHtml(p.id)} · ${escapeHtml(p.purpose)} · ${escapeHtml(p.district)} · ${escapeHtml(t(`access.${accessClass(p)}`))}`)
        .on('click', () => onCameraClick(p.id))
        .addTo(layer);
      cameras.set(p.id, { props: p, marker });
    }
    document.body.dataset.cameras = String(cameras.size);
    renderLegend();
    if (fc.features.length < PAGE_SIZE) break;
  }
  document.body.dataset.camerasLoaded = 'true';
}

/** Re-colours every camera after the access overview or a camera's status changed. */
export function recolourCameras() {
  for (const { props, marker } of cameras.values()) marker.setStyle(style(props));
  renderLegend();
}

export function setCameraStatus(cameraId, status) {
  const camera = cameras.get(cameraId);
  if (!camera) return;
  camera.props = { ...camera.props, status };
  camera.marker.setStyle(style(camera.props));
  renderLegend();
}

export const cameraAccess = (cameraId) => (cameras.has(cameraId) ? accessClass(cameras.get(cameraId).props) : null);

function renderLegend() {
  if (!legend) return;
  const counts = Object.fromEntries(CLASSES.map((c) => [c, 0]));
  for (const { props } of cameras.values()) counts[accessClass(props)]++;
  for (const c of CLASSES) document.body.dataset[`cameras${c.replace(/(^|-)(\w)/g, (_m, _d, ch) => ch.toUpperCase())}`] = String(counts[c]);
  document.body.dataset.access = hasAccessOverview() ? 'overview' : 'status-only';
  const shown = hasAccessOverview() ? ['allowed', 'granted', 'incident-only', 'denied', 'offline', 'maintenance'] : ['online', 'degraded', 'offline', 'maintenance'];
  legend.getContainer().innerHTML = `<strong>${escapeHtml(t(hasAccessOverview() ? 'legendAccess' : 'legendStatus'))}</strong>`
    + shown.map((c) => `<div data-legend="${c}"><i style="background:${colour[c]}"></i>${escapeHtml(t(`access.${c}`))} <span class="count">${counts[c]}</span></div>`).join('')
    + (hasAccessOverview() ? `<div><i class="ring"></i>${escapeHtml(t('access.degradedRing'))}</div>` : '');
}
