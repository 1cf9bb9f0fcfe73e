// The camera wall of the selected incident: live tiles for its first four cameras, viewed for the incident's purpose.
// When the incident moves or widens, the wall follows its new first four; when its access ends, every tile stops.
import { startPlayer, stopPlayer } from './player.js';
import { incidentPurpose } from './purpose.js';

const TILES = 4;
let wall = []; // players, in tile order

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
    wall.push(startPlayer(tile, cameraId, { purpose: incidentPurpose(incident), incidentId: incident.id }));
  }
}

export function stopWall(reason) {
  for (const p of wall) stopPlayer(p, reason);
  wall = [];
}
