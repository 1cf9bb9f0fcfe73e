-- SafetyNet: the audit ledger in shards (PostgreSQL).
--
-- Every writer (node) appends to its own shard: a hash chain of its own, numbered by shard_seq from 1, whose first row
-- links to a genesis hash derived from the shard's name, with its own head row in audit_shard_head, so no two nodes
-- ever wait for the same row. The rows written before this script are the shard 'legacy' (shard_seq NULL means
-- shard_seq = seq; their hashes are unchanged) and audit_chain_head's tip becomes legacy's head. seq stays a unique row
-- id for paging, drawn from audit_ledger_seq; it is no longer part of any chain and may commit out of order, so readers
-- that follow the ledger keep a cursor per shard.
-- Idempotent: safe to run any number of times. No BEGIN/COMMIT inside.

ALTER TABLE audit_ledger ADD COLUMN IF NOT EXISTS shard     text   NOT NULL DEFAULT 'legacy';
ALTER TABLE audit_ledger ADD COLUMN IF NOT EXISTS shard_seq bigint NULL;

-- A checkpoint of format 2 vouches for its own shard's head (shard, seq, entry_hash) and links the latest signed heads
-- of other shards (links: one "shard seq hash" a line). Checkpoints of format 1 have neither: they vouch for 'legacy'.
ALTER TABLE audit_checkpoint ADD COLUMN IF NOT EXISTS shard text NULL;
ALTER TABLE audit_checkpoint ADD COLUMN IF NOT EXISTS links text NULL;

CREATE UNIQUE INDEX IF NOT EXISTS ux_audit_ledger_shard ON audit_ledger (shard, (COALESCE(shard_seq, seq)));

CREATE TABLE IF NOT EXISTS audit_shard_head
(
    shard     text   NOT NULL PRIMARY KEY,
    last_seq  bigint NOT NULL,   -- the shard's last shard_seq
    last_hash text   NOT NULL
);

INSERT INTO audit_shard_head (shard, last_seq, last_hash)
SELECT 'legacy', last_seq, last_hash FROM audit_chain_head WHERE id = 1
ON CONFLICT (shard) DO NOTHING;

CREATE SEQUENCE IF NOT EXISTS audit_ledger_seq AS bigint;

-- Never moves back on a re-run: the next id is past every row, every archived range, the legacy head and itself.
SELECT setval('audit_ledger_seq', GREATEST(
    (SELECT COALESCE(MAX(seq), 0) FROM audit_ledger),
    (SELECT COALESCE(MAX(last_seq), 0) FROM audit_archive),
    (SELECT last_seq FROM audit_chain_head WHERE id = 1),
    (SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END FROM audit_ledger_seq)) + 1, false);

ALTER TABLE audit_ledger ALTER COLUMN seq SET DEFAULT nextval('audit_ledger_seq');

-- An archive range stays within the rows written so far (the legacy head no longer moves).
CREATE OR REPLACE FUNCTION audit_archive_check_follows()
RETURNS trigger
LANGUAGE plpgsql
AS $body$
BEGIN
    IF NEW.first_seq <> (SELECT COALESCE(MAX(last_seq), 0) + 1 FROM audit_archive)
       OR NEW.last_seq > (SELECT COALESCE(MAX(seq), 0) FROM audit_ledger) THEN
        RAISE EXCEPTION 'audit_archive ranges must follow the last one and stay within the ledger'
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$body$;

-- The misuse rules' cursor, one per shard (misuse_cursor's one global seq would skip rows committed out of order).
CREATE TABLE IF NOT EXISTS misuse_shard_cursor
(
    shard     text   NOT NULL PRIMARY KEY,
    last_seq  bigint NOT NULL   -- the shard's last shard_seq judged
);

INSERT INTO misuse_shard_cursor (shard, last_seq)
SELECT 'legacy', last_seq FROM misuse_cursor WHERE id = 1
ON CONFLICT (shard) DO NOTHING;
