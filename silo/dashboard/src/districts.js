// The districts this node serves (GET /districts), read once per page: they are the node's configuration, fixed while it
// runs, and the map, the policy table, the review and the import screen all name them. A failed read is tried again.
import { api } from './api.js';

let served = null;

export function servedDistricts() {
  served ??= api('GET', '/districts').catch((error) => { served = null; throw error; });
  return served;
}

/** A district by name in the page's language ("중구", "Jung-gu"). */
export const districtName = (district) => (document.documentElement.lang === 'en' ? district.nameEnglish : district.name);

/** A district by name and code ("중구(11020)", "Jung-gu (11020)"): where its code matters too (a rejection, a choice). */
export const districtLabel = (district) => (document.documentElement.lang === 'en'
  ? `${district.nameEnglish} (${district.code})` : `${district.name}(${district.code})`);
