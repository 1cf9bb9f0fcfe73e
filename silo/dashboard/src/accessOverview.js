// What this operator's agency may view, from GET /cameras/access-overview (operators and supervisors only):
// one class per camera for the map, and the incident grant a camera panel should view under.
import { api } from './api.js';
import { listReads } from './listReads.js';

let cells = null; // "district|purpose" -> { access, reason }
let grants = new Map(); // camera id -> { incidentId, purpose, expiresAt }
// Reads overlap when a busy node answers slower than grants come: an answer older than one already applied would take
// back the grant the newer one showed (and the camera panel would view without it).
const overviews = listReads();

export const hasAccessOverview = () => cells !== null;

export async function loadAccessOverview() {
  try {
    const read = await overviews.read(api('GET', '/cameras/access-overview'));
    if (!read) return;
    const overview = read.list;
    cells = new Map(overview.districts.map((c) => [`${c.districtCode}|${c.purpose}`, c]));
    grants = new Map(overview.grantedCameras.map((g) => [g.cameraId, g]));
  } finally {
    document.body.dataset.accessReads = String(Number(document.body.dataset.accessReads ?? 0) + 1);
  }
}

export const grantFor = (cameraId) => grants.get(cameraId);

/** The cameras our incidents grant right now. */
export const grantedCameraIds = () => grants.keys();

/** Standing access to a district's cameras of one purpose: allowed, incident-only (only an incident could) or denied (never shared with us). */
export function cellClass(district, purpose) {
  const cell = cells && cells.get(`${district}|${purpose}`);
  return (cell && { allowed: 'allowed', 'during-incident': 'incident-only' }[cell.access]) || 'denied';
}

/**
 * offline | maintenance (status first: no rule opens those), else granted (an incident of ours grants it now),
 * allowed, incident-only or denied (see cellClass); or the bare status when there is no overview (roles that never view video).
 */
export function accessClass(camera) {
  if (camera.status === 'offline' || camera.status === 'maintenance') return camera.status;
  if (!cells) return camera.status;
  if (grants.has(camera.id)) return 'granted';
  return cellClass(camera.district, camera.purpose);
}
