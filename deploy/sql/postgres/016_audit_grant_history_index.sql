-- SafetyNet: an incident's grant issues and ends, found without reading its decisions (PostgreSQL).
--
-- A grant registry checks at each activation that its stored grants hold no longer than the ledger's issues and ends of
-- them say (a row put back from an older copy). An incident's decisions carry its id too, so the incident index alone
-- would walk every decision of the incident; this partial index holds only the grant issues and ends. Idempotent: safe
-- to run any number of times. No BEGIN/COMMIT inside.

CREATE INDEX IF NOT EXISTS ix_audit_ledger_grant_history ON audit_ledger (incident_id, seq) WHERE kind IN ('grant', 'revocation');
