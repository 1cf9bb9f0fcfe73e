-- SafetyNet: the newest policy edit of a district, found without reading its decisions (PostgreSQL).
--
-- A district checks at each activation that its stored sharing policy is not older than the ledger's newest policy edit
-- (a record put back from an older copy). Its decisions carry its district code too, so the district index alone would
-- walk every decision since that edit; this partial index holds only the policy edits. Idempotent: safe to run any
-- number of times. No BEGIN/COMMIT inside.

CREATE INDEX IF NOT EXISTS ix_audit_ledger_policy_change ON audit_ledger (district_code, seq) WHERE kind = 'policy-change';
