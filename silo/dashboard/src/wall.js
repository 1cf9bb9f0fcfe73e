// The camera wall of the selected incident: live tiles for its first four cameras, viewed for the incident's purpose.
// When the incident moves or widens, the wall follows its new first four; when its access ends, every tile stops.
import { startPlayer, stopPlayer } from './player.js';
import { incidentPurpose } from './purpose.js';
import { reasonText } from './i18n.js';

const TILES = 4;
// A closed incident's grants end with its grace, so its tiles' leases end then too: that end is the incident closing.
// (A renewal that reaches the server just after the grace is refused as the grant's end, not as needing an incident.)
const ENDS_OF_A_CLOSED_INCIDENT = ['grant-ended', 'lease-expired', 'lease-ended'];
const CLOCK_MARGIN_MS = 1_000;
let wall = []; // players, in tile order
let graceEnds = null; // epoch ms, once the incident is closing

const explainEnd = (code) => (graceEnds !== null && Date.now() >= graceEnds - CLOCK_MARGIN_MS && ENDS_OF_A_CLOSED_INCIDENT.includes(code)
  ? reasonText('incident-closed') : null);

/** The incident closed: its access, and the wall, end at <graceUntil>. */
export function wallClosing(graceUntil) {
  graceEnds = new Date(graceUntil).getTime();
}

export const startWall = (container, incident) => updateWall(container, incident);

/** Keeps the tiles of cameras still among the first four; tiles of cameras that left stop and say so; new ones start. */
export function updateWall(container, incident, leftReason) {
  const wanted = (incident.cameras || []).slice(0, TILES).map((c) => c.cameraId);
  for (const p of wall.filter((p) => !wanted.includes(p.cameraId))) {
    stopPlayer(p, leftReason);
    p.container.remove();
  }
  wall = wall.filter((p) => wanted.includes(p.cameraId));
  for (const cameraId of wanted.filter((id) => !wall.some((p) => p.cameraId === id))) {
    const tile = document.createElement('div');
    tile.className = 'tile';
    container.appendChild(tile);
    wall.push(startPlayer(tile, cameraId, { purpose: incidentPurpose(incident), incidentId: incident.id, explainEnd }));
  }
}

export function stopWall(reason) {
  for (const p of wall) stopPlayer(p, reason);
  wall = [];
  graceEnds = null;
}
