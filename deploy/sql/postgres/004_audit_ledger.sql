-- SafetyNet: append-only, hash-chained audit ledger (PostgreSQL).
--
-- The writer assigns seq (last_seq + 1, no identity/sequence), computes hash over the entry
-- and prev_hash, inserts the row and advances audit_chain_head in the same transaction.
-- UPDATE, DELETE and TRUNCATE on audit_ledger are rejected by triggers (INSERT ... ON CONFLICT
-- DO UPDATE fires the UPDATE trigger too). The table owner can still disable triggers, so the
-- application role should not own it.
-- Idempotent: safe to run any number of times. No BEGIN/COMMIT inside.

CREATE TABLE IF NOT EXISTS audit_ledger
(
    seq         bigint      NOT NULL PRIMARY KEY CHECK (seq > 0),  -- monotonic, writer-assigned
    occurred_at timestamptz NOT NULL,
    kind        text        NOT NULL,   -- access-decision, policy-change, import, session-start, session-end,
                                        -- grant, revocation, view, snapshot, export, ...
    outcome     text        NULL,       -- allow / deny
    reason      text        NULL,
    camera_id   text        NULL,
    agency_id   text        NULL,
    session_id  text        NULL,
    incident_id text        NULL,
    actor       text        NULL,
    details     text        NULL,  -- JSON text, kept verbatim: jsonb would reorder keys and break the hash chain
    prev_hash   text        NOT NULL,   -- hash of entry seq - 1 (64 zeros for seq 1)
    hash        text        NOT NULL
);

CREATE INDEX IF NOT EXISTS ix_audit_ledger_camera   ON audit_ledger (camera_id, seq);
CREATE INDEX IF NOT EXISTS ix_audit_ledger_agency   ON audit_ledger (agency_id, seq);
CREATE INDEX IF NOT EXISTS ix_audit_ledger_session  ON audit_ledger (session_id, seq);
CREATE INDEX IF NOT EXISTS ix_audit_ledger_incident ON audit_ledger (incident_id, seq);
CREATE INDEX IF NOT EXISTS ix_audit_ledger_occurred ON audit_ledger (occurred_at);

CREATE OR REPLACE FUNCTION audit_ledger_reject_change()
RETURNS trigger
LANGUAGE plpgsql
AS $body$
BEGIN
    RAISE EXCEPTION 'audit_ledger is append-only (% rejected)', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$body$;

-- Created only when missing (works on PostgreSQL versions without CREATE OR REPLACE TRIGGER).
DO $body$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_trigger
                   WHERE tgrelid = 'audit_ledger'::regclass
                     AND tgname = 'trg_audit_ledger_no_update_delete') THEN
        CREATE TRIGGER trg_audit_ledger_no_update_delete
            BEFORE UPDATE OR DELETE ON audit_ledger
            FOR EACH ROW EXECUTE FUNCTION audit_ledger_reject_change();
    END IF;

    IF NOT EXISTS (SELECT 1 FROM pg_trigger
                   WHERE tgrelid = 'audit_ledger'::regclass
                     AND tgname = 'trg_audit_ledger_no_truncate') THEN
        CREATE TRIGGER trg_audit_ledger_no_truncate
            BEFORE TRUNCATE ON audit_ledger
            FOR EACH STATEMENT EXECUTE FUNCTION audit_ledger_reject_change();
    END IF;
END
$body$;

-- Exactly one row (id = 1): the tip of the chain, updated by the writer with each append.
CREATE TABLE IF NOT EXISTS audit_chain_head
(
    id        integer NOT NULL PRIMARY KEY CHECK (id = 1),
    last_seq  bigint  NOT NULL,
    last_hash text    NOT NULL
);

-- Seed once; a re-run must never reset an existing head.
INSERT INTO audit_chain_head (id, last_seq, last_hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000')
ON CONFLICT (id) DO NOTHING;
