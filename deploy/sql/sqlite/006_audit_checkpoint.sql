-- SafetyNet: the database copy of the audit ledger's signed checkpoints (SQLite).
--
-- Each node's checkpointer signs (seq, hash of that row, hash of its previous checkpoint, time) with an ECDSA
-- P-256 key kept in a file, never in the database, and writes the checkpoint to its witness file before it is
-- inserted here. Verify believes the witness when this copy disagrees. Append-only like the ledger.
-- Idempotent: safe to run any number of times. No BEGIN/COMMIT inside.

CREATE TABLE IF NOT EXISTS audit_checkpoint
(
    chain         TEXT    NOT NULL,   -- one node's checkpoint chain (random id, kept in its witness)
    number        INTEGER NOT NULL CHECK (number > 0),  -- 1, 2, 3, ... within the chain
    key_id        TEXT    NOT NULL,   -- first 16 hex digits of SHA-256(SubjectPublicKeyInfo) of the signing key
    seq           INTEGER NOT NULL,   -- the ledger row vouched for
    entry_hash    TEXT    NOT NULL,   -- audit_ledger.hash of that row when signed
    previous_hash TEXT    NOT NULL,   -- SHA-256 of the previous checkpoint's signed payload (64 zeros for number 1)
    signed_at     TEXT    NOT NULL,   -- ISO-8601 UTC, microseconds
    signature     TEXT    NOT NULL,   -- base64 DER ECDSA signature over the payload
    PRIMARY KEY (chain, number)
);

CREATE INDEX IF NOT EXISTS ix_audit_checkpoint_seq ON audit_checkpoint (seq);

CREATE TRIGGER IF NOT EXISTS trg_audit_checkpoint_no_update
BEFORE UPDATE ON audit_checkpoint
BEGIN
    SELECT RAISE(ABORT, 'audit_checkpoint is append-only');
END;

CREATE TRIGGER IF NOT EXISTS trg_audit_checkpoint_no_delete
BEFORE DELETE ON audit_checkpoint
BEGIN
    SELECT RAISE(ABORT, 'audit_checkpoint is append-only');
END;
