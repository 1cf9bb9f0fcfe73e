-- SafetyNet: the database copy of the audit ledger's signed checkpoints (PostgreSQL).
--
-- Each node's checkpointer signs (seq, hash of that row, hash of its previous checkpoint, time) with an ECDSA
-- P-256 key kept in a file, never in the database, and writes the checkpoint to its witness file before it is
-- inserted here. Verify believes the witness when this copy disagrees. Append-only like the ledger (the
-- function audit_ledger_reject_change comes from 004_audit_ledger.sql).
-- Idempotent: safe to run any number of times. No BEGIN/COMMIT inside.

CREATE TABLE IF NOT EXISTS audit_checkpoint
(
    chain         text        NOT NULL,   -- one node's checkpoint chain (random id, kept in its witness)
    number        bigint      NOT NULL CHECK (number > 0),  -- 1, 2, 3, ... within the chain
    key_id        text        NOT NULL,   -- first 16 hex digits of SHA-256(SubjectPublicKeyInfo) of the signing key
    seq           bigint      NOT NULL,   -- the ledger row vouched for
    entry_hash    text        NOT NULL,   -- audit_ledger.hash of that row when signed
    previous_hash text        NOT NULL,   -- SHA-256 of the previous checkpoint's signed payload (64 zeros for number 1)
    signed_at     text        NOT NULL,   -- ISO-8601 UTC, microseconds (text: it is part of the signed payload)
    signature     text        NOT NULL,   -- base64 DER ECDSA signature over the payload
    PRIMARY KEY (chain, number)
);

CREATE INDEX IF NOT EXISTS ix_audit_checkpoint_seq ON audit_checkpoint (seq);

DO $body$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_trigger
                   WHERE tgrelid = 'audit_checkpoint'::regclass
                     AND tgname = 'trg_audit_checkpoint_no_update_delete') THEN
        CREATE TRIGGER trg_audit_checkpoint_no_update_delete
            BEFORE UPDATE OR DELETE ON audit_checkpoint
            FOR EACH ROW EXECUTE FUNCTION audit_ledger_reject_change();
    END IF;

    IF NOT EXISTS (SELECT 1 FROM pg_trigger
                   WHERE tgrelid = 'audit_checkpoint'::regclass
                     AND tgname = 'trg_audit_checkpoint_no_truncate') THEN
        CREATE TRIGGER trg_audit_checkpoint_no_truncate
            BEFORE TRUNCATE ON audit_checkpoint
            FOR EACH STATEMENT EXECUTE FUNCTION audit_ledger_reject_change();
    END IF;
END
$body$;
