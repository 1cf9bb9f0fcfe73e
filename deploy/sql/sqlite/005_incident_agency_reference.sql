-- SafetyNet: external references scoped to the agency that issued them (SQLite).
--
-- A dispatch system's reference is its own numbering: the same number from two agencies is two keys, so one agency's
-- reference can never return another agency's incident. The older incident_reference table (claimed without an agency)
-- is left as it was and takes no new claims: its claims on incidents still current are honoured only for the agency that
-- opened the incident (IncidentDirectoryGrain), so nothing is lost and nothing leaks. Idempotent. No BEGIN/COMMIT inside.

CREATE TABLE IF NOT EXISTS incident_agency_reference
(
    agency_id          TEXT NOT NULL,
    external_reference TEXT NOT NULL,
    incident_id        TEXT NOT NULL,
    PRIMARY KEY (agency_id, external_reference)
);
