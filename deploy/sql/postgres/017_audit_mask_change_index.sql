-- SafetyNet: a district's mask edits, found without reading its decisions (PostgreSQL).
--
-- A district checks at each activation that its notes of which cameras are masked, and with which masks, are not older
-- than the ledger's newest mask edit of each camera (a record put back from an older copy, with its cameras' records).
-- Its decisions carry its district code too, so the district index alone would walk every decision of the district;
-- this partial index holds only the mask edits. Idempotent: safe to run any number of times. No BEGIN/COMMIT inside.

CREATE INDEX IF NOT EXISTS ix_audit_ledger_mask_change ON audit_ledger (district_code, seq) WHERE kind = 'mask-change';
