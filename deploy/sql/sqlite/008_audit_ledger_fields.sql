-- SafetyNet: first-class audit fields (SQLite). The district an entry concerns (a camera's owner), the purpose given for a
-- view and the justification given by a person, as columns, so a district's privacy officer reads its own entries
-- through an index and auditors filter on purpose without parsing details.
-- SQLite cannot add a column idempotently; this script is applied once and recorded in schema_version in the same
-- transaction, so a re-run of the migrator skips it. Never edit it: a changed checksum would re-apply it and fail.
-- No BEGIN/COMMIT inside.

ALTER TABLE audit_ledger ADD COLUMN district_code TEXT NULL;
ALTER TABLE audit_ledger ADD COLUMN purpose       TEXT NULL;
ALTER TABLE audit_ledger ADD COLUMN justification TEXT NULL;

CREATE INDEX IF NOT EXISTS ix_audit_ledger_district ON audit_ledger (district_code, seq);
