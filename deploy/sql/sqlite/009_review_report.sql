-- SafetyNet: monthly review reports (SQLite). One row per district and month: the report's canonical JSON as signed,
-- its SHA-256 and its signature ("keyId:base64"). The first report stored for a month stays (INSERT ... ON CONFLICT
-- DO NOTHING), so the automatic run and an on-demand request never replace each other's signed copy.
-- Idempotent: safe to run any number of times. No BEGIN/COMMIT inside.

CREATE TABLE IF NOT EXISTS review_report (
    district_code  TEXT    NOT NULL,
    month          TEXT    NOT NULL,
    produced_at_ms INTEGER NOT NULL,
    trigger_kind   TEXT    NOT NULL,
    document       TEXT    NOT NULL,
    sha256         TEXT    NOT NULL,
    signature      TEXT    NOT NULL,
    PRIMARY KEY (district_code, month)
);
