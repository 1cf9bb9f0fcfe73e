-- SafetyNet: the audit ledger's archive horizon (SQLite).
--
-- Rows older than the retention period are written to signed, compressed monthly files (Retention:ArchiveDirectory)
-- and then removed from audit_ledger. Each archive run inserts one row here per file, in the same transaction as the
-- delete. audit_archive is append-only and its ranges follow each other without gaps, so the horizon (the highest
-- last_seq) only moves forward; audit_ledger's delete trigger now lets through only rows at or below it.
-- Moving the horizon is still possible for a database writer; verify then finds rows that neither a signed archive nor
-- the live table holds (docs/security.md).
-- Idempotent: safe to run any number of times. No BEGIN/COMMIT inside.

CREATE TABLE IF NOT EXISTS audit_archive
(
    first_seq   INTEGER NOT NULL PRIMARY KEY CHECK (first_seq > 0),
    last_seq    INTEGER NOT NULL,
    month       TEXT    NOT NULL,   -- YYYY-MM
    file        TEXT    NOT NULL,   -- file name in the archive directory
    last_hash   TEXT    NOT NULL,   -- audit_ledger.hash of last_seq: where the live chain continues
    sha256      TEXT    NOT NULL,   -- of the compressed file
    archived_at TEXT    NOT NULL,
    CHECK (last_seq >= first_seq)
);

CREATE TRIGGER IF NOT EXISTS trg_audit_archive_follows
BEFORE INSERT ON audit_archive
WHEN NEW.first_seq <> (SELECT COALESCE(MAX(last_seq), 0) + 1 FROM audit_archive)
  OR NEW.last_seq > (SELECT last_seq FROM audit_chain_head WHERE id = 1)
BEGIN
    SELECT RAISE(ABORT, 'audit_archive ranges must follow the last one and stay within the ledger');
END;

CREATE TRIGGER IF NOT EXISTS trg_audit_archive_no_update
BEFORE UPDATE ON audit_archive
BEGIN
    SELECT RAISE(ABORT, 'audit_archive is append-only');
END;

CREATE TRIGGER IF NOT EXISTS trg_audit_archive_no_delete
BEFORE DELETE ON audit_archive
BEGIN
    SELECT RAISE(ABORT, 'audit_archive is append-only');
END;

DROP TRIGGER IF EXISTS trg_audit_ledger_no_delete;

CREATE TRIGGER IF NOT EXISTS trg_audit_ledger_delete_archived_only
BEFORE DELETE ON audit_ledger
WHEN OLD.seq > (SELECT COALESCE(MAX(last_seq), 0) FROM audit_archive)
BEGIN
    SELECT RAISE(ABORT, 'audit_ledger is append-only: only archived rows may be removed');
END;
