-- SafetyNet: the audit ledger in shards (SQLite).
--
-- Every writer (node) appends to its own shard: a hash chain of its own, numbered by shard_seq from 1, whose first row
-- links to a genesis hash derived from the shard's name, with its own head row in audit_shard_head. The rows written
-- before this script are the shard 'legacy' (shard_seq NULL means shard_seq = seq; their hashes are unchanged) and
-- audit_chain_head's tip becomes legacy's head. seq stays a unique row id for paging, assigned by the node's one writer;
-- it is no longer part of any chain.
-- SQLite cannot add a column idempotently; this script is applied once and recorded in schema_version in the same
-- transaction, so a re-run of the migrator skips it. No BEGIN/COMMIT inside.

ALTER TABLE audit_ledger ADD COLUMN shard     TEXT    NOT NULL DEFAULT 'legacy';
ALTER TABLE audit_ledger ADD COLUMN shard_seq INTEGER NULL;

-- A checkpoint of format 2 vouches for its own shard's head (shard, seq, entry_hash) and links the latest signed heads
-- of other shards (links: one "shard seq hash" a line). Checkpoints of format 1 have neither: they vouch for 'legacy'.
ALTER TABLE audit_checkpoint ADD COLUMN shard TEXT NULL;
ALTER TABLE audit_checkpoint ADD COLUMN links TEXT NULL;

CREATE UNIQUE INDEX IF NOT EXISTS ux_audit_ledger_shard ON audit_ledger (shard, COALESCE(shard_seq, seq));

CREATE TABLE IF NOT EXISTS audit_shard_head
(
    shard     TEXT    NOT NULL PRIMARY KEY,
    last_seq  INTEGER NOT NULL,   -- the shard's last shard_seq
    last_hash TEXT    NOT NULL
);

INSERT INTO audit_shard_head (shard, last_seq, last_hash)
SELECT 'legacy', last_seq, last_hash FROM audit_chain_head WHERE id = 1
ON CONFLICT (shard) DO NOTHING;

-- An archive range stays within the rows written so far (the legacy head no longer moves).
DROP TRIGGER IF EXISTS trg_audit_archive_follows;

CREATE TRIGGER IF NOT EXISTS trg_audit_archive_follows
BEFORE INSERT ON audit_archive
WHEN NEW.first_seq <> (SELECT COALESCE(MAX(last_seq), 0) + 1 FROM audit_archive)
  OR NEW.last_seq > (SELECT COALESCE(MAX(seq), 0) FROM audit_ledger)
BEGIN
    SELECT RAISE(ABORT, 'audit_archive ranges must follow the last one and stay within the ledger');
END;

-- The misuse rules' cursor, one per shard (misuse_cursor's one global seq would skip rows committed out of order).
CREATE TABLE IF NOT EXISTS misuse_shard_cursor
(
    shard     TEXT    NOT NULL PRIMARY KEY,
    last_seq  INTEGER NOT NULL   -- the shard's last shard_seq judged
);

INSERT INTO misuse_shard_cursor (shard, last_seq)
SELECT 'legacy', last_seq FROM misuse_cursor WHERE id = 1
ON CONFLICT (shard) DO NOTHING;
