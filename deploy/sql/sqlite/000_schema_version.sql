-- SafetyNet schema bookkeeping (SQLite).
-- Creates the table only; the C# migrator records one row per applied script.
-- Idempotent: safe to run any number of times.

CREATE TABLE IF NOT EXISTS schema_version
(
    script     TEXT NOT NULL PRIMARY KEY,              -- file name, e.g. '001_orleans_persistence.sql'
    applied_at TEXT NOT NULL                           -- ISO-8601 UTC, e.g. '2026-01-31T12:00:00.000Z'
               DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    checksum   TEXT NULL                               -- e.g. SHA-256 hex of the script text
);
