-- SafetyNet: when each incident closed (PostgreSQL), so that the directory lists a closed incident for a while after its
-- closing, however long it was open. A table of its own, as on SQLite (which cannot add a column idempotently), so both
-- providers share the directory's queries. closed_at_ms is Unix milliseconds; an incident closed before this table
-- existed has no row, and its opening time stands in. Idempotent: safe to run any number of times. No BEGIN/COMMIT inside.

CREATE TABLE IF NOT EXISTS incident_closed_at
(
    incident_id  text   NOT NULL PRIMARY KEY,
    closed_at_ms bigint NOT NULL
);
