// The districts this node serves (GET /districts), read once per page: they are the node's configuration, fixed while it
// runs, and the map, the policy table, the review and the import screen all name them. A failed read is tried again.
import { api } from './api.js';

let served = null;

export function servedDistricts() {
  served ??= api('GET', '/districts').catch((error) => { served = null; throw error; });
  return served;
}
