// What surrounds the selected incident, on the map and in words: hydrants, hazardous materials (substance, UN number,
// quantity), parking (capacity, height limit), shelters; and, for an SOS incident its responders may follow, the person's trail.
import L from 'leaflet';
import { t, fmtDate } from './i18n.js';
import { escapeHtml } from './dom.js';
import { contextLayer } from './map.js';

// SVG rather than the cameras' canvas: a few dozen shapes, drawn above the cameras, each its own element.
const svg = L.svg();
const colour = { hydrants: '#1565c0', hazmat: '#d84315', parking: '#546e7a', shelters: '#2e7d32' };

/** One line of a feature's details in the interface language. */
export function contextDetails(f) {
  const p = f.properties || {};
  switch (f.layer) {
    case 'hydrants':
      return [p.type && t(`hydrant.${p.type}`), p.diameterMm && `Ø ${p.diameterMm} mm`].filter(Boolean).join(' · ');
    case 'hazmat':
      return [p.substance, p.unNumber, p.quantity && `${p.quantity} ${p.quantityUnit || ''}`.trim(), p.hazardClass].filter(Boolean).join(' · ');
    case 'parking':
      return [p.capacity && t('capacity', p.capacity), p.heightLimitMeters ? t('heightLimit', p.heightLimitMeters) : t('noHeightLimit')].filter(Boolean).join(' · ');
    default:
      return p.capacity ? t('capacity', p.capacity) : '';
  }
}

/** The selected incident's context and trail on the map; null clears them. */
export function drawIncidentContext(v) {
  if (!contextLayer) return;
  contextLayer.clearLayers();
  if (!v || v.status === 'closed') return;
  for (const f of v.context || []) {
    L.circleMarker([f.position.latitude, f.position.longitude],
      { renderer: svg, radius: 5, weight: 1, color: '#fff', fillColor: colour[f.layer] || '#333', fillOpacity: 0.95, className: `context-${f.layer}` })
      .bindTooltip(`${escapeHtml(t(`layer.${f.layer}`))}: ${escapeHtml(f.name)}<br>${escapeHtml(contextDetails(f))}`)
      .addTo(contextLayer);
  }
  const trail = v.trail || [];
  if (trail.length > 1) {
    L.polyline(trail.map((p) => [p.position.latitude, p.position.longitude]), { renderer: svg, color: '#6a1b9a', weight: 3, dashArray: '6 4', className: 'sos-trail' }).addTo(contextLayer);
    for (const p of trail) {
      L.circleMarker([p.position.latitude, p.position.longitude], { renderer: svg, radius: 3, weight: 0, fillColor: '#6a1b9a', fillOpacity: 1 })
        .bindTooltip(`${escapeHtml(fmtDate(p.at))}${p.accuracyMeters != null ? ` · ±${Math.round(p.accuracyMeters)} m` : ''}`)
        .addTo(contextLayer);
    }
  }
  document.body.dataset.contextFeatures = String((v.context || []).length);
  document.body.dataset.trailPoints = String(trail.length);
}
