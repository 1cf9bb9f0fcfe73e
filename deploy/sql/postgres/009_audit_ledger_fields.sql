-- SafetyNet: first-class audit fields (PostgreSQL). The district an entry concerns (a camera's owner), the purpose given
-- for a view and the justification given by a person, as columns, so a district's privacy officer reads its own entries
-- through an index and auditors filter on purpose without parsing details.
-- Idempotent: safe to run any number of times. No BEGIN/COMMIT inside.

ALTER TABLE audit_ledger ADD COLUMN IF NOT EXISTS district_code text NULL;
ALTER TABLE audit_ledger ADD COLUMN IF NOT EXISTS purpose       text NULL;
ALTER TABLE audit_ledger ADD COLUMN IF NOT EXISTS justification text NULL;

CREATE INDEX IF NOT EXISTS ix_audit_ledger_district ON audit_ledger (district_code, seq);
