-- SafetyNet: the ledger's lookup keys leave the ledger (SQLite).
--
-- Every secondary index of audit_ledger cost its own scattered B-tree page in every commit of the node's one writer:
-- about 18 pages for 6 rows, most of the writer's time. The keys an audit query filters on now live in a companion file
-- beside the database (AuditKeyIndex), filled behind the writer in large batches under that file's own write lock, and a
-- query reads the rows not yet indexed from the ledger directly, so its answers stay complete. The ledger keeps its
-- primary key (seq) and the shard position, both written at the right edge.
-- Idempotent: safe to run any number of times. No BEGIN/COMMIT inside.

DROP INDEX IF EXISTS ix_audit_ledger_camera;
DROP INDEX IF EXISTS ix_audit_ledger_agency;
DROP INDEX IF EXISTS ix_audit_ledger_session;
DROP INDEX IF EXISTS ix_audit_ledger_incident;
DROP INDEX IF EXISTS ix_audit_ledger_occurred;
DROP INDEX IF EXISTS ix_audit_ledger_district;
