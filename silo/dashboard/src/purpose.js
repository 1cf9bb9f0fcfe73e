// The purpose of every view made in an incident's context: the one the incident's grant carries (the server's
// Incidents:Types:<type>:GrantPurpose), so a disaster incident is viewed for disaster-response and an SOS for
// vulnerable-protection. Only an incident with no grant yet (awaiting review) falls back to its type's default.
import { auth } from './api.js';

const DEFAULT_BY_TYPE = { 'disaster-response': 'disaster-response', 'vulnerable-sos': 'vulnerable-protection' };

export function incidentPurpose(incident) {
  const grants = incident.grants || [];
  const grant = grants.find((g) => g.agencyId === auth.agencyId) || grants[0];
  return grant?.purpose || DEFAULT_BY_TYPE[incident.type] || 'emergency-response';
}
