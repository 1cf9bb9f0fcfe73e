// The purpose of every view made in an incident's context: the one the server gives the incident (its grants'
// purpose, Incidents:Types:<type>:GrantPurpose), so a disaster incident is viewed for disaster-response and an SOS
// for vulnerable-protection. A payload without it (an older event) falls back to its grants, then its type.
import { auth } from './api.js';

const DEFAULT_BY_TYPE = { 'disaster-response': 'disaster-response', 'vulnerable-sos': 'vulnerable-protection' };

export function incidentPurpose(incident) {
  if (incident.purpose) return incident.purpose;
  const grants = incident.grants || [];
  const grant = grants.find((g) => g.agencyId === auth.agencyId) || grants[0];
  return grant?.purpose || DEFAULT_BY_TYPE[incident.type] || 'emergency-response';
}
