-- SafetyNet: monthly review reports (PostgreSQL). One row per district and month: the report's canonical JSON as
-- signed, its SHA-256 and its signature ("keyId:base64"). The first report stored for a month stays (INSERT ... ON
-- CONFLICT DO NOTHING), so the automatic run and an on-demand request never replace each other's signed copy.
-- Idempotent: safe to run any number of times. No BEGIN/COMMIT inside.

CREATE TABLE IF NOT EXISTS review_report (
    district_code  text   NOT NULL,
    month          text   NOT NULL,
    produced_at_ms bigint NOT NULL,
    trigger_kind   text   NOT NULL,
    document       text   NOT NULL,
    sha256         text   NOT NULL,
    signature      text   NOT NULL,
    PRIMARY KEY (district_code, month)
);
