-- SafetyNet schema bookkeeping (PostgreSQL).
-- Creates the table only; the C# migrator records one row per applied script.
-- Idempotent: safe to run any number of times.

CREATE TABLE IF NOT EXISTS schema_version
(
    script     text        NOT NULL PRIMARY KEY,   -- file name, e.g. '001_orleans_clustering.sql'
    applied_at timestamptz NOT NULL DEFAULT now(),
    checksum   text        NULL                    -- e.g. SHA-256 hex of the script text
);
