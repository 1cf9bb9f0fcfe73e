-- SafetyNet: the incident directory (SQLite), one row per incident and one per external reference.
--
-- The directory used to be one grain-state row holding every incident, rewritten whole on every change; a row per
-- incident keeps each write the size of one summary. summary is the IncidentSummary as JSON; opened_at_ms is Unix
-- milliseconds, for loading what is current. Idempotent: safe to run any number of times. No BEGIN/COMMIT inside.

CREATE TABLE IF NOT EXISTS incident_directory
(
    incident_id  TEXT    NOT NULL PRIMARY KEY,
    status       TEXT    NOT NULL,   -- open, closing, closed
    opened_at_ms INTEGER NOT NULL,
    summary      TEXT    NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_incident_directory_current ON incident_directory (status, opened_at_ms);

-- A dispatch system's own reference for an incident, claimed once: repeating a POST with it returns the same incident.
CREATE TABLE IF NOT EXISTS incident_reference
(
    external_reference TEXT NOT NULL PRIMARY KEY,
    incident_id        TEXT NOT NULL
);
