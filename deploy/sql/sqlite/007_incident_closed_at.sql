-- SafetyNet: when each incident closed (SQLite), so that the directory lists a closed incident for a while after its
-- closing, however long it was open. A table of its own because SQLite cannot add a column idempotently. closed_at_ms is
-- Unix milliseconds; an incident closed before this table existed has no row, and its opening time stands in.
-- Idempotent: safe to run any number of times. No BEGIN/COMMIT inside.

CREATE TABLE IF NOT EXISTS incident_closed_at
(
    incident_id  TEXT    NOT NULL PRIMARY KEY,
    closed_at_ms INTEGER NOT NULL
);
