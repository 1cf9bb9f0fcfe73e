-- SafetyNet: the audit ledger's archive horizon (PostgreSQL).
--
-- Rows older than the retention period are written to signed, compressed monthly files (Retention:ArchiveDirectory)
-- and then removed from audit_ledger. Each archive run inserts one row here per file, in the same transaction as the
-- delete. audit_archive is append-only and its ranges follow each other without gaps, so the horizon (the highest
-- last_seq) only moves forward; audit_ledger's delete trigger now lets through only rows at or below it. UPDATE and
-- TRUNCATE of audit_ledger stay rejected. Moving the horizon is still possible for a database writer; verify then finds
-- rows that neither a signed archive nor the live table holds (docs/security.md).
-- Idempotent: safe to run any number of times. No BEGIN/COMMIT inside.

CREATE TABLE IF NOT EXISTS audit_archive
(
    first_seq   bigint NOT NULL PRIMARY KEY CHECK (first_seq > 0),
    last_seq    bigint NOT NULL,
    month       text   NOT NULL,   -- YYYY-MM
    file        text   NOT NULL,   -- file name in the archive directory
    last_hash   text   NOT NULL,   -- audit_ledger.hash of last_seq: where the live chain continues
    sha256      text   NOT NULL,   -- of the compressed file
    archived_at text   NOT NULL,
    CHECK (last_seq >= first_seq)
);

CREATE OR REPLACE FUNCTION audit_archive_check_follows()
RETURNS trigger
LANGUAGE plpgsql
AS $body$
BEGIN
    IF NEW.first_seq <> (SELECT COALESCE(MAX(last_seq), 0) + 1 FROM audit_archive)
       OR NEW.last_seq > (SELECT last_seq FROM audit_chain_head WHERE id = 1) THEN
        RAISE EXCEPTION 'audit_archive ranges must follow the last one and stay within the ledger'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$body$;

CREATE OR REPLACE FUNCTION audit_ledger_delete_archived_only()
RETURNS trigger
LANGUAGE plpgsql
AS $body$
BEGIN
    IF OLD.seq > (SELECT COALESCE(MAX(last_seq), 0) FROM audit_archive) THEN
        RAISE EXCEPTION 'audit_ledger is append-only: only archived rows may be removed'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN OLD;
END
$body$;

DO $body$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'audit_archive'::regclass AND tgname = 'trg_audit_archive_follows') THEN
        CREATE TRIGGER trg_audit_archive_follows
            BEFORE INSERT ON audit_archive
            FOR EACH ROW EXECUTE FUNCTION audit_archive_check_follows();
    END IF;

    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'audit_archive'::regclass AND tgname = 'trg_audit_archive_no_update_delete') THEN
        CREATE TRIGGER trg_audit_archive_no_update_delete
            BEFORE UPDATE OR DELETE ON audit_archive
            FOR EACH ROW EXECUTE FUNCTION audit_ledger_reject_change();
    END IF;

    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'audit_archive'::regclass AND tgname = 'trg_audit_archive_no_truncate') THEN
        CREATE TRIGGER trg_audit_archive_no_truncate
            BEFORE TRUNCATE ON audit_archive
            FOR EACH STATEMENT EXECUTE FUNCTION audit_ledger_reject_change();
    END IF;

    -- audit_ledger: UPDATE stays rejected; DELETE only at or below the horizon.
    IF EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'audit_ledger'::regclass AND tgname = 'trg_audit_ledger_no_update_delete') THEN
        DROP TRIGGER trg_audit_ledger_no_update_delete ON audit_ledger;
    END IF;

    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'audit_ledger'::regclass AND tgname = 'trg_audit_ledger_no_update') THEN
        CREATE TRIGGER trg_audit_ledger_no_update
            BEFORE UPDATE ON audit_ledger
            FOR EACH ROW EXECUTE FUNCTION audit_ledger_reject_change();
    END IF;

    IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = 'audit_ledger'::regclass AND tgname = 'trg_audit_ledger_delete_archived_only') THEN
        CREATE TRIGGER trg_audit_ledger_delete_archived_only
            BEFORE DELETE ON audit_ledger
            FOR EACH ROW EXECUTE FUNCTION audit_ledger_delete_archived_only();
    END IF;
END
$body$;
