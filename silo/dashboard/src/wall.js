// The camera wall of the selected incident: live tiles for its first four cameras.
import { startPlayer, stopPlayer } from './player.js';

const TILES = 4;
let wall = [];

export function startWall(container, incident) {
  for (const c of (incident.cameras || []).slice(0, TILES)) {
    const tile = document.createElement('div');
    tile.className = 'tile';
    container.appendChild(tile);
    wall.push(startPlayer(tile, c.cameraId, { purpose: 'emergency-response', incidentId: incident.id }));
  }
}

export function stopWall(reason) {
  for (const p of wall) stopPlayer(p, reason);
  wall = [];
}
