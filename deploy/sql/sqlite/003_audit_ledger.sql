-- SafetyNet: append-only, hash-chained audit ledger (SQLite).
--
-- The writer assigns seq (last_seq + 1, no AUTOINCREMENT), computes hash over the entry and
-- prev_hash, inserts the row and advances audit_chain_head in the same transaction.
-- Rows can never be updated or deleted (triggers below); INSERT OR REPLACE onto an existing
-- seq is refused too (REPLACE would otherwise delete silently, without firing delete triggers).
-- Idempotent: safe to run any number of times. No BEGIN/COMMIT inside.

CREATE TABLE IF NOT EXISTS audit_ledger
(
    seq         INTEGER NOT NULL PRIMARY KEY CHECK (seq > 0),  -- monotonic, writer-assigned
    occurred_at TEXT    NOT NULL,   -- ISO-8601 UTC, e.g. '2026-01-31T12:00:00.000Z'
    kind        TEXT    NOT NULL,   -- access-decision, policy-change, import, session-start, session-end,
                                    -- grant, revocation, view, snapshot, export, ...
    outcome     TEXT    NULL,       -- allow / deny
    reason      TEXT    NULL,
    camera_id   TEXT    NULL,
    agency_id   TEXT    NULL,
    session_id  TEXT    NULL,
    incident_id TEXT    NULL,
    actor       TEXT    NULL,
    details     TEXT    NULL,       -- JSON text
    prev_hash   TEXT    NOT NULL,   -- hash of entry seq - 1 (64 zeros for seq 1)
    hash        TEXT    NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_audit_ledger_camera   ON audit_ledger (camera_id, seq);
CREATE INDEX IF NOT EXISTS ix_audit_ledger_agency   ON audit_ledger (agency_id, seq);
CREATE INDEX IF NOT EXISTS ix_audit_ledger_session  ON audit_ledger (session_id, seq);
CREATE INDEX IF NOT EXISTS ix_audit_ledger_incident ON audit_ledger (incident_id, seq);
CREATE INDEX IF NOT EXISTS ix_audit_ledger_occurred ON audit_ledger (occurred_at);

CREATE TRIGGER IF NOT EXISTS trg_audit_ledger_no_update
BEFORE UPDATE ON audit_ledger
BEGIN
    SELECT RAISE(ABORT, 'audit_ledger is append-only');
END;

CREATE TRIGGER IF NOT EXISTS trg_audit_ledger_no_delete
BEFORE DELETE ON audit_ledger
BEGIN
    SELECT RAISE(ABORT, 'audit_ledger is append-only');
END;

CREATE TRIGGER IF NOT EXISTS trg_audit_ledger_no_replace
BEFORE INSERT ON audit_ledger
WHEN EXISTS (SELECT 1 FROM audit_ledger WHERE seq = NEW.seq)
BEGIN
    SELECT RAISE(ABORT, 'audit_ledger is append-only');
END;

-- Exactly one row (id = 1): the tip of the chain, updated by the writer with each append.
CREATE TABLE IF NOT EXISTS audit_chain_head
(
    id        INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    last_seq  INTEGER NOT NULL,
    last_hash TEXT    NOT NULL
);

-- Seed once; a re-run must never reset an existing head.
INSERT INTO audit_chain_head (id, last_seq, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000')
ON CONFLICT (id) DO NOTHING;
